using System.Net.WebSockets;
using System.Text;

namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>
/// A server-side socket whose client may stop reading: sends complete at once while <see cref="Reading"/> is true and
/// are recorded; otherwise a send waits until the client reads again or the send is cancelled, and a cancelled send
/// aborts the socket, as <c>ManagedWebSocket</c> does.
/// </summary>
internal sealed class StallingWebSocket : WebSocket
{
    private readonly object _gate = new();
    private TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocketState _state = WebSocketState.Open;
    private bool _reading = true;

    public List<string> Sent { get; } = [];

    /// <summary>Sends currently waiting for the client.</summary>
    public int PendingSends { get; private set; }

    public bool Reading
    {
        get => _reading;
        set
        {
            lock (_gate)
            {
                _reading = value;
                if (value)
                {
                    _resumed.TrySetResult();
                }
                else if (_resumed.Task.IsCompleted)
                {
                    _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }
    }

    public override WebSocketCloseStatus? CloseStatus => null;

    public override string? CloseStatusDescription => null;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    public override void Abort() => _state = WebSocketState.Aborted;

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        Sent.Add($"close {(int)closeStatus}");
        _state = WebSocketState.CloseSent;
        return Task.CompletedTask;
    }

    public override void Dispose()
    {
    }

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The observer only sends.");

    public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(buffer);
        Task resumed;
        lock (_gate)
        {
            resumed = _reading ? Task.CompletedTask : _resumed.Task;
            PendingSends++;
        }

        try
        {
            await resumed.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Abort();
            throw;
        }
        finally
        {
            lock (_gate)
            {
                PendingSends--;
            }
        }

        lock (_gate)
        {
            Sent.Add(text);
        }
    }
}
