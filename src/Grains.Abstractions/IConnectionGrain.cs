using Switchboard.Runtime;

namespace Switchboard.Grains;

/// <summary>
/// One Twilio media stream, keyed by its <c>streamSid</c>. Owns the session's state machine, sequence accounting,
/// inbound rate limit, heartbeat, outbound queue (bounded in milliseconds of audio, with the FIFO of pending marks),
/// and hands audio to the call application.
/// </summary>
public interface IConnectionGrain : IGrainWithStringKey
{
    /// <summary>The gateway saw <c>start</c>: record metadata, attach <paramref name="observer"/> as the socket's
    /// outbound path, and move to CONNECTED. A second socket for the same stream is detected here.</summary>
    Task<AttachResult> Start(StreamStart start, IConnectionObserver observer, string gatewayId);

    /// <summary>An inbound <c>media</c> message (the hot path).</summary>
    [OneWay]
    Task OnMedia(InboundMedia media);

    /// <summary>Twilio echoed a mark.</summary>
    [OneWay]
    Task OnMark(MarkEcho mark);

    /// <summary>A DTMF key press.</summary>
    [OneWay]
    Task OnDtmf(DtmfEvent dtmf);

    /// <summary>Twilio's <c>stop</c>: the stream ended normally.</summary>
    Task Stop(StreamStop stop);

    /// <summary>The socket closed without <c>stop</c>.</summary>
    Task SocketClosed(SocketClosure closure);

    /// <summary>A WebSocket ping round trip measured by the gateway.</summary>
    [OneWay]
    Task ReportRoundTrip(double roundTripMs);

    /// <summary>Application API: queue outbound μ-law audio.</summary>
    Task<EnqueueResult> EnqueueMedia(byte[] audio);

    /// <summary>Application API: queue a mark after the audio queued so far.</summary>
    Task<EnqueueResult> EnqueueMark(string name);

    /// <summary>Application API: drop queued and buffered audio (barge-in); pending marks become <em>cleared</em>.</summary>
    Task Clear();

    /// <summary>Current state and counters.</summary>
    [AlwaysInterleave]
    Task<ConnectionSnapshot> GetSnapshot();
}
