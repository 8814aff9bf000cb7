using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Switchboard.TestInfrastructure.BadInput;

/// <summary>One attacker's socket on a gateway process: Twilio's messages (or not), and what came back until the close.</summary>
public sealed class AttackSocket : IDisposable
{
    /// <summary>Bound on every wait of a row for the server's close.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(15);

    private AttackSocket(ClientWebSocket socket) => Socket = socket;

    /// <summary>The client socket.</summary>
    public ClientWebSocket Socket { get; }

    /// <summary>Data messages read before the close.</summary>
    public int MessagesReceived { get; private set; }

    /// <summary>Of those, <c>media</c> messages (echoed audio).</summary>
    public int MediaReceived { get; private set; }

    /// <summary>Opens a socket, signed unless <paramref name="signed"/> is false, with an <c>Origin</c> header when given.
    /// Returns the HTTP status when the upgrade was refused.</summary>
    public static async Task<(AttackSocket? Socket, HttpStatusCode? Refused)> TryConnectAsync(BadInputTarget target, bool signed = true, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (signed && target.Signature is { } signature)
        {
            socket.Options.SetRequestHeader("X-Twilio-Signature", signature);
        }

        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            await socket.ConnectAsync(target.WebSocketUri, timeout.Token).ConfigureAwait(false);
            return (new AttackSocket(socket), null);
        }
        catch (WebSocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return (null, status);
        }
    }

    /// <summary>Opens a signed socket; throws when the upgrade is refused.</summary>
    public static async Task<AttackSocket> ConnectAsync(BadInputTarget target)
    {
        var (socket, refused) = await TryConnectAsync(target).ConfigureAwait(false);
        return socket ?? throw new InvalidOperationException($"the upgrade to {target.WebSocketUri} was refused with {refused}");
    }

    public Task SendAsync(string text) => Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] bytes) => Socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>Reads until the server's close frame, answers it, and returns its status (null: no close within the bound).</summary>
    public async Task<WebSocketCloseStatus?> ReceiveUntilCloseAsync()
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(CloseTimeout);
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    try
                    {
                        await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is WebSocketException or InvalidOperationException)
                    {
                        // Our own send was in flight; the server's close timeout ends the socket instead.
                    }

                    return result.CloseStatus;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    MessagesReceived++;
                    if (Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length).Contains("\"event\":\"media\"", StringComparison.Ordinal))
                    {
                        MediaReceived++;
                    }

                    message.SetLength(0);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (WebSocketException)
        {
            return null;
        }
    }

    public void Dispose() => Socket.Dispose();

    /// <summary>Twilio's <c>start</c>.</summary>
    public static string Start(string streamSid, string callSid, long sequence = 1) =>
        $$$"""{"event":"start","sequenceNumber":"{{{sequence}}}","start":{"accountSid":"AC{{{new string('0', 32)}}}","streamSid":"{{{streamSid}}}","callSid":"{{{callSid}}}","tracks":["inbound"],"customParameters":{},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}},"streamSid":"{{{streamSid}}}"}""";

    /// <summary>Twilio's <c>media</c>: 160 bytes of μ-law unless <paramref name="payloadBase64"/> says otherwise.</summary>
    public static string Media(string streamSid, long sequence, string? payloadBase64 = null) =>
        $$$"""{"event":"media","sequenceNumber":"{{{sequence}}}","media":{"track":"inbound","chunk":"{{{Math.Max(sequence - 1, 1)}}}","timestamp":"{{{sequence * 20}}}","payload":"{{{payloadBase64 ?? Convert.ToBase64String(Enumerable.Repeat((byte)0x55, 160).ToArray())}}}"},"streamSid":"{{{streamSid}}}"}""";

    /// <summary>Twilio's <c>stop</c>.</summary>
    public static string Stop(string streamSid, string callSid, long sequence) =>
        $$$"""{"event":"stop","sequenceNumber":"{{{sequence}}}","stop":{"accountSid":"AC{{{new string('0', 32)}}}","callSid":"{{{callSid}}}"},"streamSid":"{{{streamSid}}}"}""";

    /// <summary>A fresh stream and call.</summary>
    public static (string StreamSid, string CallSid) NewIds() => ("MZ" + Guid.NewGuid().ToString("N"), "CA" + Guid.NewGuid().ToString("N"));
}
