using System.Diagnostics.Metrics;

namespace Switchboard.Postgres.Storage;

/// <summary>
/// Metrics of the grain storage circuit breaker (meter <c>Switchboard.Postgres</c>): its state changes, and the calls it
/// refused without trying the database (each one a connection attempt a grain did not make).
/// </summary>
internal sealed class GrainStorageCircuitInstruments
{
    public const string MeterName = "Switchboard.Postgres";

    /// <summary><c>state</c> tag values of <see cref="Transitioned"/>.</summary>
    public static class States
    {
        public const string Open = "open";
        public const string HalfOpen = "half_open";
        public const string Closed = "closed";
    }

    private readonly Counter<long> _transitions;
    private readonly Counter<long> _rejected;

    public GrainStorageCircuitInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _transitions = meter.CreateCounter<long>("switchboard.postgres.storage.circuit.transitions",
            description: "Grain storage circuit breaker state changes, by storage and the state entered (open, half_open, closed).");
        _rejected = meter.CreateCounter<long>("switchboard.postgres.storage.calls.rejected",
            description: "Grain storage calls failed at once by an open circuit breaker, by storage.");
    }

    public void Transitioned(string storageName, string state) => _transitions.Add(1,
        new KeyValuePair<string, object?>("storage", storageName), new KeyValuePair<string, object?>("state", state));

    public void Rejected(string storageName) => _rejected.Add(1, new KeyValuePair<string, object?>("storage", storageName));
}
