using Microsoft.AspNetCore.Builder;

namespace Switchboard.TestInfrastructure;

/// <summary>
/// Start and end of an in-process host under test (embedded silo, gateway, dashboard host): a bounded start that
/// disposes the host it could not start, so a failed test leaves no silo or port behind, and the stop-then-dispose
/// every such host ends with.
/// </summary>
public static class InProcessHost
{
    /// <summary>Bound on a host's start (an Orleans silo joins its own membership first); the machine is shared.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Starts <paramref name="app"/> within <paramref name="timeout"/> (<see cref="StartTimeout"/> by default);
    /// if it fails or times out, disposes it and rethrows, naming <paramref name="what"/>.</summary>
    public static async Task StartOrDisposeAsync(this WebApplication app, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await TestWait.CompletesAsync(app.StartAsync(), what, timeout ?? StartTimeout).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops <paramref name="app"/> gracefully (its drain, Orleans' shutdown), then disposes it.</summary>
    public static async Task StopAndDisposeAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
