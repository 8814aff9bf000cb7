using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Switchboard.TwilioSim.Tests;

/// <summary>
/// A tiny Twilio-facing echo application on Kestrel (127.0.0.1, ephemeral port): echoes inbound media as
/// outbound <c>media</c> messages, sends marks, records the marks Twilio echoes back and the upgrade's
/// signature header, and closes on <c>stop</c>.
/// </summary>
internal sealed class TwilioEchoServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EchoServerBehavior _behavior;
    private int _marksSent;
    private int _marksEchoed;

    private TwilioEchoServer(WebApplication app, EchoServerBehavior behavior)
    {
        _app = app;
        _behavior = behavior;
    }

    public Uri Url { get; private set; } = null!;

    public int MarksSent => Volatile.Read(ref _marksSent);

    public int MarksEchoed => Volatile.Read(ref _marksEchoed);

    public ConcurrentBag<string> Signatures { get; } = [];

    public ConcurrentBag<string> StopsReceived { get; } = [];

    /// <summary>Per streamSid, when the <see cref="EchoServerBehavior.StallOnce"/> stall began (a <see cref="Stopwatch"/> timestamp).</summary>
    public ConcurrentDictionary<string, long> StallStartedAt { get; } = new();

    /// <summary>How long <see cref="EchoServerBehavior.StallOnce"/> holds the echo.</summary>
    public static TimeSpan Stall { get; } = TimeSpan.FromMilliseconds(600);

    public static async Task<TwilioEchoServer> StartAsync(EchoServerBehavior behavior)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new TwilioEchoServer(app, behavior);
        app.UseWebSockets();
        app.Map("/twilio/media-stream", server.HandleAsync);
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        server.Url = new Uri($"ws://127.0.0.1:{address.Port}/twilio/media-stream");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        if (context.Request.Headers.TryGetValue("X-Twilio-Signature", out var signature))
        {
            Signatures.Add(signature.ToString());
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[64 * 1024];
        int frames = 0;
        var ct = context.RequestAborted;
        try
        {
            for (int message = 0; message < 1_000_000; message++)
            {
                int count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(count), ct);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
                    return;
                }

                using var doc = JsonDocument.Parse(buffer.AsMemory(0, count));
                var root = doc.RootElement;
                switch (root.GetProperty("event").GetString())
                {
                    case "start" when _behavior == EchoServerBehavior.CloseAfterStart:
                        await socket.CloseAsync(WebSocketCloseStatus.InternalServerError, "boom", ct);
                        return;

                    case "start" when _behavior == EchoServerBehavior.AbortAfterStart:
                        context.Abort();
                        return;

                    case "media":
                        frames++;
                        if (_behavior == EchoServerBehavior.DropEveryFifth && frames % 5 == 0)
                        {
                            break;
                        }

                        string sid = root.GetProperty("streamSid").GetString()!;
                        if (_behavior == EchoServerBehavior.StallOnce && frames == 50)
                        {
                            StallStartedAt[sid] = Stopwatch.GetTimestamp();
                            await Task.Delay(Stall, ct);
                        }

                        string payload = root.GetProperty("media").GetProperty("payload").GetString()!;
                        await SendAsync(socket, $$$"""{"event":"media","streamSid":"{{{sid}}}","media":{"payload":"{{{payload}}}"}}""", ct);
                        if (frames % 10 == 0)
                        {
                            Interlocked.Increment(ref _marksSent);
                            await SendAsync(socket, $$$"""{"event":"mark","streamSid":"{{{sid}}}","mark":{"name":"m-{{{frames}}}"}}""", ct);
                        }

                        break;

                    case "mark":
                        Interlocked.Increment(ref _marksEchoed);
                        break;

                    case "stop":
                        StopsReceived.Add(root.GetProperty("stop").GetProperty("callSid").GetString()!);
                        break;

                    default:
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The simulator aborted the call; nothing to echo any more.
        }
    }

    private static Task SendAsync(WebSocket socket, string json, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, ct);
}
