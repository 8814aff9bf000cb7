using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.Tests.Networking;
using Switchboard.TestInfrastructure;

namespace Switchboard.Runtime.Tests.Diagnostics;

public sealed class ThreadPoolDelayMonitorTests : IDisposable
{
    private const int StalledEvent = 1012;
    private const int RecoveredEvent = 1013;
    private const string QueueDelay = "switchboard.runtime.threadpool.queue_delay";

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly RecordingLoggerProvider _logs = new();
    private readonly ConcurrentQueue<double> _delays = new();
    private readonly MeterListener _listener = new();
    private readonly ThreadPoolDelayMonitor _monitor;

    public ThreadPoolDelayMonitorTests()
    {
        var meterFactory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == QueueDelay && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _delays.Enqueue(value));
        _listener.Start();
        _monitor = new ThreadPoolDelayMonitor(new LoggerFactory([_logs]).CreateLogger<ThreadPoolDelayMonitor>(), new RuntimeInstruments(meterFactory), TimeProvider.System);
    }

    [Fact]
    public void Record_WaitsUnderThreshold_LogNothing()
    {
        _monitor.Record(TimeSpan.FromMilliseconds(1));
        _monitor.Record(ThreadPoolDelayMonitor.StallThreshold - TimeSpan.FromMilliseconds(1));

        Assert.Empty(_logs.Entries);
        Assert.Equal(2, _delays.Count);
    }

    [Fact]
    public void Record_StallOverSeveralProbes_LoggedOnceThenClearedWithWorstWait()
    {
        _monitor.Record(TimeSpan.FromMilliseconds(250));
        _monitor.Record(TimeSpan.FromMilliseconds(700));
        _monitor.Record(TimeSpan.FromMilliseconds(300));
        _monitor.Record(TimeSpan.FromMilliseconds(2));

        Assert.Single(_logs.Entries, e => e.EventId == StalledEvent && e.Level == LogLevel.Warning && e.Message.Contains("250 ms", StringComparison.Ordinal));
        Assert.Single(_logs.Entries, e => e.EventId == RecoveredEvent && e.Message.Contains("worst wait 700 ms", StringComparison.Ordinal));
        Assert.Equal([250d, 700d, 300d, 2d], _delays.ToArray());
    }

    [Fact]
    public void Record_SecondStall_LoggedAgain()
    {
        _monitor.Record(TimeSpan.FromMilliseconds(400));
        _monitor.Record(TimeSpan.FromMilliseconds(1));
        _monitor.Record(TimeSpan.FromMilliseconds(500));

        Assert.Equal(2, _logs.Entries.Count(e => e.EventId == StalledEvent));
    }

    [Fact]
    public async Task Monitor_Running_MeasuresTheRealPool()
    {
        await _monitor.StartAsync(CancellationToken.None);
        try
        {
            await TestWait.UntilAsync(() => _delays.Count >= 3, $"three probes recorded in {QueueDelay}", () => $"{_delays.Count} recorded");
        }
        finally
        {
            await _monitor.StopAsync(CancellationToken.None);
        }

        Assert.All(_delays, d => Assert.True(d >= 0, $"a queue delay cannot be negative: {d}"));
    }

    public void Dispose()
    {
        _monitor.Dispose();
        _listener.Dispose();
        _services.Dispose();
    }
}
