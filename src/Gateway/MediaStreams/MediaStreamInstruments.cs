using System.Diagnostics.Metrics;

namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// Metrics of the media-stream endpoint (meter <c>Switchboard.Gateway</c>): every bad input the gateway answers is
/// counted here, tagged with why. Counters only move on the failure paths, so a healthy call pays nothing for them.
/// </summary>
internal sealed class MediaStreamInstruments
{
    public const string MeterName = "Switchboard.Gateway";

    /// <summary>Tag values of <see cref="UpgradesRejected"/> (tag <c>reason</c>).</summary>
    public const string NotWebSocket = "not_websocket";

    /// <summary>Missing or wrong <c>X-Twilio-Signature</c>.</summary>
    public const string Signature = "signature";

    /// <summary><c>Origin</c> not in the allow-list.</summary>
    public const string Origin = "origin";

    /// <summary>Tag values of <see cref="PolicyCloses"/> (tag <c>reason</c>).</summary>
    public const string BinaryFrame = "binary_frame";

    /// <summary>A message over <c>Gateway:MaxMessageBytes</c>.</summary>
    public const string MessageTooBig = "message_too_big";

    /// <summary>The stream reached <c>Gateway:MaxMalformedMessages</c>.</summary>
    public const string MalformedLimit = "malformed_limit";

    /// <summary>A <c>start</c> without a valid stream ticket (<c>Gateway:RequireStreamTicket</c>).</summary>
    public const string StreamTicket = "stream_ticket";

    /// <summary>A <c>start</c> for a stream another socket holds, or that has ended.</summary>
    public const string DuplicateStream = "duplicate_stream";

    /// <summary>A send made no progress for <c>Gateway:SendStallTimeout</c>.</summary>
    public const string ClientNotReading = "client_not_reading";

    /// <summary>Tag values of <see cref="MediaDropped"/> (tag <c>reason</c>).</summary>
    public const string InvalidBase64 = "invalid_base64";

    /// <summary>Empty payload or over <c>Gateway:MaxMediaPayloadBytes</c>.</summary>
    public const string PayloadSize = "payload_size";

    public MediaStreamInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        UpgradesRejected = meter.CreateCounter<long>("switchboard.gateway.upgrades.rejected",
            description: "Requests on the media-stream path refused before any upgrade (tag reason).");
        PolicyCloses = meter.CreateCounter<long>("switchboard.gateway.streams.policy_closes",
            description: "Sockets the gateway closed or aborted for what the client sent or failed to read (tag reason).");
        MalformedMessages = meter.CreateCounter<long>("switchboard.gateway.messages.malformed",
            description: "Inbound messages refused as malformed, not forwarded (tag error).");
        DroppedBeforeStart = meter.CreateCounter<long>("switchboard.gateway.messages.dropped_before_start",
            description: "Messages received before start beyond Gateway:MaxBufferedBeforeStart, dropped.");
        MediaDropped = meter.CreateCounter<long>("switchboard.gateway.media.dropped",
            description: "Inbound media messages dropped for their payload, never forwarded (tag reason).");
        OutboundTrimmed = meter.CreateCounter<long>("switchboard.gateway.outbound.trimmed",
            description: "Queued outbound frames (stale audio, marks) dropped to keep a socket's send queue within its bound.");
        SocketsBroken = meter.CreateCounter<long>("switchboard.gateway.sockets.broken",
            description: "Sockets that ended without a close handshake (transport error, unanswered keep-alive, abort).");
    }

    public Counter<long> UpgradesRejected { get; }

    public Counter<long> PolicyCloses { get; }

    public Counter<long> MalformedMessages { get; }

    public Counter<long> DroppedBeforeStart { get; }

    public Counter<long> MediaDropped { get; }

    public Counter<long> OutboundTrimmed { get; }

    public Counter<long> SocketsBroken { get; }

    public void UpgradeRejected(string reason) => UpgradesRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void PolicyClose(string reason) => PolicyCloses.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Malformed(string error) => MalformedMessages.Add(1, new KeyValuePair<string, object?>("error", error));

    public void MediaDrop(string reason) => MediaDropped.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
