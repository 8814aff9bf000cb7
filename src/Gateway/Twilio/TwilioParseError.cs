namespace Switchboard.Gateway.Twilio;

/// <summary>Why an inbound message was refused: the parser's errors, and the last two, which the session detects against
/// the stream it already knows.</summary>
internal enum TwilioParseError
{
    None,
    /// <summary>Not well-formed JSON.</summary>
    MalformedJson,
    /// <summary>Well-formed JSON, but a field has the wrong JSON type.</summary>
    WrongType,
    /// <summary>A required field is absent or empty.</summary>
    MissingField,
    /// <summary>The <c>event</c> value is not one Twilio documents.</summary>
    UnknownEvent,
    /// <summary>A numeric string (sequenceNumber, chunk, timestamp) is not an integer.</summary>
    InvalidNumber,
    /// <summary>The media payload is not valid base64.</summary>
    InvalidBase64,
    /// <summary>The message names a streamSid other than the one this socket's <c>start</c> announced.</summary>
    WrongStreamSid,
    /// <summary>A <c>start</c> after this socket's stream already started.</summary>
    SecondStart,
}
