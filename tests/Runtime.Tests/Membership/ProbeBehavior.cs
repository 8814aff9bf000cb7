namespace Switchboard.Runtime.Tests.Membership;

/// <summary>How a scripted probe is answered.</summary>
public enum ProbeBehavior
{
    /// <summary>The peer answers at once.</summary>
    Answer,

    /// <summary>The connection is refused or reset: the probe fails at once (a SIGKILLed process).</summary>
    Refuse,

    /// <summary>No answer ever (a frozen host, a cut cable): the probe only ends by its timeout or cancellation.</summary>
    Hang,
}
