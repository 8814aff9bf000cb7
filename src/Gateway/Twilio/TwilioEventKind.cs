namespace Switchboard.Gateway.Twilio;

/// <summary>The six events Twilio sends on a media stream.</summary>
internal enum TwilioEventKind
{
    Connected,
    Start,
    Media,
    Dtmf,
    Mark,
    Stop,
}
