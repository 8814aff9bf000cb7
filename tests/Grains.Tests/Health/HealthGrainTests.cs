using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Logging;
using Switchboard.Grains.Health;
using Switchboard.Grains.Tests.Fakes;
using Switchboard.Runtime;

namespace Switchboard.Grains.Tests.Health;

public class HealthGrainTests
{
    [Fact]
    public async Task Report_StatusChanges_LoggedOncePerChangeAndServedByGetHealth()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var logger = new ListLogger();
        var grain = await FakeGrainContext.ActivateAsync(
            new HealthGrain(Options.Create(new HealthOptions()), time, new TypedLogger(logger)),
            new FakeGrainContext(new GrainId("health", IHealthGrain.Key)));

        await grain.Report(new NodeReport("gw", NodeRole.Gateway, time.GetUtcNow(), time.GetUtcNow(), 2, []));
        await grain.Report(new NodeReport("s1", NodeRole.Silo, time.GetUtcNow(), time.GetUtcNow(), 2, []));
        await grain.Report(new NodeReport("s1", NodeRole.Silo, time.GetUtcNow(), time.GetUtcNow(), 2, []));
        time.Advance(TimeSpan.FromSeconds(3));

        var health = await grain.GetHealth();

        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal(2, health.Connections);
        Assert.Equal(3, health.UptimeSeconds);
        Assert.Equal(2, logger.Count(2100));
    }

    private sealed class TypedLogger(ListLogger inner) : ILogger<HealthGrain>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
