using System.Reflection;
using Switchboard.Runtime;
using Switchboard.Runtime.Timers;

namespace Switchboard.Grains.Tests.Fakes;

/// <summary>
/// A minimal activation context so grain glue can be tested before the runtime's test host exists: timers are
/// captured (the test fires them), deactivation requests are counted. Binding uses the runtime's internal
/// <c>Grain.Bind</c> through reflection; replace with the runtime's test cluster when it lands.
/// </summary>
internal sealed class FakeGrainContext(GrainId grainId) : IGrainContext
{
    public GrainId GrainId { get; } = grainId;

    public IGrainFactory GrainFactory => throw new NotSupportedException("No grain factory in the fake context.");

    public List<FakeTimer> Timers { get; } = [];

    public int DeactivateRequests { get; private set; }

    public IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        var timer = new FakeTimer(callback, options);
        Timers.Add(timer);
        return timer;
    }

    public void DeactivateOnIdle() => DeactivateRequests++;

    public void DelayDeactivation(TimeSpan timeSpan)
    {
    }

    public static async Task<TGrain> ActivateAsync<TGrain>(TGrain grain, FakeGrainContext context)
        where TGrain : Grain
    {
        var bind = typeof(Grain).GetMethod("Bind", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Grain.Bind(IGrainContext) not found: the runtime contract changed.");
        bind.Invoke(grain, [context]);
        await grain.OnActivateAsync(CancellationToken.None);
        return grain;
    }

    internal sealed class FakeTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options) : IGrainTimer
    {
        public GrainTimerCreationOptions Options { get; } = options;

        public bool Disposed { get; private set; }

        public Task FireAsync() => Disposed ? Task.CompletedTask : callback(CancellationToken.None);

        public void Change(TimeSpan dueTime, TimeSpan period)
        {
        }

        public void Dispose() => Disposed = true;
    }
}
