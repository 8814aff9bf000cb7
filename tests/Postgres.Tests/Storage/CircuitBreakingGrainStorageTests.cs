using System.Diagnostics.Metrics;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using Polly.CircuitBreaker;
using Switchboard.Postgres.Storage;

namespace Switchboard.Postgres.Tests.Storage;

/// <summary>The breaker in front of a fake inner store, on fake time: when it opens, what it refuses, the probe, what
/// does not count.</summary>
public sealed class CircuitBreakingGrainStorageTests : IDisposable
{
    private const string StorageName = "connections";
    private const string StateName = "session";
    private static readonly GrainId Grain = GrainId.Create("connection", "MZ-circuit");
    private static readonly GrainStorageCircuitBreakerOptions Options = new();

    private readonly FakeTimeProvider _time = new();
    private readonly FakeGrainStorage _inner = new();
    private readonly RecordingLogger<CircuitBreakingGrainStorage> _log = new();
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly List<(string Name, string? State)> _measurements = [];
    private readonly CircuitBreakingGrainStorage _storage;

    public CircuitBreakingGrainStorageTests()
    {
        var meterFactory = _metrics.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meterFactory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            string? state = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "state")
                {
                    state = (string?)tag.Value;
                }
            }

            lock (_measurements)
            {
                _measurements.Add((instrument.Name, state));
            }
        });
        _listener.Start();
        _storage = new CircuitBreakingGrainStorage(StorageName, _inner, Options, _time, new GrainStorageCircuitInstruments(meterFactory), _log);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public async Task WriteState_ThresholdConnectionFailures_OpensAndFailsFastWithoutCallingTheStore()
    {
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));
        _inner.Next = _ => Task.FromException(refused);

        for (var i = 0; i < Options.FailureThreshold; i++)
        {
            // The store's own failures pass through unchanged until the breaker opens.
            Assert.Same(refused, await Assert.ThrowsAsync<NpgsqlException>(WriteAsync));
        }

        var rejected = await Assert.ThrowsAsync<GrainStorageUnavailableException>(WriteAsync);

        Assert.Equal(Options.FailureThreshold, _inner.Calls);
        Assert.Equal(CircuitState.Open, _storage.State);
        Assert.Equal(StorageName, rejected.StorageName);
        Assert.Equal(Options.BreakDuration, rejected.RetryAfter);
        Assert.Contains("Grain storage 'connections' is unavailable", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("NpgsqlException: Failed to connect", rejected.Message, StringComparison.Ordinal);
        // ConnectionGrain steps down on InconsistentStateException and lets OperationCanceledException through; this
        // must land in neither catch but in its failed-write path (Orleans' state bridge passes an OrleansException on as is).
        Assert.IsAssignableFrom<OrleansException>(rejected);
        Assert.IsNotAssignableFrom<InconsistentStateException>(rejected);
        Assert.IsNotAssignableFrom<OperationCanceledException>(rejected);
        var opened = Assert.Single(_log.Entries, e => e.EventId.Name == "CircuitOpened");
        Assert.Same(refused, opened.Exception);
        Assert.Contains("circuit opened for 500 ms", opened.Message, StringComparison.Ordinal);
        Assert.Equal(
            [("switchboard.postgres.storage.circuit.transitions", "open"), ("switchboard.postgres.storage.calls.rejected", null)],
            Measurements());
    }

    [Fact]
    public async Task AllOperations_Open_FailFastWithoutCallingTheStore()
    {
        await OpenAsync();
        var state = new GrainState<string>("x");

        await Assert.ThrowsAsync<GrainStorageUnavailableException>(() => _storage.ReadStateAsync(StateName, Grain, state));
        await Assert.ThrowsAsync<GrainStorageUnavailableException>(() => _storage.ReadStateAsync(StateName, Grain, state, CancellationToken.None));
        await Assert.ThrowsAsync<GrainStorageUnavailableException>(() => _storage.WriteStateAsync(StateName, Grain, state));
        await Assert.ThrowsAsync<GrainStorageUnavailableException>(() => _storage.ClearStateAsync(StateName, Grain, state));
        await Assert.ThrowsAsync<GrainStorageUnavailableException>(() => _storage.ClearStateAsync(StateName, Grain, state, CancellationToken.None));

        Assert.Equal(Options.FailureThreshold, _inner.Calls);
    }

    [Fact]
    public async Task Open_BreakElapsed_LetsExactlyOneProbeThroughThenClosesOnItsSuccess()
    {
        await OpenAsync();
        _time.Advance(Options.BreakDuration - TimeSpan.FromMilliseconds(1));
        await Assert.ThrowsAsync<GrainStorageUnavailableException>(WriteAsync);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var probeReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probeAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inner.Next = _ =>
        {
            probeReached.TrySetResult();
            return probeAnswer.Task;
        };

        var probe = WriteAsync();
        // Polly runs the half-open event before the probe's call, off the caller's thread: wait for the call itself.
        await WaitAsync(probeReached.Task, "the probe to reach the inner store after the break");
        var whileProbing = await Assert.ThrowsAsync<GrainStorageUnavailableException>(WriteAsync);
        Assert.Equal(Options.FailureThreshold + 1, _inner.Calls);
        Assert.Equal(CircuitState.HalfOpen, _storage.State);
        probeAnswer.SetResult();
        await probe;

        Assert.Equal(CircuitState.Closed, _storage.State);
        Assert.Contains("circuit breaker is open", whileProbing.Message, StringComparison.Ordinal);
        _inner.Next = _ => Task.CompletedTask;
        await WriteAsync();
        await WriteAsync();
        Assert.Equal(Options.FailureThreshold + 3, _inner.Calls);
        Assert.Equal(["CircuitBreakerConfigured", "CircuitOpened", "CircuitHalfOpened", "CircuitClosed"], _log.Names());
        Assert.Contains("answered the probe (success)", _log.Entries.Last().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_FailsEachTime_BreakDoublesUpToTheMaximum()
    {
        await OpenAsync();
        var expectedBreaks = new[]
        {
            Options.BreakDuration,
            Options.BreakDuration * 2,
            Options.MaxBreakDuration,
            Options.MaxBreakDuration,
        };

        foreach (var expected in expectedBreaks)
        {
            // Refused a millisecond before the break ends, probed at its end.
            _time.Advance(expected - TimeSpan.FromMilliseconds(1));
            var calls = _inner.Calls;
            await Assert.ThrowsAsync<GrainStorageUnavailableException>(WriteAsync);
            Assert.Equal(calls, _inner.Calls);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            await Assert.ThrowsAsync<NpgsqlException>(WriteAsync);
            Assert.Equal(calls + 1, _inner.Calls);
            Assert.Equal(CircuitState.Open, _storage.State);
        }

        Assert.Equal([500, 1000, 2000, 2000, 2000], BreaksLoggedMs());
    }

    [Fact]
    public async Task Probe_Cancelled_StaysOpenInsteadOfClosingOnNoAnswer()
    {
        await OpenAsync();
        _time.Advance(Options.BreakDuration);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inner.Next = ct => HangUntilCancelled(reached, ct);
        using var cancel = new CancellationTokenSource();

        var probe = WriteAsync(cancel.Token);
        await WaitAsync(reached.Task, "the probe to reach the inner store after the break");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probe);
        // Were the breaker closed, the next call would reach the store and succeed.
        _inner.Next = _ => Task.CompletedTask;

        var calls = _inner.Calls;
        await Assert.ThrowsAsync<GrainStorageUnavailableException>(WriteAsync);
        Assert.Equal(calls, _inner.Calls);
        Assert.Equal(CircuitState.Open, _storage.State);
    }

    [Fact]
    public async Task WriteState_CancelledBeforeItStarts_ThrowsWithoutCallingTheStoreOrCounting()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        for (var i = 0; i < Options.FailureThreshold * 2; i++)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => WriteAsync(cancel.Token));
        }

        Assert.Equal(0, _inner.Calls);
        Assert.Equal(CircuitState.Closed, _storage.State);
    }

    [Fact]
    public async Task WriteState_CancelledInFlight_TheStoreSeesTheTokenAndNoFailureIsCounted()
    {
        for (var i = 0; i < Options.FailureThreshold * 2; i++)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _inner.Next = ct => HangUntilCancelled(reached, ct);
            using var cancel = new CancellationTokenSource();
            var write = WriteAsync(cancel.Token);
            await WaitAsync(reached.Task, $"write {i + 1} to reach the inner store");
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        }

        _inner.Next = _ => Task.CompletedTask;
        await WriteAsync();

        Assert.Equal(Options.FailureThreshold * 2 + 1, _inner.Calls);
        Assert.Equal(CircuitState.Closed, _storage.State);
    }

    [Fact]
    public async Task WriteState_EtagConflicts_PassThroughUnchangedAndNeverOpen()
    {
        var conflict = new InconsistentStateException("Version conflict (WriteState)", "stored-etag", "current-etag");
        _inner.Next = _ => Task.FromException(conflict);

        for (var i = 0; i < Options.FailureThreshold * 3; i++)
        {
            Assert.Same(conflict, await Assert.ThrowsAsync<InconsistentStateException>(WriteAsync));
        }

        Assert.Equal(CircuitState.Closed, _storage.State);
        Assert.Equal(Options.FailureThreshold * 3, _inner.Calls);
        Assert.DoesNotContain(_log.Entries, e => e.EventId.Name == "CircuitOpened");
    }

    [Fact]
    public async Task Probe_EtagConflict_PassesThroughAndClosesTheCircuit()
    {
        await OpenAsync();
        _time.Advance(Options.BreakDuration);
        var conflict = new InconsistentStateException("Version conflict (WriteState)", "stored-etag", "current-etag");
        _inner.Next = _ => Task.FromException(conflict);

        Assert.Same(conflict, await Assert.ThrowsAsync<InconsistentStateException>(WriteAsync));

        // A conflict is the server's answer: it is there.
        Assert.Equal(CircuitState.Closed, _storage.State);
        Assert.Contains("answered the probe (InconsistentStateException)", _log.Entries.Last().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteState_StatementErrors_PassThroughAndNeverOpen()
    {
        var refusedStatement = new PostgresException("relation \"orleansstorage\" does not exist", "ERROR", "ERROR", PostgresErrorCodes.UndefinedTable);
        _inner.Next = _ => Task.FromException(refusedStatement);

        for (var i = 0; i < Options.FailureThreshold * 2; i++)
        {
            Assert.Same(refusedStatement, await Assert.ThrowsAsync<PostgresException>(WriteAsync));
        }

        Assert.Equal(CircuitState.Closed, _storage.State);
    }

    [Fact]
    public async Task WriteState_FewerFailuresThanTheThreshold_StaysClosed()
    {
        _inner.Next = _ => Task.FromException(new NpgsqlException("Failed to connect"));
        for (var i = 0; i < Options.FailureThreshold - 1; i++)
        {
            await Assert.ThrowsAsync<NpgsqlException>(WriteAsync);
        }

        _inner.Next = _ => Task.CompletedTask;
        await WriteAsync();

        Assert.Equal(Options.FailureThreshold, _inner.Calls);
        Assert.Equal(CircuitState.Closed, _storage.State);
    }

    [Fact]
    public async Task WriteState_SuccessBetweenFailures_DoesNotOpen()
    {
        var fail = (Func<CancellationToken, Task>)(_ => Task.FromException(new NpgsqlException("Failed to connect")));
        _inner.Next = fail;
        await Assert.ThrowsAsync<NpgsqlException>(WriteAsync);
        await Assert.ThrowsAsync<NpgsqlException>(WriteAsync);
        _inner.Next = _ => Task.CompletedTask;
        await WriteAsync();
        _inner.Next = fail;
        await Assert.ThrowsAsync<NpgsqlException>(WriteAsync);
        await Assert.ThrowsAsync<NpgsqlException>(WriteAsync);

        // The success is still in the sampling window: not every call in it failed.
        await Assert.ThrowsAsync<NpgsqlException>(WriteAsync);
        Assert.Equal(6, _inner.Calls);
        Assert.Equal(CircuitState.Closed, _storage.State);
    }

    [Fact]
    public async Task WriteState_FailuresFartherApartThanTheSamplingWindow_DoNotOpen()
    {
        _inner.Next = _ => Task.FromException(new NpgsqlException("Failed to connect"));
        for (var i = 0; i < Options.FailureThreshold * 2; i++)
        {
            await Assert.ThrowsAsync<NpgsqlException>(WriteAsync);
            // One failure per window: a trickle, not a storm.
            _time.Advance(Options.SamplingDuration);
        }

        Assert.Equal(Options.FailureThreshold * 2, _inner.Calls);
        Assert.Equal(CircuitState.Closed, _storage.State);
    }

    [Fact]
    public async Task Closed_AfterAProbe_CountsFailuresAfresh()
    {
        await OpenAsync();
        _time.Advance(Options.BreakDuration);
        _inner.Next = _ => Task.CompletedTask;
        await WriteAsync();
        _inner.Next = _ => Task.FromException(new NpgsqlException("Failed to connect"));

        for (var i = 0; i < Options.FailureThreshold - 1; i++)
        {
            await Assert.ThrowsAsync<NpgsqlException>(WriteAsync);
        }

        Assert.Equal(CircuitState.Closed, _storage.State);
        await Assert.ThrowsAsync<NpgsqlException>(WriteAsync);
        Assert.Equal(CircuitState.Open, _storage.State);
    }

    [Fact]
    public void Participate_InnerIsALifecycleParticipant_PassesItOn()
    {
        _storage.Participate(null!);

        Assert.Equal(1, _inner.Participations);
    }

    private Task WriteAsync() => WriteAsync(CancellationToken.None);

    private Task WriteAsync(CancellationToken cancellationToken) =>
        _storage.WriteStateAsync(StateName, Grain, new GrainState<string>("checkpoint"), cancellationToken);

    private static Task HangUntilCancelled(TaskCompletionSource reached, CancellationToken cancellationToken)
    {
        reached.TrySetResult();
        return Task.Delay(Timeout.Infinite, cancellationToken);
    }

    private static async Task WaitAsync(Task task, string phase)
    {
        try
        {
            await task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after 10 s waiting for {phase}.");
        }
    }

    private async Task OpenAsync()
    {
        _inner.Next = _ => Task.FromException(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)));
        for (var i = 0; i < Options.FailureThreshold; i++)
        {
            await Assert.ThrowsAsync<NpgsqlException>(WriteAsync);
        }

        Assert.Equal(CircuitState.Open, _storage.State);
    }

    private List<(string Name, string? State)> Measurements()
    {
        lock (_measurements)
        {
            return [.. _measurements];
        }
    }

    private int[] BreaksLoggedMs() =>
    [
        .. _log.Entries.Where(e => e.EventId.Name == "CircuitOpened")
            .Select(e => int.Parse(System.Text.RegularExpressions.Regex.Match(e.Message, @"opened for (\d+) ms").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)),
    ];
}
