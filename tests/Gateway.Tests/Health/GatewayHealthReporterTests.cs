using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.Health;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.Grains;

namespace Switchboard.Gateway.Tests.Health;

public class GatewayHealthReporterTests
{
    [Fact]
    public async Task ReportOnce_GrainFails_DoesNotThrow()
    {
        var (reporter, grains, _, _) = Create();
        grains.Health.Failure = new InvalidOperationException("down");

        await reporter.ReportOnceAsync(CancellationToken.None);

        Assert.Single(grains.Recorder.Calls, c => c.Method == "Report");
    }

    [Fact]
    public async Task ReportOnce_SendsGatewayReportWithStreamsAndDrainedSamples()
    {
        var (reporter, grains, tracker, time) = Create();
        tracker.StreamOpened();
        tracker.StreamOpened();
        tracker.AddLatencySample(12.5);
        tracker.AddLatencySample(250);

        await reporter.ReportOnceAsync(CancellationToken.None);
        await reporter.ReportOnceAsync(CancellationToken.None);

        var reports = grains.Recorder.Calls.Where(c => c.Method == "Report").Select(c => (NodeReport)c.Argument!).ToList();
        Assert.Equal(2, reports.Count);
        Assert.Equal(NodeRole.Gateway, reports[0].Role);
        Assert.Equal(2, reports[0].Connections);
        Assert.Equal([12.5, 250.0], reports[0].LatencySamplesMs);
        Assert.Equal(time.GetUtcNow(), reports[0].SentAt);
        Assert.Empty(reports[1].LatencySamplesMs);
    }

    [Fact]
    public async Task Execute_PeriodElapsed_ReportsOnFakeTime()
    {
        var (reporter, grains, _, time) = Create();
        await reporter.StartAsync(CancellationToken.None);

        // ExecuteAsync starts on the thread pool, so the timer may not exist at the first Advance: tick until it reports.
        for (var tick = 0; tick < 50 && !grains.Recorder.Calls.Any(c => c.Method == "Report"); tick++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            try
            {
                await grains.Recorder.WaitForAsync("Report", TimeSpan.FromMilliseconds(200));
            }
            catch (TimeoutException)
            {
            }
        }

        await reporter.StopAsync(CancellationToken.None);

        Assert.Contains(grains.Recorder.Calls, c => c.Method == "Report");
    }

    private static (GatewayHealthReporter Reporter, FakeGrainFactory Grains, MediaStreamTracker Tracker, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var grains = new FakeGrainFactory();
        var services = new ServiceCollection().AddSingleton<IGrainFactory>(grains).BuildServiceProvider();
        var tracker = new MediaStreamTracker();
        var reporter = new GatewayHealthReporter(services, tracker, new GatewayIdentity(time), Options.Create(new GatewayOptions()), time, NullLogger<GatewayHealthReporter>.Instance);
        return (reporter, grains, tracker, time);
    }
}
