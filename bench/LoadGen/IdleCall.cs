using System.Buffers;
using System.Net.WebSockets;
using Switchboard.TwilioSim;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// A call that connects and sends <c>connected</c> + <c>start</c>, then stays silent (no media) until disposed.
/// One receive stays pending so the client answers the server's keep-alive pings, as Twilio does.
/// </summary>
internal sealed class IdleCall : IDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[256];
    private Task _receive = Task.CompletedTask;

    /// <summary>Connects and starts the stream.</summary>
    public async Task OpenAsync(Uri url, CallIdentity identity, CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
        await _socket.SendAsync(TwilioMessages.Connected, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        var start = new ArrayBufferWriter<byte>(512);
        TwilioMessages.WriteStart(start, identity, new Dictionary<string, string>());
        await _socket.SendAsync(start.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        _receive = DrainAsync(cancellationToken);
    }

    /// <summary>Whether the socket is still open (the server did not close it).</summary>
    public bool IsOpen => _socket.State == WebSocketState.Open && !_receive.IsCompleted;

    /// <inheritdoc />
    public void Dispose()
    {
        _socket.Abort();
        _socket.Dispose();
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Aborted at the end of the measurement, or the server closed: IsOpen reports it.
        }
    }
}
