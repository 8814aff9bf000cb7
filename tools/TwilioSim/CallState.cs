namespace Switchboard.TwilioSim;

/// <summary>Phases of a <see cref="SimulatedCall"/>, in order; <see cref="Failed"/> can follow any phase.</summary>
internal enum CallState
{
    /// <summary>Waiting for its ramp offset.</summary>
    Pending,

    /// <summary>Opening the socket and sending <c>connected</c> + <c>start</c>.</summary>
    Connecting,

    /// <summary>Sending one inbound frame per tick.</summary>
    Streaming,

    /// <summary>All frames sent; waiting (bounded) for echoes and marks.</summary>
    Draining,

    /// <summary>Sending <c>stop</c> and closing.</summary>
    Stopping,

    /// <summary>Closed normally.</summary>
    Completed,

    /// <summary>Connect failure, unexpected close, send failure or timeout.</summary>
    Failed,
}
