using Switchboard.Runtime.Timers;

namespace Switchboard.Runtime;

/// <summary>
/// Base class of grain implementations. The runtime creates one instance per activation (constructor
/// dependencies come from the silo's service provider), binds it to its <see cref="IGrainContext"/>, then calls
/// <see cref="OnActivateAsync"/> before the first request. All methods, timer callbacks and lifecycle hooks of one
/// activation run one turn at a time on the activation's scheduler, so grain state needs no locks.
/// Grain code must not use <c>ConfigureAwait(false)</c>: continuations must return to the activation.
/// </summary>
public abstract class Grain
{
    private IGrainContext? _context;

    /// <summary>The activation context; available from <see cref="OnActivateAsync"/> on.</summary>
    protected internal IGrainContext GrainContext
        => _context ?? throw new InvalidOperationException("The grain is not bound to an activation yet; use OnActivateAsync, not the constructor.");

    /// <summary>Identity of this grain.</summary>
    public GrainId GrainId => GrainContext.GrainId;

    /// <summary>Factory for references to other grains.</summary>
    protected IGrainFactory GrainFactory => GrainContext.GrainFactory;

    /// <summary>The grain's string key.</summary>
    public string GetPrimaryKeyString() => GrainContext.GrainId.Key;

    /// <summary>Called once, before the first request of this activation.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called once when the activation ends; best effort (a crashed process never runs it).</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Registers a timer with Orleans semantics: each tick is a grain turn, ticks never overlap, the period counts
    /// from the end of the previous callback, and the timer dies with the activation.</summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
        => GrainContext.RegisterTimer(callback, options);

    /// <summary>Registers a timer with a state argument; see <see cref="RegisterGrainTimer(Func{CancellationToken, Task}, GrainTimerCreationOptions)"/>.</summary>
    protected IGrainTimer RegisterGrainTimer<TState>(Func<TState, CancellationToken, Task> callback, TState state, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return GrainContext.RegisterTimer(ct => callback(state, ct), options);
    }

    /// <summary>Deactivate this activation once the current turn completes.</summary>
    protected void DeactivateOnIdle() => GrainContext.DeactivateOnIdle();

    /// <summary>Keeps the activation alive at least this long from now (never shortens the idle age).</summary>
    protected void DelayDeactivation(TimeSpan timeSpan) => GrainContext.DelayDeactivation(timeSpan);

    internal void Bind(IGrainContext context) => _context = context;
}
