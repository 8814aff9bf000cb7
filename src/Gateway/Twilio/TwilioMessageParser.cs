using System.Globalization;
using System.Text.Json;
using Switchboard.Grains;

namespace Switchboard.Gateway.Twilio;

/// <summary>
/// Parses Twilio's inbound media-stream frames (JSON text) into <see cref="TwilioParseResult"/> values.
///
/// Invariants: nothing thrown by the JSON reader escapes; every failure is a <see cref="TwilioParseError"/> value so
/// the receive loop can count it and carry on. Twilio encodes sequenceNumber, chunk and timestamp as strings; they
/// become longs here. <c>start.mediaFormat.sampleRate</c>/<c>channels</c> are JSON numbers. The media payload is
/// decoded from base64 into an exactly sized array (the grain keeps it).
/// </summary>
internal static class TwilioMessageParser
{
    public static TwilioParseResult Parse(ReadOnlySpan<byte> utf8Json)
    {
        TwilioEnvelopeDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(utf8Json, TwilioJsonContext.Default.TwilioEnvelopeDto);
        }
        catch (JsonException ex)
        {
            // Off the hot path: tell "not JSON at all" apart from "JSON with a wrongly typed field".
            return IsWellFormed(utf8Json)
                ? TwilioParseResult.Fail(TwilioParseError.WrongType, $"Field has the wrong JSON type at {ex.Path}.")
                : TwilioParseResult.Fail(TwilioParseError.MalformedJson, "Message is not well-formed JSON.");
        }

        if (dto is null)
        {
            return TwilioParseResult.Fail(TwilioParseError.WrongType, "Message is JSON null, not an object.");
        }

        return dto.Event switch
        {
            null or "" => Missing("event"),
            "connected" => ParseConnected(dto),
            "start" => ParseStart(dto),
            "media" => ParseMedia(dto),
            "dtmf" => ParseDtmf(dto),
            "mark" => ParseMark(dto),
            "stop" => ParseStop(dto),
            _ => TwilioParseResult.Fail(TwilioParseError.UnknownEvent, $"Unknown event '{Truncate(dto.Event)}'."),
        };
    }

    private static TwilioParseResult ParseConnected(TwilioEnvelopeDto dto)
    {
        if (string.IsNullOrEmpty(dto.Protocol))
        {
            return Missing("protocol");
        }

        if (string.IsNullOrEmpty(dto.Version))
        {
            return Missing("version");
        }

        return TwilioParseResult.Ok(new TwilioInboundMessage(TwilioEventKind.Connected, null, Connected: new TwilioConnected(dto.Protocol, dto.Version)));
    }

    private static TwilioParseResult ParseStart(TwilioEnvelopeDto dto)
    {
        if (!TryCommon(dto, out var streamSid, out var sequence, out var failure))
        {
            return failure;
        }

        var start = dto.Start;
        if (start is null)
        {
            return Missing("start");
        }

        if (string.IsNullOrEmpty(start.AccountSid))
        {
            return Missing("start.accountSid");
        }

        if (string.IsNullOrEmpty(start.CallSid))
        {
            return Missing("start.callSid");
        }

        var format = start.MediaFormat;
        if (format is null || string.IsNullOrEmpty(format.Encoding) || format.SampleRate is null || format.Channels is null)
        {
            return Missing("start.mediaFormat");
        }

        var message = new StreamStart(
            string.IsNullOrEmpty(start.StreamSid) ? streamSid : start.StreamSid,
            start.AccountSid,
            start.CallSid,
            (IReadOnlyList<string>?)start.Tracks ?? [],
            new MediaFormat(format.Encoding, format.SampleRate.Value, format.Channels.Value),
            (IReadOnlyDictionary<string, string>?)start.CustomParameters ?? new Dictionary<string, string>(),
            sequence);
        return TwilioParseResult.Ok(new TwilioInboundMessage(TwilioEventKind.Start, streamSid, Start: message));
    }

    private static TwilioParseResult ParseMedia(TwilioEnvelopeDto dto)
    {
        if (!TryCommon(dto, out var streamSid, out var sequence, out var failure))
        {
            return failure;
        }

        var media = dto.Media;
        if (media is null)
        {
            return Missing("media");
        }

        if (string.IsNullOrEmpty(media.Track))
        {
            return Missing("media.track");
        }

        if (!TryParseNumber(media.Chunk, "media.chunk", out var chunk, out failure)
            || !TryParseNumber(media.Timestamp, "media.timestamp", out var timestamp, out failure))
        {
            return failure;
        }

        if (media.Payload is null)
        {
            return Missing("media.payload");
        }

        if (!CanonicalBase64.TryDecode(media.Payload, out var payload))
        {
            return TwilioParseResult.Fail(TwilioParseError.InvalidBase64, "media.payload is not canonical standard base64 (RFC 4648 alphabet, padded, no whitespace).");
        }

        return TwilioParseResult.Ok(new TwilioInboundMessage(
            TwilioEventKind.Media, streamSid, Media: new InboundMedia(sequence, media.Track, chunk, timestamp, payload)));
    }

    private static TwilioParseResult ParseDtmf(TwilioEnvelopeDto dto)
    {
        if (!TryCommon(dto, out var streamSid, out var sequence, out var failure))
        {
            return failure;
        }

        if (dto.Dtmf is null)
        {
            return Missing("dtmf");
        }

        if (string.IsNullOrEmpty(dto.Dtmf.Digit))
        {
            return Missing("dtmf.digit");
        }

        return TwilioParseResult.Ok(new TwilioInboundMessage(TwilioEventKind.Dtmf, streamSid, Dtmf: new DtmfEvent(sequence, dto.Dtmf.Digit)));
    }

    private static TwilioParseResult ParseMark(TwilioEnvelopeDto dto)
    {
        if (!TryCommon(dto, out var streamSid, out var sequence, out var failure))
        {
            return failure;
        }

        // A mark without its body is malformed (twilio-media-streams.md §2).
        if (dto.Mark is null)
        {
            return Missing("mark");
        }

        if (dto.Mark.Name is null)
        {
            return Missing("mark.name");
        }

        return TwilioParseResult.Ok(new TwilioInboundMessage(TwilioEventKind.Mark, streamSid, Mark: new MarkEcho(sequence, dto.Mark.Name)));
    }

    private static TwilioParseResult ParseStop(TwilioEnvelopeDto dto)
    {
        if (!TryCommon(dto, out var streamSid, out var sequence, out var failure))
        {
            return failure;
        }

        // Twilio always sends the body; an absent one still ends the stream, with the SIDs unknown.
        var stop = new StreamStop(sequence, dto.Stop?.AccountSid ?? string.Empty, dto.Stop?.CallSid ?? string.Empty);
        return TwilioParseResult.Ok(new TwilioInboundMessage(TwilioEventKind.Stop, streamSid, Stop: stop));
    }

    private static bool TryCommon(TwilioEnvelopeDto dto, out string streamSid, out long sequence, out TwilioParseResult failure)
    {
        streamSid = dto.StreamSid ?? dto.Start?.StreamSid ?? string.Empty;
        sequence = 0;
        if (streamSid.Length == 0)
        {
            failure = Missing("streamSid");
            return false;
        }

        return TryParseNumber(dto.SequenceNumber, "sequenceNumber", out sequence, out failure);
    }

    private static bool TryParseNumber(string? text, string field, out long value, out TwilioParseResult failure)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = 0;
            failure = Missing(field);
            return false;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            failure = TwilioParseResult.Fail(TwilioParseError.InvalidNumber, $"{field} '{Truncate(text)}' is not a non-negative integer.");
            return false;
        }

        failure = default;
        return true;
    }

    private static bool IsWellFormed(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static TwilioParseResult Missing(string field) =>
        TwilioParseResult.Fail(TwilioParseError.MissingField, $"Required field '{field}' is missing.");

    private static string Truncate(string value) => value.Length <= 32 ? value : value[..32] + "…";
}
