using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Runtime.Networking;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Networking;

public sealed class NetworkingInstrumentsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Instruments_AfterTraffic_ReportTheManagersTotals()
    {
        await using var b = await TransportNode.StartSiloAsync(output, "b");
        await using var a = TransportNode.CreateSilo(output, "a", TransportNode.FreePort());
        for (var i = 1; i <= 50; i++)
        {
            Assert.True(a.Manager.TrySend(b.Id, TestMessages.OneWay(i, a.Id)));
        }

        await b.WaitForMessagesAsync(50);

        // The sender counts a flush when its write returns, which can be just after the receiver has the bytes.
        await TestWait.UntilAsync(() => a.Manager.GetCounters().MessagesSent == 50, "a counted 50 messages sent", () => a.Manager.GetCounters().ToString());

        var sender = Collect(a);
        var receiver = Collect(b);
        var counters = a.Manager.GetCounters();
        Assert.Equal(50, sender["switchboard.networking.messages.sent"]);
        Assert.Equal(counters.Flushes, sender["switchboard.networking.flushes"]);
        Assert.Equal(1, sender["switchboard.networking.connections"]);
        Assert.Equal(50, receiver["switchboard.networking.messages.received"]);
    }

    private static Dictionary<string, long> Collect(TransportNode node)
    {
        var values = new ConcurrentDictionary<string, long>();
        var scope = node.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            // Only this node's meter: other tests run managers in parallel.
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == NetworkingInstruments.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return new Dictionary<string, long>(values);
    }
}
