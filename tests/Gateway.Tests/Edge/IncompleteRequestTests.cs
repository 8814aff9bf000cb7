using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.TestInfrastructure;

namespace Switchboard.Gateway.Tests.Edge;

/// <summary>Slow-loris clients against the gateway's Kestrel limits, over raw sockets on 127.0.0.1.</summary>
public class IncompleteRequestTests
{
    // Kestrel checks its timeouts once a second and adds that second to each deadline: a 1 s headers timeout fires
    // between 1 and about 3 s. The bound below only has to prove "bounded", on a shared machine.
    private static readonly TimeSpan DropBound = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task TrickledUpgradeHeaders_DroppedWith408WithinBound_LoggedWithAddressAndCounted()
    {
        await using var host = await GatewayTestHost.StartAsync(new() { ["Gateway:Http:RequestHeadersTimeout"] = "00:00:01" }, signatures: false);
        using var metrics = UpgradeAdmissionTests.Metrics(host);

        var (elapsed, response) = await HeaderTrickler.TrickleAsync(host.BaseAddress.Port,
            "GET /twilio/media-stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nX-Padding: " + new string('a', 200));

        Assert.True(elapsed < DropBound, $"the trickling connection must be dropped within {DropBound}; it lasted {elapsed}");
        Assert.StartsWith("HTTP/1.1 408", response, StringComparison.Ordinal);
        await TestInfrastructure.TestWait.UntilAsync(
            () => host.Logs.Entries.Any(e => e.EventName == "IncompleteRequestDropped" && e.Message.Contains("127.0.0.1", StringComparison.Ordinal)),
            "IncompleteRequestDropped was logged with the remote address");
        Assert.Equal(1, metrics.Sum("switchboard.gateway.connections.dropped", "reason", "incomplete_request"));
        Assert.Empty(host.Grains.Recorder.Calls);
    }

    [Fact]
    public async Task HeadersOverTotalSize_Refused431()
    {
        await using var host = await GatewayTestHost.StartAsync(new() { ["Gateway:Http:MaxRequestHeadersTotalSize"] = "2048" }, signatures: false);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-Padding", new string('a', 4096));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task CompleteRequestThenIdle_NotReported_OnlyTheTricklerIs()
    {
        await using var host = await GatewayTestHost.StartAsync(new() { ["Gateway:Http:RequestHeadersTimeout"] = "00:00:01" }, signatures: false);
        using var metrics = UpgradeAdmissionTests.Metrics(host);
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(IPAddress.Loopback, host.BaseAddress.Port);
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
            var buffer = new byte[4096];
            var received = await socket.ReceiveAsync(buffer);
            Assert.StartsWith("HTTP/1.1", Encoding.ASCII.GetString(buffer, 0, received), StringComparison.Ordinal);

            // Idle past the headers timeout after a complete request, then leave and wait for the server's side to close.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            socket.Shutdown(SocketShutdown.Send);
            while (await socket.ReceiveAsync(buffer) > 0)
            {
            }
        }

        // A positive control after it: once the trickler's drop is reported, the idle one would have been long before.
        await HeaderTrickler.TrickleAsync(host.BaseAddress.Port, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + new string('a', 200));
        await TestInfrastructure.TestWait.UntilAsync(
            () => host.Logs.Entries.Any(e => e.EventName == "IncompleteRequestDropped"), "the trickler's drop was logged");

        Assert.Single(host.Logs.Entries, e => e.EventName == "IncompleteRequestDropped");
        Assert.Equal(1, metrics.Sum("switchboard.gateway.connections.dropped", "reason", "incomplete_request"));
    }
}
