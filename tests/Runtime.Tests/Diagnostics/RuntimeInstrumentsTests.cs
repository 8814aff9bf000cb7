using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.Tests.TestGrains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Diagnostics;

public sealed class RuntimeInstrumentsTests(ITestOutputHelper output) : SiloFixture(output)
{
    [Fact]
    public async Task Instruments_ActivationCallAndTimeout_AreCounted()
    {
        var totals = new ConcurrentDictionary<string, long>();
        var scope = Silo.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            // Only this silo's meter: other test classes run silos in parallel.
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RuntimeInstruments.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        listener.Start();
        var grain = Grains.GetGrain<ITestGrain>("metrics");

        await grain.Enter(1);
        var blocked = grain.Block("metrics-gate");
        Silo.Time.Advance(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<TimeoutException>(() => TestWait.CompletesAsync(blocked, "blocked call"));
        Probe.Open("metrics-gate");

        Assert.Equal(1, totals.GetValueOrDefault("switchboard.runtime.activations.created"));
        Assert.Equal(1, totals.GetValueOrDefault("switchboard.runtime.calls.timeouts"));
        Assert.Equal(2, totals.GetValueOrDefault("switchboard.runtime.messages.sent"));
    }
}
