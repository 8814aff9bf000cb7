using System.Net.WebSockets;
using System.Text;
using Switchboard.Cluster.Tests.Harness;
using Switchboard.TestInfrastructure;
using Switchboard.TwilioSim;
using Xunit.Abstractions;

namespace Switchboard.Cluster.Tests;

/// <summary>
/// A live call on one gateway, and a stranger on the other gateway who starts the call's streamSid, then the call's
/// callSid on a streamSid of its own: each is closed with 1008 before a byte of audio reaches it, and the call loses
/// nothing. The connection grain (one socket per stream) and the call grain (one stream per call) are cluster-wide, so
/// which gateway a socket lands on does not matter.
/// </summary>
public sealed class DuplicateStreamTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Cluster_StrangerOnAnotherGatewayStartsALiveCallsStream_Closed1008AndTheCallLosesNothing()
    {
        var postgres = await PostgresServer.SharedAsync();
        await using var cluster = await ProcessCluster.CreateAsync(output, postgres, "dupstream");
        await cluster.StartSiloAsync("silo1");
        var gatewayA = await cluster.StartGatewayAsync("gatewayA");
        var gatewayB = await cluster.StartGatewayAsync("gatewayB");
        var run = CallLoad.Start(gatewayA, 1, TimeSpan.FromSeconds(6));
        var live = (await CallLoad.WaitAllEchoingAsync(run, "the call on gatewayA")).CallResults.Single();

        var sameStream = await StrangerAsync(gatewayB.MediaStreamUrl, live.StreamSid, "CA" + new string('7', 32));
        var sameCall = await StrangerAsync(gatewayB.MediaStreamUrl, "MZ" + Guid.NewGuid().ToString("N"), live.CallSid);
        var summary = await TestWait.CompletesAsync(run.Completion, "the live call", TimeSpan.FromSeconds(60));
        cluster.Log($"FIGURES duplicate stream across gateways: same streamSid {sameStream}; same callSid {sameCall}; call lost {summary.Lost}, closes {summary.ServerCloses}, exit {summary.ExitCode}");

        cluster.AssertNoUnexpectedExit();
        Assert.Equal((WebSocketCloseStatus.PolicyViolation, 0), (sameStream.Status, sameStream.Messages));
        Assert.Equal((WebSocketCloseStatus.PolicyViolation, 0), (sameCall.Status, sameCall.Messages));
        Assert.True(summary.ExitCode == 0 && summary.Lost == 0 && summary.ServerCloses == 0,
            $"[duplicate] the live call on {gatewayA.Name}: expected to complete with nothing lost; actual:{Environment.NewLine}{summary.ToText()}");
    }

    // Starts a stream and sends audio, then reads until the server closes: the close status and how many data messages
    // arrived before it.
    private static async Task<(WebSocketCloseStatus? Status, int Messages)> StrangerAsync(Uri url, string streamSid, string callSid)
    {
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(url, timeout.Token);
        var start = $$$"""{"event":"start","sequenceNumber":"1","start":{"accountSid":"AC{{{new string('0', 32)}}}","streamSid":"{{{streamSid}}}","callSid":"{{{callSid}}}","tracks":["inbound"],"customParameters":{},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}},"streamSid":"{{{streamSid}}}"}""";
        var media = $$$"""{"event":"media","sequenceNumber":"2","media":{"track":"inbound","chunk":"1","timestamp":"20","payload":"{{{Convert.ToBase64String(new byte[160])}}}"},"streamSid":"{{{streamSid}}}"}""";
        await socket.SendAsync(Encoding.UTF8.GetBytes(start), WebSocketMessageType.Text, true, timeout.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes(media), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[16 * 1024];
        var messages = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                return (result.CloseStatus, messages);
            }

            messages += result.EndOfMessage ? 1 : 0;
        }
    }
}
