namespace Switchboard.Runtime.Membership;

/// <summary>A membership view that can be re-read on demand, between its periodic refreshes. The router uses it while a
/// silo it lost is not yet declared dead, so a failover waits on the death declaration itself rather than on the next
/// periodic read (up to one <c>TableRefreshPeriod</c> later).</summary>
internal interface IMembershipRefresher
{
    /// <summary>Reads the table now and publishes the result; store failures are recorded, never thrown.</summary>
    Task RefreshNowAsync(CancellationToken cancellationToken);
}
