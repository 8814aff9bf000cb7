using System.Diagnostics.Metrics;

namespace Switchboard.Grains.Connection;

/// <summary>
/// Metrics of the connection grains (meter <c>Switchboard.Connection</c>): what a stream's inbound sequence, rate limit
/// and life cycle looked like, summed over every stream of the silo. One instance per silo (a singleton registered by
/// <see cref="GrainsServiceCollectionExtensions.AddSwitchboardGrains"/>).
/// </summary>
public sealed class ConnectionInstruments
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "Switchboard.Connection";

    /// <summary>Creates the instruments on <paramref name="meterFactory"/>'s <see cref="MeterName"/> meter.</summary>
    public ConnectionInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        SequenceAnomalies = meter.CreateCounter<long>("switchboard.connection.sequence.anomalies",
            description: "Inbound sequence numbers out of order (tag kind: gap counts each number skipped, duplicate, reordered, stale, invalid).");
        RateLimited = meter.CreateCounter<long>("switchboard.connection.messages.rate_limited",
            description: "Inbound media and dtmf messages dropped over the stream's rate limit (RATE_LIMIT).");
        Ended = meter.CreateCounter<long>("switchboard.connection.ended",
            description: "Streams that reached a final state (tags state and error).");
        StartsRefused = meter.CreateCounter<long>("switchboard.connection.starts.refused",
            description: "start messages refused (another socket holds the stream, the stream had ended, or its application failed to start).");
        meter.CreateObservableUpDownCounter("switchboard.connection.activations", () => Volatile.Read(ref _activations),
            description: "Connection grain activations live on this silo.");
    }

    private long _activations;

    /// <summary>Connection grain activations live on this silo (the silo's health report).</summary>
    public int LiveActivations => (int)Volatile.Read(ref _activations);

    internal void ActivationStarted() => Interlocked.Increment(ref _activations);

    internal void ActivationEnded() => Interlocked.Decrement(ref _activations);

    internal Counter<long> SequenceAnomalies { get; }

    internal Counter<long> RateLimited { get; }

    internal Counter<long> Ended { get; }

    internal Counter<long> StartsRefused { get; }

    internal void SequenceAnomaly(SequenceObservation observation, long count)
        => SequenceAnomalies.Add(count, new KeyValuePair<string, object?>("kind", observation switch
        {
            SequenceObservation.Gap => "gap",
            SequenceObservation.Duplicate => "duplicate",
            SequenceObservation.Reordered => "reordered",
            SequenceObservation.Stale => "stale",
            _ => "invalid",
        }));

    internal void StreamEnded(ConnectionState state, ConnectionErrorCode error)
        => Ended.Add(1,
            new KeyValuePair<string, object?>("state", state == ConnectionState.Failed ? "failed" : "disconnected"),
            new KeyValuePair<string, object?>("error", error switch
            {
                ConnectionErrorCode.ConnectionTimeout => "connection_timeout",
                ConnectionErrorCode.NetworkFailure => "network_failure",
                ConnectionErrorCode.AuthFailure => "auth_failure",
                ConnectionErrorCode.ServerError => "server_error",
                ConnectionErrorCode.RateLimit => "rate_limit",
                _ => "none",
            }));
}
