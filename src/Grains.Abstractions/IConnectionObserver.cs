using Switchboard.Runtime;

namespace Switchboard.Grains;

/// <summary>Implemented by the gateway for each socket it holds: the grain pushes outbound frames and close
/// requests through it. Calls arrive one at a time, in the order the grain sent them.</summary>
public interface IConnectionObserver : IGrainObserver
{
    /// <summary>Write one frame to Twilio.</summary>
    [OneWay]
    Task Send(OutboundFrame frame);

    /// <summary>Close the socket with the given code.</summary>
    [OneWay]
    Task Close(CloseInstruction instruction);
}
