using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Switchboard.TestInfrastructure;

/// <summary>
/// Records the <c>long</c> measurements of one meter created by one <see cref="IMeterFactory"/> (one host), so parallel
/// tests with their own hosts never see each other's counts.
/// </summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public MetricRecorder(IMeterFactory scope, params string[] meterNames)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meterNames.Contains(instrument.Meter.Name) && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        _listener.Start();
    }

    /// <summary>Sum of <paramref name="instrument"/>'s measurements, only those tagged <paramref name="tag"/>=<paramref name="value"/> if given.</summary>
    public long Sum(string instrument, string? tag = null, string? value = null) =>
        _measurements
            .Where(m => m.Instrument == instrument && (tag is null || m.Tags.Any(t => t.Key == tag && Equals(t.Value, value))))
            .Sum(m => m.Value);

    /// <summary>Current value of an observable instrument.</summary>
    public long Observe(string instrument)
    {
        var before = _measurements.Count(m => m.Instrument == instrument);
        _listener.RecordObservableInstruments();
        return _measurements.Where(m => m.Instrument == instrument).Skip(before).Select(m => m.Value).LastOrDefault();
    }

    public void Dispose() => _listener.Dispose();
}
