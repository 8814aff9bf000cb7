using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.TestInfrastructure;
using Switchboard.Grains;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>
/// The media-stream endpoint on a real Kestrel (127.0.0.1, ephemeral port) with a fake grain factory. Signatures are on:
/// Kestrel sees ws://127.0.0.1:port while the signature covers PUBLIC_URL's wss URL, as behind a TLS proxy.
/// </summary>
public class MediaStreamEndpointTests
{
    // python3 HMAC-SHA1 (see TwilioSignatureValidatorTests): wss://voice.example.com/twilio/media-stream, token of GatewayTestHost.
    private const string UpgradeSignature = "/1gBfV4CTETBciRKvuziPbTiauw=";
    private const string Sid = "MZ18ad3ab5a668481ce02b83e7395059f0";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PlainGet_Returns400()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.GetAsync(new Uri("/twilio/media-stream", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(host.Grains.Recorder.Calls);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("YK+q3e59+TdtoFF7XEIw6YrvsOU=")] // the https (not wss) URL's signature
    public async Task Upgrade_BadOrMissingSignature_Returns403BeforeUpgradeAndNoGrainCall(string? signature)
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        if (signature is not null)
        {
            client.Options.SetRequestHeader("X-Twilio-Signature", signature);
        }

        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(host.WebSocketUri, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, client.HttpStatusCode);
        Assert.Empty(host.Grains.Recorder.Calls);
        Assert.Contains(host.Logs.Entries, e => e.EventName == "AuthFailure" && e.Message.Contains("AUTH_FAILURE", StringComparison.Ordinal) && e.Message.Contains("127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BinaryFrame_ClosesWith1003()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = await ConnectAsync(host);

        await client.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);

        var close = await ReceiveUntilCloseAsync(client);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, close);
    }

    [Fact]
    public async Task OversizedMessage_ClosesWith1009()
    {
        await using var host = await GatewayTestHost.StartAsync(new() { ["Gateway:MaxMessageBytes"] = "1024" });
        using var client = await ConnectAsync(host);

        await client.SendAsync(Encoding.UTF8.GetBytes(new string(' ', 2000)), WebSocketMessageType.Text, true, CancellationToken.None);

        var close = await ReceiveUntilCloseAsync(client);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, close);
    }

    [Fact]
    public async Task MalformedMessages_CountedAndLoggedOnce_SessionContinues()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = await ConnectAsync(host);

        await SendAsync(client, "{not json");
        await SendAsync(client, """{"event":"hangup"}""");
        await SendAsync(client, Start());
        await host.Grains.Recorder.WaitForAsync("Start", Timeout);
        await SendAsync(client, Stop());

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await ReceiveUntilCloseAsync(client));
        Assert.Single(host.Logs.Entries, e => e.EventName == "MalformedMessage");
    }

    [Fact]
    public async Task MessagesBeforeStart_OverLimit_DroppedAndLoggedOnce()
    {
        await using var host = await GatewayTestHost.StartAsync(new() { ["Gateway:MaxBufferedBeforeStart"] = "2" });
        using var client = await ConnectAsync(host);

        for (var sequence = 2; sequence <= 5; sequence++)
        {
            await SendAsync(client, Media(sequence));
        }

        await SendAsync(client, Start());
        await SendAsync(client, Stop());

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await ReceiveUntilCloseAsync(client));
        await host.Grains.Recorder.WaitForAsync("DeleteObjectReference", Timeout);
        Assert.Equal([2L, 3L], host.Grains.Recorder.Calls.Where(c => c.Method == "Media").Select(c => ((InboundMedia)c.Argument!).SequenceNumber));
        Assert.Single(host.Logs.Entries, e => e.EventName == "PreStartBufferFull");
        Assert.Contains(host.Logs.Entries, e => e.EventName == "StreamClosed" && e.Message.Contains("dropped before start 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FullSession_ReachesGrainInOrder_AndClosesWith1000()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = await ConnectAsync(host);

        await SendAsync(client, """{"event":"connected","protocol":"Call","version":"1.0.0"}""");
        await SendAsync(client, Media(2)); // before start: buffered, replayed after Start
        await SendAsync(client, Start());
        await SendAsync(client, Media(3));
        await SendAsync(client, $$$"""{"event":"mark","sequenceNumber":"4","streamSid":"{{{Sid}}}","mark":{"name":"utt-3"}}""");
        await SendAsync(client, $$$"""{"event":"dtmf","streamSid":"{{{Sid}}}","sequenceNumber":"5","dtmf":{"track":"inbound_track","digit":"5"}}""");
        await SendAsync(client, Stop());

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await ReceiveUntilCloseAsync(client));
        await host.Grains.Recorder.WaitForAsync("DeleteObjectReference", Timeout);
        var calls = host.Grains.Recorder.Calls.Where(c => !c.Method.StartsWith("GetGrain", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["CreateObjectReference", "Start", "Media", "Media", "Mark", "Dtmf", "Stop", "DeleteObjectReference"],
            calls.Select(c => c.Method));
        var start = Assert.IsType<StreamStart>(calls[1].Argument);
        Assert.Equal("CA9f2c1e0d3b4a59687f0e1d2c3b4a5968", start.CallSid);
        Assert.Equal([2L, 3L], calls.Where(c => c.Method == "Media").Select(c => ((InboundMedia)c.Argument!).SequenceNumber));
        Assert.Equal("utt-3", ((MarkEcho)calls[4].Argument!).Name);
        Assert.Equal(912, ((StreamStop)calls[6].Argument!).SequenceNumber);
        Assert.DoesNotContain(host.Grains.Recorder.Calls, c => c.Method == "SocketClosed");
    }

    [Fact]
    public async Task Deliver_GrainUnreachableForTheRedeliveryTimeout_SocketClosedWith1011AndGrainToldOnceReachable()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        await using var host = await GatewayTestHost.StartAsync(
            new() { ["Gateway:RedeliveryTimeout"] = "00:00:02" },
            configureServices: services => services.AddSingleton<TimeProvider>(time));
        var unreachable = true;
        host.Grains.DeliverBehavior = _ => Volatile.Read(ref unreachable) ? Task.FromException<DeliveryAck>(new InvalidOperationException("silo unavailable")) : null;
        using var client = await ConnectAsync(host);
        await SendAsync(client, Start());
        await host.Grains.Recorder.WaitForAsync("Start", Timeout);

        await SendAsync(client, Media(2));
        var closing = ReceiveUntilCloseAsync(client);
        // Retry delays and the redelivery timeout run on fake time.
        await TestWait.UntilAsync(
            () =>
            {
                if (closing.IsCompleted)
                {
                    return true;
                }

                time.Advance(TimeSpan.FromMilliseconds(20));
                return false;
            },
            "the socket closed after the redelivery timeout",
            () => $"socket {client.State}, log: {string.Join(", ", host.Logs.Entries.Select(e => e.EventName))}");

        Assert.Equal(WebSocketCloseStatus.InternalServerError, await closing);
        Assert.Equal("grain unreachable", client.CloseStatusDescription);
        Assert.Single(host.Logs.Entries, e => e.EventName == "DeliveryAbandoned" && e.Message.Contains(Sid, StringComparison.Ordinal));
        Volatile.Write(ref unreachable, false);
        await client.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, null, CancellationToken.None);
        var closed = await host.Grains.Recorder.WaitForAsync("SocketClosed", Timeout);
        Assert.Equal(1011, Assert.IsType<SocketClosure>(closed.Argument).CloseStatus);
        Assert.Equal("grain unreachable", ((SocketClosure)closed.Argument!).Reason);
    }

    [Fact]
    public async Task Deliver_FailsTwiceThenRecovers_GrainSeesEachEventOnceInOrder_AndTheSessionEndsNormally()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var failures = 2;
        // The grain applies each batch, but the first two answers are lost: the gateway re-delivers the same numbers.
        host.Grains.DeliverBehavior = _ => Interlocked.Decrement(ref failures) >= 0 ? Task.FromException<DeliveryAck>(new TimeoutException("answer lost")) : null;
        using var client = await ConnectAsync(host);
        await SendAsync(client, Start());
        await host.Grains.Recorder.WaitForAsync("Start", Timeout);

        for (var sequence = 2; sequence <= 6; sequence++)
        {
            await SendAsync(client, Media(sequence));
        }

        await SendAsync(client, Stop());

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await ReceiveUntilCloseAsync(client));
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await host.Grains.Recorder.WaitForAsync("DeleteObjectReference", Timeout);
        var calls = host.Grains.Recorder.Calls.Where(c => !c.Method.StartsWith("GetGrain", StringComparison.Ordinal)).ToList();
        Assert.Equal(["CreateObjectReference", "Start", "Media", "Media", "Media", "Media", "Media", "Stop", "DeleteObjectReference"], calls.Select(c => c.Method));
        Assert.Equal([2L, 3L, 4L, 5L, 6L], calls.Where(c => c.Method == "Media").Select(c => ((InboundMedia)c.Argument!).SequenceNumber));
        Assert.True(failures < 0, "the grain's answers were never lost: the test did not exercise re-delivery");
        Assert.Single(host.Logs.Entries, e => e.EventName == "DeliveryRetrying");
        Assert.Single(host.Logs.Entries, e => e.EventName == "DeliveryRecovered");
    }

    [Fact]
    public async Task Observer_BatchesAndClose_ReachTheSocketInOrder()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = await ConnectAsync(host);
        await SendAsync(client, Start());
        await host.Grains.Recorder.WaitForAsync("Start", Timeout);
        var observer = host.Grains.Connection(Sid).Observer!;

        await observer.Deliver(new OutboundBatch(1, 1, [new OutboundFrame(OutboundKind.Media, [0xFF, 0xFE], null)], null));
        await observer.Deliver(new OutboundBatch(1, 2, [new OutboundFrame(OutboundKind.Mark, null, "utt-1"), new OutboundFrame(OutboundKind.Clear, null, null)], null));
        await observer.Deliver(new OutboundBatch(1, 3, [], new CloseInstruction(1008, "duplicate stream", ConnectionErrorCode.AuthFailure)));

        var texts = new List<string>();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            texts.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        Assert.Equal(["media", "mark", "clear"], texts.Select(t => JsonDocument.Parse(t).RootElement.GetProperty("event").GetString()));
        Assert.All(texts, t => Assert.Equal(Sid, JsonDocument.Parse(t).RootElement.GetProperty("streamSid").GetString()));
        Assert.Equal((WebSocketCloseStatus)1008, client.CloseStatus);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await host.Grains.Recorder.WaitForAsync("DeleteObjectReference", Timeout);
        // The grain asked for the close: it is not told again.
        Assert.DoesNotContain(host.Grains.Recorder.Calls, c => c.Method == "SocketClosed");
    }

    [Fact]
    public async Task PeerCloseWithoutStop_ReportsSocketClosedWithCode()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = await ConnectAsync(host);
        await SendAsync(client, Start());
        await host.Grains.Recorder.WaitForAsync("Start", Timeout);

        await client.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "going away", CancellationToken.None);

        var call = await host.Grains.Recorder.WaitForAsync("SocketClosed", Timeout);
        var closure = Assert.IsType<SocketClosure>(call.Argument);
        Assert.Equal(1001, closure.CloseStatus);
    }

    [Fact]
    public async Task GrainRefusesStart_ClosesWith1008()
    {
        await using var host = await GatewayTestHost.StartAsync();
        host.Grains.StartResult = _ => new AttachResult(false, ConnectionState.Failed, "duplicate");
        using var client = await ConnectAsync(host);

        await SendAsync(client, Start());

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ReceiveUntilCloseAsync(client));
    }

    [Fact]
    public async Task TrailingSlashPath_WithItsSignature_Accepted()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = new ClientWebSocket();
        // python3: wss://voice.example.com/twilio/media-stream/ (see TwilioRequestAuthenticatorTests).
        client.Options.SetRequestHeader("X-Twilio-Signature", "oCGzBArZ1l1LiSSzaJquCe3jmX4=");

        await client.ConnectAsync(new Uri(host.WebSocketUri + "/"), CancellationToken.None);

        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task Ping_RoundTripMeasured_ReportedToGrainAndHealthSamples()
    {
        await using var host = await GatewayTestHost.StartAsync(new()
        {
            ["Gateway:KeepAliveInterval"] = "00:00:00.100",
            ["Gateway:KeepAliveTimeout"] = "00:00:05",
        });
        using var client = await ConnectAsync(host);
        await SendAsync(client, Start());
        await host.Grains.Recorder.WaitForAsync("Start", Timeout);

        // ClientWebSocket answers PINGs only while a receive is pending.
        var pending = client.ReceiveAsync(new byte[1024], CancellationToken.None);
        var report = await host.Grains.RoundTrips.WaitForAsync("ReportRoundTrip", Timeout);

        var rtt = Assert.IsType<double>(report.Argument);
        Assert.InRange(rtt, 0.0, Timeout.TotalMilliseconds);
        Assert.False(pending.IsCompleted);
    }

    [Fact]
    public async Task Upgrade_WhileDraining_Returns503WithRetryAfterAndNoGrainCall()
    {
        await using var host = await GatewayTestHost.StartAsync();
        host.Services.GetRequiredService<Switchboard.Gateway.Hosting.GatewayDrainState>().BeginDraining();
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        client.Options.SetRequestHeader("X-Twilio-Signature", UpgradeSignature);

        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(host.WebSocketUri, CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, client.HttpStatusCode);
        Assert.Equal("5", client.HttpResponseHeaders!["Retry-After"].Single());
        Assert.Empty(host.Grains.Recorder.Calls);
        Assert.Contains(host.Logs.Entries, e => e.EventName == "StreamRefusedDraining");
    }

    [Fact]
    public async Task Stop_WithAnOpenStream_DrainsServingTheCallAndHealthSaysNotReadyUntilItEnds()
    {
        await using var host = await GatewayTestHost.StartAsync(new() { ["Gateway:DrainTimeout"] = "00:00:20" });
        using var client = await ConnectAsync(host);
        await SendAsync(client, Start());
        var tracker = host.Services.GetRequiredService<MediaStreamTracker>();
        await TestWait.UntilAsync(() => tracker.OpenStreams == 1, "the stream is open");

        var stopping = host.StopAsync();

        // Still listening while draining: /health answers 503 not ready, and the held call still reaches its grain.
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        await TestWait.UntilAsync(() => host.Services.GetRequiredService<Switchboard.Gateway.Hosting.GatewayDrainState>().IsDraining, "draining began");
        using (var response = await http.GetAsync(new Uri("/health", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.False(doc.RootElement.GetProperty("ready").GetBoolean());
            Assert.True(doc.RootElement.GetProperty("draining").GetBoolean());
        }

        var mediaBefore = host.Grains.Recorder.Calls.Count(c => c.Method == "Media");
        await SendAsync(client, Media(2));
        await TestWait.UntilAsync(() => host.Grains.Recorder.Calls.Count(c => c.Method == "Media") == mediaBefore + 1, "media during drain reached the grain");
        Assert.False(stopping.IsCompleted, "the host must wait for the open call");

        await SendAsync(client, Stop());
        await TestWait.CompletesAsync(stopping.ContinueWith(_ => true, TaskScheduler.Default), "host stop after the call ended");
    }

    private static async Task<ClientWebSocket> ConnectAsync(GatewayTestHost host)
    {
        var client = new ClientWebSocket();
        client.Options.KeepAliveInterval = TimeSpan.Zero;
        client.Options.SetRequestHeader("X-Twilio-Signature", UpgradeSignature);
        await client.ConnectAsync(host.WebSocketUri, CancellationToken.None);
        return client;
    }

    private static Task SendAsync(ClientWebSocket client, string json) =>
        client.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<WebSocketCloseStatus?> ReceiveUntilCloseAsync(ClientWebSocket client)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return result.CloseStatus;
            }
        }
    }

    private static string Start() => $$$"""
        {"event":"start","sequenceNumber":"1",
         "start":{"accountSid":"AC0123456789abcdef0123456789abcdef","streamSid":"{{{Sid}}}",
                  "callSid":"CA9f2c1e0d3b4a59687f0e1d2c3b4a5968","tracks":["inbound"],
                  "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},
                  "customParameters":{"sessionId":"s_42"}},
         "streamSid":"{{{Sid}}}"}
        """;

    private static string Media(int sequence) => $$$"""
        {"event":"media","sequenceNumber":"{{{sequence}}}","media":{"track":"inbound","chunk":"{{{sequence - 1}}}","timestamp":"{{{sequence * 20}}}","payload":"//////////8="},"streamSid":"{{{Sid}}}"}
        """;

    private static string Stop() => $$$"""
        {"event":"stop","sequenceNumber":"912","stop":{"accountSid":"AC0123456789abcdef0123456789abcdef","callSid":"CA9f2c1e0d3b4a59687f0e1d2c3b4a5968"},"streamSid":"{{{Sid}}}"}
        """;
}
