using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using Polly;
using Polly.CircuitBreaker;

namespace Switchboard.Postgres.Storage;

/// <summary>
/// Wraps a keyed Orleans <see cref="IGrainStorage"/> (the PostgreSQL one <c>UsePostgresCluster</c> registers) in a
/// Polly circuit breaker, so that while the database is away grains fail fast instead of each trying a connection.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> Every connection grain writes a checkpoint about once a second. With PostgreSQL down, each write
/// would open a connection of its own: a thousand calls on a silo make a thousand attempts a second against a server
/// that is starting up and pays a process per connection. Orleans' ADO.NET storage has no breaker, so this adds one
/// beside it, on its public contract only: a decorator of the keyed <see cref="IGrainStorage"/>.</para>
/// <para><b>Where.</b> In Switchboard.Postgres, not in the silo's hosting: which failures mean "the database cannot be
/// reached" is PostgreSQL's business (<see cref="PostgresFailures"/>), and every silo on PostgreSQL gets the breaker
/// through <c>UsePostgresCluster</c> without its host knowing.</para>
/// <para><b>States</b> (Polly's state machine, not ours). Closed: calls go to the database; once at least
/// <see cref="GrainStorageCircuitBreakerOptions.FailureThreshold"/> calls within
/// <see cref="GrainStorageCircuitBreakerOptions.SamplingDuration"/> all failed to reach it (failure ratio 1), the breaker
/// opens. Polly counts a ratio over a sliding window, not a run: ratio 1 makes it "N failures in a row", bounded to the
/// window; a trickle of fewer than N failures per window never opens it, and needs no protection. Open: every call
/// throws <see cref="GrainStorageUnavailableException"/> without touching the inner storage. After the break (first
/// <see cref="GrainStorageCircuitBreakerOptions.BreakDuration"/>, doubled per failed probe up to
/// <see cref="GrainStorageCircuitBreakerOptions.MaxBreakDuration"/>) it is half-open: one call is let through as the
/// probe, the others still fail fast. The probe's success closes the breaker; its failure opens it again.</para>
/// <para><b>What counts.</b> Only failures to reach the server. An ETag conflict (<see cref="InconsistentStateException"/>)
/// is an answer: it passes through unchanged and counts as a success (a conflicting probe closes the breaker, the
/// server is there). So does a statement the server refused. A cancelled call counts as a success while closed
/// (it says nothing about the database, and Polly has no "no verdict"), but a cancelled probe counts as a failure:
/// closing the breaker on it would let every grain at a database nobody heard from.</para>
/// <para><b>Context.</b> Calls arrive on the grain's scheduler; Polly is told to continue on it, as the inner storage
/// call would without the breaker.</para>
/// </remarks>
internal sealed class CircuitBreakingGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly IGrainStorage _inner;
    private readonly string _storageName;
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly GrainStorageCircuitInstruments _instruments;
    private readonly ILogger _logger;

    public CircuitBreakingGrainStorage(
        string storageName,
        IGrainStorage inner,
        GrainStorageCircuitBreakerOptions options,
        TimeProvider timeProvider,
        GrainStorageCircuitInstruments instruments,
        ILogger<CircuitBreakingGrainStorage> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storageName);
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(instruments);
        ArgumentNullException.ThrowIfNull(logger);
        _storageName = storageName;
        _inner = inner;
        _instruments = instruments;
        _logger = logger;

        var breakDuration = options.BreakDuration;
        var maxBreakDuration = options.MaxBreakDuration;
        _pipeline = new ResiliencePipelineBuilder { Name = $"grain-storage-{storageName}", TimeProvider = timeProvider }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 1.0,
                MinimumThroughput = options.FailureThreshold,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = breakDuration,
                BreakDurationGenerator = args => ValueTask.FromResult(NextBreak(breakDuration, maxBreakDuration, args.HalfOpenAttempts)),
                ShouldHandle = args => ValueTask.FromResult(IsStoreFailure(args.Outcome.Exception)),
                StateProvider = _state,
                OnOpened = args =>
                {
                    _instruments.Transitioned(_storageName, GrainStorageCircuitInstruments.States.Open);
                    GrainStorageCircuitLog.Opened(_logger, args.Outcome.Exception, _storageName, args.BreakDuration.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    _instruments.Transitioned(_storageName, GrainStorageCircuitInstruments.States.HalfOpen);
                    GrainStorageCircuitLog.HalfOpened(_logger, _storageName);
                    return ValueTask.CompletedTask;
                },
                OnClosed = args =>
                {
                    _instruments.Transitioned(_storageName, GrainStorageCircuitInstruments.States.Closed);
                    var exception = args.Outcome.Exception;
                    GrainStorageCircuitLog.Closed(_logger, exception, _storageName, exception is null ? "success" : exception.GetType().Name);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        GrainStorageCircuitLog.Configured(_logger, storageName, options.FailureThreshold, options.SamplingDuration.TotalMilliseconds,
            breakDuration.TotalMilliseconds, maxBreakDuration.TotalMilliseconds);
    }

    /// <summary>The breaker's state as Polly holds it (an elapsed break turns half-open on the next call).</summary>
    public CircuitState State => _state.CircuitState;

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
        => ExecuteAsync(
            static (call, ct) => call.Inner.ReadStateAsync(call.StateName, call.GrainId, call.GrainState, ct),
            (Inner: _inner, StateName: stateName, GrainId: grainId, GrainState: grainState),
            cancellationToken);

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
        => ExecuteAsync(
            static (call, ct) => call.Inner.WriteStateAsync(call.StateName, call.GrainId, call.GrainState, ct),
            (Inner: _inner, StateName: stateName, GrainId: grainId, GrainState: grainState),
            cancellationToken);

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
        => ExecuteAsync(
            static (call, ct) => call.Inner.ClearStateAsync(call.StateName, call.GrainId, call.GrainState, ct),
            (Inner: _inner, StateName: stateName, GrainId: grainId, GrainState: grainState),
            cancellationToken);

    /// <summary>Orleans registers the keyed storage itself as a silo lifecycle participant (that is how the ADO.NET
    /// storage reads its queries at start); the decorator stands in for it there, so it passes the call on.</summary>
    public void Participate(ISiloLifecycle lifecycle)
    {
        if (_inner is ILifecycleParticipant<ISiloLifecycle> participant)
        {
            participant.Participate(lifecycle);
        }
    }

    /// <summary>The break after <paramref name="halfOpenAttempts"/> failed probes: doubled each time, capped.</summary>
    internal static TimeSpan NextBreak(TimeSpan first, TimeSpan max, int halfOpenAttempts)
    {
        var doublings = Math.Clamp(halfOpenAttempts, 0, 30);
        var ticks = Math.Min((double)first.Ticks * Math.Pow(2, doublings), max.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private bool IsStoreFailure(Exception? exception) => exception switch
    {
        null => false,
        OperationCanceledException => _state.CircuitState == CircuitState.HalfOpen,
        _ => PostgresFailures.IsConnectionFailure(exception),
    };

    private async Task ExecuteAsync<TCall>(Func<TCall, CancellationToken, Task> operation, TCall call, CancellationToken cancellationToken)
    {
        // A call cancelled before it starts gives no verdict: it must neither reach the store nor count.
        cancellationToken.ThrowIfCancellationRequested();
        var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true, cancellationToken);
        try
        {
            await _pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask(state.Operation(state.Call, ctx.CancellationToken)),
                context,
                (Operation: operation, Call: call)).ConfigureAwait(true);
        }
        catch (BrokenCircuitException broken)
        {
            _instruments.Rejected(_storageName);
            throw new GrainStorageUnavailableException(_storageName, broken.RetryAfter, broken);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
