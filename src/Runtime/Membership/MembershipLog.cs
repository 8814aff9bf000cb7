using Microsoft.Extensions.Logging;

namespace Switchboard.Runtime.Membership;

/// <summary>Log messages of cluster membership; event ids 3100-3199 are reserved for it.</summary>
internal static partial class MembershipLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Membership of {SiloAddress}: probe every {ProbePeriod} (timeout {ProbeTimeout}, vote after {NumMissedProbesLimit} misses, {NumProbedSilos} probed silos, {NumVotes} votes for death), table refresh {TableRefreshPeriod}, IAmAlive {IAmAlivePeriod}")]
    public static partial void EffectiveOptions(this ILogger logger, SiloAddress siloAddress, TimeSpan probePeriod, TimeSpan probeTimeout, int numMissedProbesLimit, int numProbedSilos, int numVotes, TimeSpan tableRefreshPeriod, TimeSpan iAmAlivePeriod);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Silo {SiloAddress} is Joining (table version {Version}, {ActiveCount} Active silos)")]
    public static partial void Joining(this ILogger logger, SiloAddress siloAddress, long version, int activeCount);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Silo {SiloAddress} is Active after {Elapsed}")]
    public static partial void Joined(this ILogger logger, SiloAddress siloAddress, TimeSpan elapsed);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Error, Message = "Silo {SiloAddress} got no probe answer from Active silo {Target} in {Attempts} attempts while joining; voting it suspect and joining anyway")]
    public static partial void JoinProbeFailed(this ILogger logger, SiloAddress siloAddress, SiloAddress target, int attempts);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Debug, Message = "Join of {SiloAddress} skips stale silo {Target} (last alive {LastAlive})")]
    public static partial void JoinSkipsStale(this ILogger logger, SiloAddress siloAddress, SiloAddress target, DateTimeOffset lastAlive);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "Declaring {Target}, an earlier generation of {SiloAddress}, dead")]
    public static partial void PreviousGenerationDead(this ILogger logger, SiloAddress siloAddress, SiloAddress target);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning, Message = "Membership store call {Operation} failed (attempt {Attempt} of {MaxAttempts}) while {SiloAddress} joins; retrying")]
    public static partial void JoinStoreRetry(this ILogger logger, Exception exception, string operation, int attempt, int maxAttempts, SiloAddress siloAddress);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Debug, Message = "Probe of {Target} failed ({MissedProbes} in a row)")]
    public static partial void ProbeFailed(this ILogger logger, SiloAddress target, int missedProbes);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Information, Message = "Probe of {Target} answered again after {MissedProbes} missed probes")]
    public static partial void ProbeRecovered(this ILogger logger, SiloAddress target, int missedProbes);

    [LoggerMessage(EventId = 3109, Level = LogLevel.Warning, Message = "{SiloAddress} voted {Target} suspect ({Votes} of {Required} fresh votes needed)")]
    public static partial void VotedSuspect(this ILogger logger, SiloAddress siloAddress, SiloAddress target, int votes, int required);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "{SiloAddress} declared {Target} Dead with {Votes} of {Required} fresh votes")]
    public static partial void DeclaredDead(this ILogger logger, SiloAddress siloAddress, SiloAddress target, int votes, int required);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Debug, Message = "Version conflict writing the row of {Target} at version {Version} (attempt {Attempt}); re-reading")]
    public static partial void WriteConflict(this ILogger logger, SiloAddress target, long version, int attempt);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Warning, Message = "Gave up writing the row of {Target} after {Attempts} version conflicts in a row")]
    public static partial void WriteGaveUp(this ILogger logger, SiloAddress target, int attempts);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Warning, Message = "Membership store unreachable ({Operation} failed): no votes or deaths can be written until it answers; this node keeps serving with its last view")]
    public static partial void StoreUnreachable(this ILogger logger, Exception exception, string operation);

    [LoggerMessage(EventId = 3114, Level = LogLevel.Information, Message = "Membership store reachable again after {Outage}")]
    public static partial void StoreRecovered(this ILogger logger, TimeSpan outage);

    [LoggerMessage(EventId = 3115, Level = LogLevel.Critical, Message = "Silo {SiloAddress} was declared Dead by the cluster (votes: {Votes}); it must stop now and restart with a new generation")]
    public static partial void OwnRowDead(this ILogger logger, SiloAddress siloAddress, string votes);

    [LoggerMessage(EventId = 3116, Level = LogLevel.Information, Message = "Silo {Target} is Dead (table version {Version})")]
    public static partial void SiloSeenDead(this ILogger logger, SiloAddress target, long version);

    [LoggerMessage(EventId = 3117, Level = LogLevel.Information, Message = "Silo {SiloAddress} wrote status {Status}")]
    public static partial void OwnStatusWritten(this ILogger logger, SiloAddress siloAddress, SiloStatus status);

    [LoggerMessage(EventId = 3118, Level = LogLevel.Warning, Message = "Silo {SiloAddress} could not write status {Status}; continuing without it")]
    public static partial void OwnStatusFailed(this ILogger logger, Exception? exception, SiloAddress siloAddress, SiloStatus status);

    [LoggerMessage(EventId = 3119, Level = LogLevel.Error, Message = "Membership background work failed unexpectedly; the loop continues")]
    public static partial void BackgroundFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3120, Level = LogLevel.Error, Message = "A membership event handler threw; handlers must not throw")]
    public static partial void HandlerFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3121, Level = LogLevel.Debug, Message = "Membership view changed: version {Version}, {ActiveCount} Active, {SuspectedCount} suspected, store reachable {StoreReachable}")]
    public static partial void SnapshotChanged(this ILogger logger, long version, int activeCount, int suspectedCount, bool storeReachable);

    [LoggerMessage(EventId = 3122, Level = LogLevel.Information, Message = "Membership reader has its first view: version {Version}, {ActiveCount} Active silos")]
    public static partial void ReaderStarted(this ILogger logger, long version, int activeCount);

    [LoggerMessage(EventId = 3123, Level = LogLevel.Warning, Message = "Membership reader could not read the table (attempt {Attempt}); retrying")]
    public static partial void ReaderStartRetry(this ILogger logger, Exception exception, int attempt);

    [LoggerMessage(EventId = 3124, Level = LogLevel.Debug, Message = "Deleted defunct membership rows last alive before {OlderThan}")]
    public static partial void DefunctCleaned(this ILogger logger, DateTimeOffset olderThan);
}
