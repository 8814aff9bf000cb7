namespace Switchboard.Grains.Applications;

/// <summary>What a mark echo from Twilio means.</summary>
public enum MarkOutcome
{
    /// <summary>Playback reached the mark: the audio before it was heard.</summary>
    Played,
    /// <summary>The mark was pending when a <c>clear</c> was sent: its audio was dropped, not played.</summary>
    Cleared,
    /// <summary>The echo matched no pending mark (counted, otherwise ignored).</summary>
    Unexpected,
}
