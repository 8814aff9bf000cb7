using Orleans.Configuration;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// Switchboard's failure-detection settings for Orleans, in one place for silos and gateways. Orleans' defaults need
/// 5.5-11 s to declare a crashed silo dead (probe period 5 s, 3 missed probes); a call is audio, and every second of
/// that is audio the gateway must hold. These values measured 1.3-2.0 s here (../shared/orleans-10.md §3).
/// </summary>
/// <remarks>The risk is false suspicion on a starved machine: 2 missed probes of 1 s each. A silo wrongly declared
/// dead stops itself and its calls fail over like after a crash (nothing is lost; the gateway re-delivers), so a false
/// positive costs a restart of those calls' grains, not audio.</remarks>
public static class FailureDetection
{
    /// <summary>Probe period and timeout once round-trip samples exist.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Most a gateway waits for any grain call's response (Orleans' default: 30 s). Calls sent to a silo that
    /// died hang until then; the gateway bounds its own calls shorter still and retries.</summary>
    public static readonly TimeSpan ClientResponseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Most a silo waits for a response, including the gateway observer's acknowledgement of outbound audio.</summary>
    public static readonly TimeSpan SiloResponseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Applies the tuned membership settings to a silo.</summary>
    public static void Configure(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProbeTimeout = ProbeTimeout;
        options.MinProbeTimeout = ProbeTimeout;
        options.MaxProbeTimeout = TimeSpan.FromSeconds(4);
        options.NumMissedProbesLimit = 2;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
    }
}
