using System.Threading.Channels;

namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>Ordered log of calls with an awaitable "wait until a call named X arrived" (bounded by a timeout, no sleeps).</summary>
internal sealed class CallRecorder
{
    private readonly object _gate = new();
    private readonly List<GrainCall> _calls = [];
    private readonly Channel<GrainCall> _signals = Channel.CreateUnbounded<GrainCall>();

    public IReadOnlyList<GrainCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public void Record(string method, object? argument)
    {
        var call = new GrainCall(method, argument);
        lock (_gate)
        {
            _calls.Add(call);
        }

        _signals.Writer.TryWrite(call);
    }

    public async Task<GrainCall> WaitForAsync(string method, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var call = await _signals.Reader.ReadAsync(cts.Token);
                if (call.Method == method)
                {
                    return call;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Waited {timeout} for grain call '{method}'; saw: {string.Join(", ", Calls.Select(c => c.Method))}");
        }
    }
}
