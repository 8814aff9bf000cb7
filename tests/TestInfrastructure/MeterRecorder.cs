using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Switchboard.TestInfrastructure;

/// <summary>
/// Sums the <c>long</c> measurements of the named meters created by one <see cref="IMeterFactory"/> (a host's, or a
/// <see cref="TestMeterFactory"/>), per instrument and per instrument plus one tag value. Other tests' meters, running in
/// parallel in the same process, have another scope and are ignored.
/// </summary>
public sealed class MeterRecorder : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);
    private readonly MeterListener _listener;

    /// <summary>Starts recording the meters named <paramref name="meterNames"/> that <paramref name="meterFactory"/> created or will create.</summary>
    public MeterRecorder(IMeterFactory meterFactory, params string[] meterNames)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var names = new HashSet<string>(meterNames, StringComparer.Ordinal);
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (names.Contains(instrument.Meter.Name) && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Sum of every measurement of <paramref name="instrument"/>.</summary>
    public long Total(string instrument) => _totals.GetValueOrDefault(instrument);

    /// <summary>Sum of the measurements of <paramref name="instrument"/> whose tag <paramref name="tag"/> was <paramref name="value"/>.</summary>
    public long Total(string instrument, string tag, string value) => _totals.GetValueOrDefault(Key(instrument, tag, value));

    /// <summary>Every total recorded so far, for failure messages.</summary>
    public string Describe() => string.Join(", ", _totals.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
        foreach (var (tag, tagValue) in tags)
        {
            _totals.AddOrUpdate(Key(instrument.Name, tag, tagValue?.ToString() ?? string.Empty), value, (_, total) => total + value);
        }
    }

    private static string Key(string instrument, string tag, string value) => $"{instrument}{{{tag}={value}}}";
}
