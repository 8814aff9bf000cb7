namespace Switchboard.TwilioSim.Tests;

/// <summary>How the in-test server treats a call.</summary>
public enum EchoServerBehavior
{
    /// <summary>Echo every inbound payload in Twilio's outbound shape, with a mark every 10 frames.</summary>
    Echo,

    /// <summary>Close with 1011 right after <c>start</c>.</summary>
    CloseAfterStart,

    /// <summary>Echo, but skip every 5th inbound frame.</summary>
    DropEveryFifth,

    /// <summary>Drop the connection (no close frame) right after <c>start</c>.</summary>
    AbortAfterStart,

    /// <summary>Echo, but stall 600 ms before echoing the 50th frame (nothing lost, order kept).</summary>
    StallOnce,
}
