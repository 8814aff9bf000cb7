using Orleans.Concurrency;

namespace Switchboard.Grains;

/// <summary>
/// One Twilio media stream, keyed by its <c>streamSid</c>. Owns the session's state machine, sequence accounting,
/// inbound rate limit, heartbeat, outbound queue (bounded in milliseconds of audio, with the FIFO of pending marks),
/// and hands audio to the call application.
/// </summary>
/// <remarks>Inbound audio is not one-way: Orleans drops one-way calls silently while a dead silo is being declared
/// dead, so the gateway sends <see cref="Deliver"/> batches, awaits each, and re-delivers what was not acknowledged.</remarks>
[Alias("sb.IConnectionGrain")]
public interface IConnectionGrain : IGrainWithStringKey
{
    /// <summary>The gateway saw <c>start</c>: record metadata, attach <paramref name="observer"/> as the socket's
    /// outbound path, and move to CONNECTED. A second socket for the same stream is refused here, while the first is
    /// live and after the stream ended (<see cref="AttachResult.Refusal"/>); <paramref name="remoteAddress"/> is the
    /// socket's peer, kept so such a refusal can name the holder.</summary>
    [Alias("Start")]
    Task<AttachResult> Start(StreamStart start, IConnectionObserver observer, string gatewayId, string socketId, string? remoteAddress = null);

    /// <summary>Inbound media, marks and DTMF in socket order; events already applied are skipped (re-delivery).</summary>
    [Alias("Deliver")]
    Task<DeliveryAck> Deliver(InboundBatch batch);

    /// <summary>Twilio's <c>stop</c>: the stream ended normally.</summary>
    [Alias("Stop")]
    Task Stop(StreamStop stop);

    /// <summary>The socket closed without <c>stop</c>.</summary>
    [Alias("SocketClosed")]
    Task SocketClosed(SocketClosure closure);

    /// <summary>A WebSocket ping round trip measured by the gateway (a lost sample costs nothing).</summary>
    [OneWay]
    [Alias("ReportRoundTrip")]
    Task ReportRoundTrip(double roundTripMs);

    /// <summary>Application API: queue outbound μ-law audio.</summary>
    [Alias("EnqueueMedia")]
    Task<EnqueueResult> EnqueueMedia(byte[] audio);

    /// <summary>Application API: queue a mark after the audio queued so far.</summary>
    [Alias("EnqueueMark")]
    Task<EnqueueResult> EnqueueMark(string name);

    /// <summary>Application API: drop queued and buffered audio (barge-in); pending marks become <em>cleared</em>.</summary>
    [Alias("Clear")]
    Task Clear();

    /// <summary>Current state and counters.</summary>
    [AlwaysInterleave]
    [Alias("GetSnapshot")]
    Task<ConnectionSnapshot> GetSnapshot();
}
