using Microsoft.Extensions.DependencyInjection;
using Switchboard.Runtime;
using Switchboard.Runtime.Catalog;

namespace Switchboard.TestInfrastructure;

/// <summary>Reaches into a <see cref="TestSilo"/>'s catalog, for tests that must end one activation while the silo lives
/// (the next call then creates a new activation, as after a failover).</summary>
public static class TestSiloActivations
{
    /// <summary>True while <paramref name="grainId"/> has an activation on the silo.</summary>
    public static bool HasActivation(this TestSilo silo, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.Services.GetRequiredService<GrainCatalog>().TryGetActivation(grainId, out _);
    }

    /// <summary>Waits until the activation of <paramref name="grainId"/> has no turn running or queued (or is gone). After
    /// advancing fake time this means the timer ticks it fired have run and their timers are re-armed.</summary>
    public static Task WaitQuiescentAsync(this TestSilo silo, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var catalog = silo.Services.GetRequiredService<GrainCatalog>();
        return TestWait.UntilAsync(
            () => !catalog.TryGetActivation(grainId, out var activation) || activation.RunningCount == 0,
            $"activation {grainId} has no running or queued turns",
            () => catalog.TryGetActivation(grainId, out var activation) ? $"{activation.RunningCount} running or queued" : "gone");
    }

    /// <summary>Deactivates the activation of <paramref name="grainId"/> as the runtime would for <paramref name="reason"/>
    /// (OnDeactivateAsync runs); completes once it has left the catalog. False when there was no activation.</summary>
    public static async Task<bool> DeactivateAsync(this TestSilo silo, GrainId grainId, DeactivationReason reason = DeactivationReason.ShuttingDown)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (!silo.Services.GetRequiredService<GrainCatalog>().TryGetActivation(grainId, out var activation))
        {
            return false;
        }

        await TestWait.CompletesAsync(activation.DeactivateAsync(reason), $"deactivation of {grainId}").ConfigureAwait(false);
        return true;
    }
}
