using System.Net.WebSockets;
using System.Text;
using Switchboard.Gateway.Security;

namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>
/// A hand-driven media-stream client for bad input: connects (signed like Twilio unless told otherwise), sends whatever
/// text or binary it is given, and reads until the server closes. Message builders give Twilio's shapes.
/// </summary>
internal sealed class RawTwilioClient : IDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";

    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(15);

    private RawTwilioClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    /// <summary>The signature Twilio would send for the gateway's media-stream URL (see <see cref="GatewayTestHost.PublicUrl"/>).</summary>
    public static string ValidSignature { get; } =
        new TwilioSignatureValidator(GatewayTestHost.AuthToken).ComputeSignature("wss://voice.example.com/twilio/media-stream", []);

    /// <summary>Connects with the valid signature; <paramref name="invoker"/> lets a test control the TCP connection.</summary>
    public static async Task<RawTwilioClient> ConnectAsync(Uri uri, HttpMessageInvoker? invoker = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.SetRequestHeader("X-Twilio-Signature", ValidSignature);
        try
        {
            await socket.ConnectAsync(uri, invoker, CancellationToken.None);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new RawTwilioClient(socket);
    }

    public Task SendAsync(string json) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] bytes) =>
        Socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>Data messages <see cref="ReceiveUntilCloseAsync"/> read before the close frame.</summary>
    public int MessagesReceived { get; private set; }

    /// <summary>Reads (and discards, counting them) until the server's close frame, answers it as a conforming client
    /// does, and returns its status.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveUntilCloseAsync()
    {
        var buffer = new byte[16 * 1024];
        using var cts = new CancellationTokenSource(CloseTimeout);
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, cts.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    try
                    {
                        await Socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.Empty, null, cts.Token);
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or WebSocketException)
                    {
                        // A send of the test's was still in flight: the server's close timeout ends the socket instead.
                    }

                    return result.CloseStatus;
                }

                if (result.EndOfMessage)
                {
                    MessagesReceived++;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The server did not close the socket within {CloseTimeout}.");
        }
    }

    public static string Connected() => """{"event":"connected","protocol":"Call","version":"1.0.0"}""";

    /// <summary>A start message; <paramref name="streamTicket"/>, if given, goes in <c>customParameters</c> as the voice
    /// webhook's TwiML would put it.</summary>
    public static string Start(string streamSid, string callSid, int sequence = 1, string? streamTicket = null) =>
        $$$"""{"event":"start","sequenceNumber":"{{{sequence}}}","start":{"accountSid":"{{{AccountSid}}}","streamSid":"{{{streamSid}}}","callSid":"{{{callSid}}}","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},"customParameters":{{{(streamTicket is null ? "{}" : $"{{\"streamTicket\":\"{streamTicket}\"}}")}}}},"streamSid":"{{{streamSid}}}"}""";

    /// <summary>A media message with a 160-byte payload of <paramref name="fill"/> (or the given base64 text).</summary>
    public static string Media(string streamSid, long sequence, byte fill = 0xFF, string? payloadBase64 = null) =>
        $$$"""{"event":"media","sequenceNumber":"{{{sequence}}}","media":{"track":"inbound","chunk":"{{{Math.Max(sequence - 1, 1)}}}","timestamp":"{{{sequence * 20}}}","payload":"{{{payloadBase64 ?? Convert.ToBase64String(Enumerable.Repeat(fill, 160).ToArray())}}}"},"streamSid":"{{{streamSid}}}"}""";

    public static string Stop(string streamSid, string callSid, long sequence) =>
        $$$"""{"event":"stop","sequenceNumber":"{{{sequence}}}","stop":{"accountSid":"{{{AccountSid}}}","callSid":"{{{callSid}}}"},"streamSid":"{{{streamSid}}}"}""";

    /// <summary>A Twilio-shaped streamSid/callSid pair unique to this test (34 characters each).</summary>
    public static (string StreamSid, string CallSid) NewIds()
    {
        var hex = Guid.NewGuid().ToString("N");
        return ("MZ" + hex, "CA" + hex);
    }

    public void Dispose() => Socket.Dispose();
}
