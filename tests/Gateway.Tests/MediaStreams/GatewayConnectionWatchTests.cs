using Switchboard.Gateway.MediaStreams;
using Switchboard.TestInfrastructure;

namespace Switchboard.Gateway.Tests.MediaStreams;

public class GatewayConnectionWatchTests
{
    [Fact]
    public void OnGatewayCountChanged_CountRisesOrStays_TokenNotCancelled()
    {
        var watch = new GatewayConnectionWatch();
        var token = watch.ConnectionLost;

        watch.OnGatewayCountChanged(null, new GatewayCountChangedEventArgs(1, 0));
        watch.OnGatewayCountChanged(null, new GatewayCountChangedEventArgs(2, 2));

        Assert.False(token.IsCancellationRequested);
        Assert.Equal(0, watch.Losses);
    }

    [Fact]
    public async Task OnGatewayCountChanged_CountDrops_TokenCancelledAndANewOneHandedOut()
    {
        var watch = new GatewayConnectionWatch();
        var token = watch.ConnectionLost;
        var cancelled = new TaskCompletionSource();
        using var registration = token.Register(cancelled.SetResult);

        watch.OnGatewayCountChanged(null, new GatewayCountChangedEventArgs(1, 2));

        await TestWait.CompletesAsync(cancelled.Task, "the token read before the loss, cancelled");
        Assert.False(watch.ConnectionLost.IsCancellationRequested);
        Assert.Equal(1, watch.Losses);
    }
}
