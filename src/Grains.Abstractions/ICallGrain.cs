namespace Switchboard.Grains;

/// <summary>
/// One Twilio call, keyed by its <c>callSid</c>: which of its streams is live. Switchboard serves bidirectional streams
/// (<c>&lt;Connect&gt;&lt;Stream&gt;</c>, the only kind that can carry audio back), and Twilio opens at most one of those
/// per call, so a second live <c>streamSid</c> for the same call is not Twilio's.
/// </summary>
[Alias("sb.ICallGrain")]
public interface ICallGrain : IGrainWithStringKey
{
    /// <summary>The connection grain of <paramref name="streamSid"/> is starting: granted unless another stream of this
    /// call is live (checked with that stream's grain, so an ended or never-started holder does not block anyone).</summary>
    [Alias("Claim")]
    Task<CallClaim> Claim(string streamSid, string? remoteAddress);
}

/// <summary>Answer to <see cref="ICallGrain.Claim"/>.</summary>
/// <param name="Granted">True when the stream may start.</param>
/// <param name="HolderStreamSid">When refused: the call's live stream.</param>
/// <param name="HolderRemoteAddress">When refused: that stream's socket's peer address.</param>
[GenerateSerializer]
[Immutable]
[Alias("sb.CallClaim")]
public sealed record CallClaim(
    [property: Id(0)] bool Granted,
    [property: Id(1)] string? HolderStreamSid,
    [property: Id(2)] string? HolderRemoteAddress);
