namespace Switchboard.Silo.Hosting;

/// <summary>
/// Asks the cluster's membership store whether it answers this silo (cluster mode only; embedded mode has no store
/// outside the process). Used by <see cref="SiloHealthReporter"/> before each report.
/// </summary>
/// <remarks>
/// Why probe: while PostgreSQL is away Orleans keeps serving calls from its cached membership view and says nothing
/// through its public API, yet no silo can be declared dead or join and no checkpoint can be written. The probe reads
/// this silo's own row through Orleans' <see cref="IMembershipTable"/>, the same provider and connection pool Orleans
/// uses, so it fails exactly when Orleans' own membership reads would. It waits until this silo is Active: before that
/// Orleans has not initialised the table.
/// </remarks>
internal sealed class MembershipStoreProbe(
    IMembershipTable membershipTable,
    ILocalSiloDetails silo,
    IClusterMembershipService membership,
    TimeProvider timeProvider,
    ILogger<MembershipStoreProbe> logger)
{
    /// <summary>How long a probe may take before it counts as failed: well under the health grain's silence limit
    /// (5 s), so a store that hangs rather than refuses still leaves the silo reporting.</summary>
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private const int MaxErrorLength = 200;

    private string? _lastError;

    /// <summary>Reads this silo's membership row; returns null when the store answered (or the silo is not Active
    /// yet, keeping the previous answer), otherwise why not. Logs only the changes between reachable and unreachable.</summary>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        if (membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress) != SiloStatus.Active)
        {
            return _lastError;
        }

        string? error = null;
        try
        {
            await membershipTable.ReadRowAsync(silo.SiloAddress, cancellationToken).WaitAsync(Timeout, timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            error = $"no answer within {Timeout.TotalSeconds:0.#} s";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var text = $"{ex.GetType().Name}: {ex.Message}";
            error = text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
        }

        if (error is not null && _lastError is null)
        {
            SiloLog.MembershipStoreUnreachable(logger, error);
        }
        else if (error is null && _lastError is not null)
        {
            SiloLog.MembershipStoreReachable(logger);
        }

        _lastError = error;
        return error;
    }
}
