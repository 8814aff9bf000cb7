namespace Switchboard.Gateway.Twilio;

/// <summary>Why an inbound message could not be parsed.</summary>
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
}
