using Microsoft.Extensions.Time.Testing;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Tests.Fakes;
using Switchboard.TestInfrastructure;

namespace Switchboard.Grains.Tests.Connection;

/// <summary>
/// <see cref="OutboundPump"/> on fake time: one awaited delivery at a time, retries with the same sequence, the drop
/// after the retry window, and the close behind the frames.
/// </summary>
/// <remarks>Each test first clears the synchronization context: the pump's continuations then run inline on the thread
/// that completes what they wait for (the test's <see cref="FakeTimeProvider.Advance"/> or gate), one at a time, as on a
/// grain's scheduler, so every step is deterministic.</remarks>
public sealed class OutboundPumpTests
{
    private static readonly OutboundFrame A = new(OutboundKind.Media, [1], null);
    private static readonly OutboundFrame B = new(OutboundKind.Media, [2], null);
    private static readonly OutboundFrame C = new(OutboundKind.Mark, null, "c");
    private static readonly OutboundFrame D = new(OutboundKind.Clear, null, null);
    private static readonly CloseInstruction Bye = new(1000, "stream stopped", ConnectionErrorCode.None);
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingObserver _observer = new();
    private readonly ListLogger _logger = new();
    private long _consumed;

    public OutboundPumpTests() => SynchronizationContext.SetSynchronizationContext(null);

    // ---- failure cases ----

    [Fact]
    public void Deliver_ObserverFailsForTheWholeWindow_RetriedWithTheSameSequenceThenDroppedAndTheNextBatchGoesOn()
    {
        var pump = NewPump();
        _observer.FailAll = true;

        pump.Send(A);
        var firstFailure = _time.GetUtcNow();
        for (var step = 0; step < 1000 && !pump.Drained.IsCompleted; step++)
        {
            Assert.Equal(0, pump.DroppedBatches);
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.True(pump.Drained.IsCompleted, "the batch is still retried after 50 s of fake time");
        Assert.InRange(_time.GetUtcNow() - firstFailure, OutboundPump.RetryWindow, OutboundPump.RetryWindow + TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, pump.DroppedBatches);
        Assert.Equal(1, _logger.Count(2009));
        var attempts = _observer.Attempts;
        Assert.True(attempts.Count > 2, $"expected retries, saw {attempts.Count} attempts");
        Assert.All(attempts, a => Assert.Equal((attempts[0].Epoch, 1L), (a.Epoch, a.Sequence)));
        Assert.Empty(_observer.Batches);

        _observer.FailAll = false;
        pump.Send(B);

        var next = Assert.Single(_observer.Batches);
        Assert.Equal((attempts[0].Epoch, 2L, B), (next.Epoch, next.Sequence, Assert.Single(next.Frames)));
    }

    [Fact]
    public void Deliver_ObserverFailsTwice_ThirdAttemptWithTheSameSequenceAccepted()
    {
        var pump = NewPump();
        _observer.FailNext(2);

        pump.Send(A);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal(2, _observer.Attempts.Count);
        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.True(pump.Drained.IsCompleted);
        Assert.Equal([1L, 1, 1], _observer.Attempts.Select(a => a.Sequence));
        Assert.Equal(A, Assert.Single(Assert.Single(_observer.Batches).Frames));
        Assert.Equal(0, pump.DroppedBatches);
    }

    [Fact]
    public async Task Deliver_ObserverNeverAnswers_RetriedAfterTheAttemptTimeoutAndWrittenOnce()
    {
        var pump = NewPump();
        var hung = HoldAnswers();

        pump.Send(A);
        _time.Advance(OutboundPump.AttemptTimeout - TimeSpan.FromMilliseconds(1));
        Assert.Single(_observer.Attempts);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal(2, _observer.Attempts.Count);

        hung.SetResult();

        // The late answer of the abandoned first attempt and the retry's both arrive; the retry's may complete on
        // the thread pool (Task.WaitAsync), so wait for it.
        await TestWait.CompletesAsync(pump.Drained, "the pump once the hung observer answers both attempts");
        Assert.Equal([1L, 1], _observer.Attempts.Select(a => a.Sequence));
        Assert.Equal(A, Assert.Single(Assert.Single(_observer.Batches).Frames));
    }

    [Fact]
    public void Send_AfterClose_IgnoredAndOnlyTheFirstCloseCounts()
    {
        var pump = NewPump();

        pump.Send(A);
        pump.Close(Bye);
        pump.Send(B);
        pump.Close(new CloseInstruction(1008, "late", ConnectionErrorCode.RateLimit));

        Assert.Equal(new object[] { A, Bye }, _observer.Calls);
        Assert.Equal(2, _observer.Attempts.Count);
    }

    // ---- normal operation ----

    [Fact]
    public void Send_ObserverSlow_FramesQueuedMeanwhileLeaveInTheNextBatchInOrder()
    {
        var pump = NewPump();
        var slow = HoldAnswers();

        pump.Send(A);
        pump.Send(B);
        pump.Send(C);
        Assert.Single(_observer.Attempts);

        _observer.Gate = null;
        slow.SetResult();

        Assert.True(pump.Drained.IsCompleted);
        Assert.Equal(new[] { new[] { A }, new[] { B, C } }, _observer.Batches.Select(b => b.Frames.ToArray()));
        Assert.Equal([1L, 2], _observer.Batches.Select(b => b.Sequence));
        Assert.Equal(new[] { A, B, C }, _observer.Frames);
    }

    [Fact]
    public void Close_QueuedBehindFramesInFlight_LeavesWithTheLastFramesAfterThem()
    {
        var pump = NewPump();
        var slow = HoldAnswers();

        pump.Send(A);
        pump.Send(B);
        pump.Send(C);
        pump.Close(Bye);
        pump.Send(D);
        _observer.Gate = null;
        slow.SetResult();

        Assert.Equal(new object[] { A, B, C, Bye }, _observer.Calls);
        var last = _observer.Batches[^1];
        Assert.Equal((Bye, 2), (last.Close, last.Frames.Count));
        Assert.Null(_observer.Batches[0].Close);
    }

    [Fact]
    public void Hold_FramesWaitForReleaseAndCarryTheConsumedWatermark()
    {
        var pump = NewPump();

        pump.Hold();
        pump.Send(A);
        pump.Send(B);
        _consumed = 7;
        Assert.Empty(_observer.Attempts);
        pump.Release();

        var batch = Assert.Single(_observer.Batches);
        Assert.Equal(new[] { A, B }, batch.Frames);
        Assert.Equal(7, batch.InboundWatermark);
    }

    [Fact]
    public void SafeThrough_BatchInFlight_LagsUntilItIsDelivered()
    {
        var pump = NewPump();
        var slow = HoldAnswers();
        _consumed = 3;

        Assert.Equal(3, pump.SafeThrough(3));
        pump.Send(A);
        _consumed = 5;

        Assert.Equal(0, pump.SafeThrough(5));
        slow.SetResult();
        Assert.Equal(5, pump.SafeThrough(5));
    }

    private OutboundPump NewPump() => new(_observer, _observer.Id, "MZ-pump", _time, _logger, () => _consumed);

    // The observer's deliveries wait on the returned gate: a slow (or, never completed, hung) gateway.
    private TaskCompletionSource HoldAnswers()
    {
        var gate = new TaskCompletionSource();
        _observer.Gate = gate.Task;
        return gate;
    }
}
