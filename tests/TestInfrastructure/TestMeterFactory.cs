using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Switchboard.TestInfrastructure;

/// <summary>An <see cref="IMeterFactory"/> for tests that build instruments without a host: its meters carry it as
/// their scope, so a <see cref="MeterRecorder"/> on it sees this test's measurements and no other test's.</summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly ConcurrentBag<Meter> _meters = [];

    /// <inheritdoc />
    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        _meters.Add(meter);
        return meter;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
