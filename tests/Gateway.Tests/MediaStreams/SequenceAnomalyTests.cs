using System.Net.WebSockets;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.Grains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>
/// Sequence gaps, duplicates and reordering (README, "Limits and security"): counted in the stream's snapshot and in
/// <c>switchboard.connection.sequence.anomalies</c>, the first one logged, every message still processed, never a
/// crash. While a well-behaved call streams alongside.
/// </summary>
[Collection(CallAlongsideCollection.Name)]
public sealed class SequenceAnomalyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SequenceGapsDuplicatesReorderingAndAbsurdNumbers_CountedExposedAndTheStreamCarriesOnWhileCallAlongsideLosesNothing()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, TimeSpan.FromSeconds(4));
        using var bad = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (sid, callSid) = RawTwilioClient.NewIds();
        await bad.SendAsync(RawTwilioClient.Start(sid, callSid));

        // 2, 3, then 6 (gap: 4 and 5 missing), 6 again (duplicate), 4 (late: reordered), 0 (invalid), then a jump of a
        // trillion (gap), and 7 (too old to classify: stale).
        long[] sequence = [2, 3, 6, 6, 4, 0, 1_000_000_000_007, 7];
        foreach (var number in sequence)
        {
            await bad.SendAsync(RawTwilioClient.Media(sid, number));
        }

        await bad.SendAsync(RawTwilioClient.Stop(sid, callSid, 1_000_000_000_008));

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await bad.ReceiveUntilCloseAsync());
        var snapshot = await host.SnapshotAsync(sid);
        Assert.Equal(ConnectionState.Disconnected, snapshot.State);
        Assert.Equal(sequence.Length, snapshot.MediaReceived);
        Assert.Equal(1, snapshot.Duplicates);
        Assert.Equal(1, snapshot.Reordered);
        Assert.Equal(2 + (1_000_000_000_007 - 6 - 1), snapshot.SequenceGaps);
        Assert.Equal(1_000_000_000_008, snapshot.LastSequenceNumber);
        Assert.Equal(snapshot.SequenceGaps, host.Metrics.Total("switchboard.connection.sequence.anomalies", "kind", "gap"));
        Assert.Equal(1, host.Metrics.Total("switchboard.connection.sequence.anomalies", "kind", "duplicate"));
        Assert.Equal(1, host.Metrics.Total("switchboard.connection.sequence.anomalies", "kind", "reordered"));
        Assert.Equal(1, host.Metrics.Total("switchboard.connection.sequence.anomalies", "kind", "invalid"));
        Assert.Equal(1, host.Metrics.Total("switchboard.connection.sequence.anomalies", "kind", "stale"));
        Assert.Single(host.Logs.Entries, e => e.EventName == "SequenceAnomaly" && e.Message.Contains(sid, StringComparison.Ordinal));
        // The call alongside's own sequence is clean.
        var alongside = await host.SnapshotAsync(call.StreamSids[0]);
        Assert.Equal(0, alongside.SequenceGaps + alongside.Duplicates + alongside.Reordered);
        call.AssertStillStreaming("after the out-of-order stream ended");
        await call.AssertUnharmedAsync(output);
        await TestWait.UntilAsync(() => host.OpenStreams == 0, "every socket is freed");
    }
}
