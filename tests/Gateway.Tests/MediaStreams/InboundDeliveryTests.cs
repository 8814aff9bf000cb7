using Microsoft.Extensions.Time.Testing;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.Grains;
using Switchboard.TestInfrastructure;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>
/// <see cref="InboundDelivery"/> on fake time against a grain whose every call the test answers: failed and unanswered
/// calls are re-delivered with the same delivery numbers (the grain applies each once, in order), delivery is abandoned
/// after the redelivery timeout, the queue's bound drops the oldest events, a detached answer ends delivery, events
/// queued behind a call in flight leave together, and events the grain applied but did not acknowledge (its application
/// holds them) are kept until an acknowledgement or the observer's watermark covers them.
/// </summary>
public sealed class InboundDeliveryTests
{
    private const string Sid = "MZ00000000000000000000000000000042";
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(5);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ScriptedConnectionGrain _grain = new();

    [Fact]
    public async Task Deliver_Throws_RetriedWithTheSameDeliveryNumbers_GrainSeesEachEventOnceInOrder()
    {
        var delivery = Create();
        delivery.EnqueueMedia(Media(1));
        var first = await _grain.NextCallAsync("first attempt");
        delivery.EnqueueMedia(Media(2));
        delivery.EnqueueMark(new MarkEcho(3, "utt-1"));

        // Never reached the grain: the retry carries event 1 again, with what queued up behind it.
        first.FailUnapplied();
        var second = await NextCallAdvancingAsync("retry after a rejected call");
        // Applied, but the answer was lost: the retry re-sends the same numbers and the grain skips them.
        second.FailAfterApplying();
        var third = await NextCallAdvancingAsync("retry after a lost answer");
        third.Acknowledge();
        await TestWait.CompletesAsync(delivery.FlushAsync(), "flush after the acknowledgement");

        Assert.Equal([1L], first.Deliveries);
        Assert.Equal([1L, 2L, 3L], second.Deliveries);
        Assert.Equal([1L, 2L, 3L], third.Deliveries);
        Assert.Equal([1L, 2L, 3L], _grain.Applied.Select(e => e.Delivery));
        Assert.Equal([InboundKind.Media, InboundKind.Media, InboundKind.Mark], _grain.Applied.Select(e => e.Kind));
        Assert.Equal([1L, 2L], _grain.Applied.Take(2).Select(e => e.Media!.SequenceNumber));
        Assert.Equal(2, delivery.FailedAttempts);
        Assert.Single(_logs.Entries, e => e.EventName == "DeliveryRetrying");
        Assert.Single(_logs.Entries, e => e.EventName == "DeliveryRecovered" && e.Message.Contains("after 2 failed attempts", StringComparison.Ordinal));
        Assert.False(delivery.Abandoned.IsCompleted);
    }

    [Fact]
    public async Task Deliver_NeverAnswers_TimedOutAfterTheAttemptTimeoutAndRetried()
    {
        var delivery = Create(new GatewayOptions { DeliveryAttemptTimeout = TimeSpan.FromSeconds(1) });
        delivery.EnqueueMedia(Media(1));
        delivery.EnqueueMedia(Media(2));
        var hanging = await _grain.NextCallAsync("first attempt");
        var began = _time.GetUtcNow();

        // In steps, not one jump: the attempt's timer is created just after the call returns, maybe after a jump.
        await TestWait.UntilAsync(
            () =>
            {
                Assert.False(_grain.TryTakeCall(out _), $"retried after {_time.GetUtcNow() - began}, before the attempt timeout: {ScriptedConnectionGrain.Describe(_grain.Calls)}");
                _time.Advance(Step);
                return _time.GetUtcNow() - began >= TimeSpan.FromSeconds(1) - Step;
            },
            "the attempt timeout nearly over");
        var retry = await NextCallAdvancingAsync("retry after the attempt timeout");
        var retriedAfter = _time.GetUtcNow() - began;
        retry.Acknowledge();
        await TestWait.CompletesAsync(delivery.FlushAsync(), "flush after the retry was acknowledged");

        // The timeout plus the first retry delay (20 ms), and some steps of slack for the loop's thread.
        Assert.InRange(retriedAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5));
        Assert.False(hanging.Answer.IsCompleted);
        Assert.Equal(hanging.Deliveries, retry.Deliveries);
        Assert.Equal([1L, 2L], _grain.Applied.Select(e => e.Delivery));
        Assert.Equal(1, delivery.FailedAttempts);
        Assert.Single(_logs.Entries, e => e.EventName == "DeliveryRetrying" && e.Message.Contains(Sid, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deliver_GatewayCountRisesWhileInFlight_CallLeftToFinish()
    {
        var watch = new GatewayConnectionWatch();
        var delivery = Create(lost: () => watch.ConnectionLost);
        delivery.EnqueueMedia(Media(1));
        var call = await _grain.NextCallAsync("first attempt");

        watch.OnGatewayCountChanged(this, new GatewayCountChangedEventArgs(2, 1));

        await AssertNoMoreCallsAsync("after a connection opened");
        call.Acknowledge();
        await TestWait.CompletesAsync(delivery.FlushAsync(), "flush after the acknowledgement");
        Assert.Equal(0, watch.Losses);
        Assert.Equal(0, delivery.FailedAttempts);
    }

    [Fact]
    public async Task Deliver_ConnectionLostWhileInFlight_SentAgainAtOnceWithoutWaitingForTheTimeout()
    {
        var watch = new GatewayConnectionWatch();
        var delivery = Create(lost: () => watch.ConnectionLost);
        delivery.EnqueueMedia(Media(1));
        delivery.EnqueueMedia(Media(2));
        var hanging = await _grain.NextCallAsync("first attempt");
        var before = _time.GetUtcNow();

        watch.OnGatewayCountChanged(this, new GatewayCountChangedEventArgs(1, 2));
        var retry = await _grain.NextCallAsync("retry after the connection loss, fake time standing still");
        retry.Acknowledge();
        await TestWait.CompletesAsync(delivery.FlushAsync(), "flush after the retry was acknowledged");

        Assert.Equal(before, _time.GetUtcNow());
        Assert.False(hanging.Answer.IsCompleted);
        Assert.Equal(hanging.Deliveries, retry.Deliveries);
        Assert.Equal([1L, 2L], _grain.Applied.Select(e => e.Delivery));
        Assert.Equal(1, delivery.FailedAttempts);
    }

    [Fact]
    public async Task Deliver_NoAcknowledgementForTheRedeliveryTimeout_AbandonedAndLaterEventsIgnored()
    {
        var delivery = Create(new GatewayOptions { RedeliveryTimeout = TimeSpan.FromSeconds(2) });
        delivery.EnqueueMedia(Media(1));
        var first = await _grain.NextCallAsync("first attempt");
        var began = _time.GetUtcNow();
        first.FailUnapplied();

        var attempts = 1;
        var abandonedAt = TimeSpan.Zero;
        await TestWait.UntilAsync(
            () =>
            {
                while (_grain.TryTakeCall(out var call))
                {
                    Assert.False(_time.GetUtcNow() - began > TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(1), "still retrying well after the redelivery timeout");
                    attempts++;
                    call.FailUnapplied();
                }

                if (delivery.Abandoned.IsCompleted)
                {
                    abandonedAt = _time.GetUtcNow() - began;
                    return true;
                }

                _time.Advance(Step);
                return false;
            },
            "delivery abandoned after the redelivery timeout",
            () => $"{attempts} attempts over {_time.GetUtcNow() - began} of fake time");
        delivery.EnqueueMedia(Media(2));
        await TestWait.CompletesAsync(delivery.FlushAsync(), "flush after abandonment");

        Assert.True(abandonedAt >= TimeSpan.FromSeconds(2), $"abandoned after {abandonedAt}, before the redelivery timeout");
        // Retried all along: 20, 40, 80, 160 ms, then every 200 ms.
        Assert.InRange(attempts, 8, 20);
        Assert.Equal(attempts, _grain.Calls.Count);
        Assert.All(_grain.Calls, c => Assert.Equal([1L], c.Events.Select(e => e.Delivery)));
        Assert.Empty(_grain.Applied);
        Assert.Single(_logs.Entries, e => e.EventName == "DeliveryAbandoned" && e.Message.Contains("1 inbound events abandoned", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Enqueue_OverMaxUndeliveredEvents_OldestDroppedCountedAndLoggedOnce()
    {
        var delivery = Create(new GatewayOptions { MaxUndeliveredEvents = 3 });
        delivery.EnqueueMedia(Media(1));
        var inFlight = await _grain.NextCallAsync("first attempt");
        for (var sequence = 2; sequence <= 6; sequence++)
        {
            delivery.EnqueueMedia(Media(sequence));
        }

        // The call in flight still carries event 1; the queue behind it kept the newest three.
        inFlight.Acknowledge();
        var next = await _grain.NextCallAsync("the batch after the trim");
        next.Acknowledge();
        await TestWait.CompletesAsync(delivery.FlushAsync(), "flush");

        Assert.Equal(3, delivery.Trimmed);
        Assert.Equal([4L, 5L, 6L], next.Deliveries);
        Assert.Equal([1L, 4L, 5L, 6L], _grain.Applied.Select(e => e.Delivery));
        Assert.Single(_logs.Entries, e => e.EventName == "UndeliveredTrimmed" && e.Message.Contains("more than 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ack_NotAttached_StopsDelivery()
    {
        var delivery = Create();
        delivery.EnqueueMedia(Media(1));
        var first = await _grain.NextCallAsync("first attempt");
        delivery.EnqueueMedia(Media(2));

        first.AnswerWith(new DeliveryAck(1, Attached: false));
        await TestWait.CompletesAsync(delivery.FlushAsync(), "flush after the detached answer");
        delivery.EnqueueMedia(Media(3));
        await TestWait.CompletesAsync(delivery.FlushAsync(), "flush after an event queued once detached");

        Assert.True(delivery.Detached);
        Assert.Single(_grain.Calls);
        Assert.False(_grain.TryTakeCall(out _));
        Assert.False(delivery.Abandoned.IsCompleted);
    }

    [Fact]
    public async Task Enqueue_WhileACallIsInFlight_EventsLeaveTogetherInTheNextBatchInOrder()
    {
        var delivery = Create();
        delivery.EnqueueMedia(Media(1));
        var inFlight = await _grain.NextCallAsync("first attempt");
        delivery.EnqueueMedia(Media(2));
        delivery.EnqueueMark(new MarkEcho(3, "utt-1"));
        delivery.EnqueueDtmf(new DtmfEvent(4, "5"));
        delivery.EnqueueMedia(Media(5));

        inFlight.Acknowledge();
        var next = await _grain.NextCallAsync("the batch behind the call in flight");
        next.Acknowledge();
        await TestWait.CompletesAsync(delivery.FlushAsync(), "flush");

        Assert.Equal([1L], inFlight.Deliveries);
        Assert.Equal([2L, 3L, 4L, 5L], next.Deliveries);
        Assert.Equal([InboundKind.Media, InboundKind.Mark, InboundKind.Dtmf, InboundKind.Media], next.Batch.Events.Select(e => e.Kind));
        Assert.Equal("5", next.Batch.Events[2].Dtmf!.Digit);
        Assert.Equal(2, _grain.Calls.Count);
        Assert.All(_grain.Calls, c => Assert.Equal("ws-test", c.SocketId));
    }

    [Fact]
    public async Task FlushAsync_WaitsForTheAcknowledgement()
    {
        var delivery = Create();
        delivery.EnqueueMedia(Media(1));
        var inFlight = await _grain.NextCallAsync("first attempt");

        var flush = delivery.FlushAsync();
        Assert.False(flush.IsCompleted, "flush completed before the grain acknowledged");
        inFlight.Acknowledge();

        await TestWait.CompletesAsync(flush, "flush after the acknowledgement");
        Assert.Equal([1L], _grain.Applied.Select(e => e.Delivery));
    }

    [Fact]
    public async Task FlushAsync_ForAnEventQueuedAfterEverythingEarlierWasApplied_WaitsForThatEvent()
    {
        var delivery = Create();
        delivery.EnqueueMedia(Media(1));
        (await _grain.NextCallAsync("first attempt")).Acknowledge();
        await TestWait.UntilAsync(() => delivery.FlushAsync().IsCompleted, "event 1 applied");

        // Whether the loop has gone idle or is about to, a stop behind event 2 must wait for event 2.
        delivery.EnqueueMedia(Media(2));
        var flush = delivery.FlushAsync();
        Assert.False(flush.IsCompleted, "flush completed before event 2 reached the grain");
        var second = await _grain.NextCallAsync("event 2");
        Assert.False(flush.IsCompleted, "flush completed before the grain answered for event 2");
        second.Acknowledge();

        await TestWait.CompletesAsync(flush, "flush after event 2 was acknowledged");
        Assert.Equal([1L, 2L], _grain.Applied.Select(e => e.Delivery));
    }

    [Fact]
    public async Task Ack_LaggingWhatWasApplied_FlushCompletesAndTheGrainIsAskedAgainAfterThePollInterval()
    {
        var delivery = Create();
        delivery.EnqueueMedia(Media(1));
        var first = await _grain.NextCallAsync("first attempt");
        delivery.EnqueueMedia(Media(2));
        first.AcknowledgeHolding(0);
        var second = await _grain.NextCallAsync("the event queued behind the first");
        second.AcknowledgeHolding(0);

        // Applied is enough for flush (stop must not wait for audio the application holds until stop).
        await TestWait.CompletesAsync(delivery.FlushAsync(), "flush once everything was applied");
        var flushedAt = _time.GetUtcNow();
        Assert.False(_grain.TryTakeCall(out _), "asked again before the poll interval");
        var poll = await NextCallAdvancingAsync("the poll for the lagging acknowledgement");
        Assert.True(_time.GetUtcNow() - flushedAt >= InboundDelivery.AckPollInterval, $"polled after {_time.GetUtcNow() - flushedAt}");
        poll.Acknowledge();
        await AssertNoMoreCallsAsync("once everything is acknowledged");

        Assert.Equal([1L], first.Deliveries);
        Assert.Equal([2L], second.Deliveries);
        Assert.Empty(poll.Deliveries);
        Assert.Equal([1L, 2L], _grain.Applied.Select(e => e.Delivery));
        Assert.Equal(0, delivery.FailedAttempts);
    }

    [Fact]
    public async Task Enqueue_WhileWaitingForALaggingAck_LeavesAtOnceWithoutThePollDelay()
    {
        var delivery = Create();
        delivery.EnqueueMedia(Media(1));
        (await _grain.NextCallAsync("first attempt")).AcknowledgeHolding(0);
        await TestWait.CompletesAsync(delivery.FlushAsync(), "flush once event 1 was applied");

        delivery.EnqueueMedia(Media(2));
        // No fake time passes: the new event wakes the loop.
        var next = await _grain.NextCallAsync("the new event");
        next.Acknowledge();

        Assert.Equal([2L], next.Deliveries);
        Assert.Equal([1L, 2L], _grain.Applied.Select(e => e.Delivery));
    }

    [Fact]
    public async Task Covered_ByTheObserversWatermark_ForgottenAndNeverReDelivered()
    {
        var delivery = Create();
        delivery.EnqueueMedia(Media(1));
        var first = await _grain.NextCallAsync("first attempt");
        delivery.EnqueueMedia(Media(2));
        first.AcknowledgeHolding(0);
        (await _grain.NextCallAsync("event 2")).AcknowledgeHolding(0);
        await TestWait.CompletesAsync(delivery.FlushAsync(), "flush once both were applied");

        // The grain's output for events 1 and 2 reached the socket (an outbound batch with InboundWatermark 2).
        delivery.Covered(2);
        delivery.EnqueueMedia(Media(3));
        var third = await _grain.NextCallAsync("event 3");
        third.FailUnapplied();
        var retry = await NextCallAdvancingAsync("the retry of event 3");
        retry.Acknowledge();
        await AssertNoMoreCallsAsync("once everything is acknowledged");

        Assert.Equal([3L], third.Deliveries);
        // A failure rewinds to the first event not acknowledged or covered: 1 and 2 are not sent again.
        Assert.Equal([3L], retry.Deliveries);
        Assert.Equal([1L, 2L, 3L], _grain.Applied.Select(e => e.Delivery));
    }

    [Fact]
    public async Task Complete_WhileAnAckLags_StopsAskingAndIgnoresLaterEvents()
    {
        var delivery = Create();
        delivery.EnqueueMedia(Media(1));
        (await _grain.NextCallAsync("first attempt")).AcknowledgeHolding(0);
        await TestWait.CompletesAsync(delivery.FlushAsync(), "flush once event 1 was applied");

        delivery.Complete();
        delivery.EnqueueMedia(Media(2));

        await AssertNoMoreCallsAsync("after Complete");
        Assert.Single(_grain.Calls);
        Assert.True(delivery.FlushAsync().IsCompleted);
    }

    /// <summary>Steps fake time through several poll intervals and retry delays; fails on any call meanwhile.</summary>
    private async Task AssertNoMoreCallsAsync(string phase)
    {
        var until = _time.GetUtcNow() + 5 * InboundDelivery.AckPollInterval;
        await TestWait.UntilAsync(
            () =>
            {
                Assert.False(_grain.TryTakeCall(out var call), $"{phase}: expected no more Deliver calls, but got [{string.Join(",", call?.Deliveries ?? [])}]");
                _time.Advance(Step);
                return _time.GetUtcNow() >= until;
            },
            $"{phase}: {5 * InboundDelivery.AckPollInterval} of fake time without a call");
        Assert.False(_grain.TryTakeCall(out var last), $"{phase}: expected no more Deliver calls, but got [{string.Join(",", last?.Deliveries ?? [])}]");
    }

    private InboundDelivery Create(GatewayOptions? options = null, Func<CancellationToken>? lost = null) =>
        new(_grain, "ws-test", Sid, "203.0.113.7", options ?? new GatewayOptions { DeliveryAttemptTimeout = TimeSpan.FromSeconds(1) }, _time, _logs.CreateLogger("test"), lost);

    /// <summary>Steps fake time (retry delays, attempt timeouts) until the next call arrives.</summary>
    private async Task<ScriptedConnectionGrain.PendingDelivery> NextCallAdvancingAsync(string phase)
    {
        ScriptedConnectionGrain.PendingDelivery? next = null;
        await TestWait.UntilAsync(
            () =>
            {
                if (_grain.TryTakeCall(out next))
                {
                    return true;
                }

                _time.Advance(Step);
                return false;
            },
            $"{phase}: the next Deliver call",
            () => $"calls so far {ScriptedConnectionGrain.Describe(_grain.Calls)}");
        return next!;
    }

    private static InboundMedia Media(long sequence) => new(sequence, "inbound", sequence - 1, sequence * 20, [0xFF, 0xFF]);
}
