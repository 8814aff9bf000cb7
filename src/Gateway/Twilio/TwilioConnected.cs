namespace Switchboard.Gateway.Twilio;

/// <summary>Twilio's first frame: <c>{"event":"connected","protocol":"Call","version":"1.0.0"}</c>.</summary>
internal sealed record TwilioConnected(string Protocol, string Version);
