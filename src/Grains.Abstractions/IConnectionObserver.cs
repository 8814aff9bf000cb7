namespace Switchboard.Grains;

/// <summary>Implemented by the gateway for each socket it holds: the grain's outbound path. The gateway keeps a strong
/// reference to the object for as long as the socket lives (Orleans holds observers weakly).</summary>
[Alias("sb.IConnectionObserver")]
public interface IConnectionObserver : IGrainObserver
{
    /// <summary>Write <paramref name="batch"/>'s frames to Twilio, in order, then close if it says so. Awaited by the
    /// grain, one batch at a time: the completed call is the grain's proof the frames were queued on the socket.</summary>
    [Alias("Deliver")]
    Task Deliver(OutboundBatch batch);
}
