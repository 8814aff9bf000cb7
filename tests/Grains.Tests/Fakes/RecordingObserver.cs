namespace Switchboard.Grains.Tests.Fakes;

/// <summary>An <see cref="IConnectionObserver"/> that records what the grain pushed, in order.</summary>
internal sealed class RecordingObserver : IConnectionObserver
{
    public List<OutboundFrame> Frames { get; } = [];

    public List<CloseInstruction> Closes { get; } = [];

    /// <summary>Frames and closes interleaved in the order they were pushed.</summary>
    public List<object> Calls { get; } = [];

    public Task Send(OutboundFrame frame)
    {
        Frames.Add(frame);
        Calls.Add(frame);
        return Task.CompletedTask;
    }

    public Task Close(CloseInstruction instruction)
    {
        Closes.Add(instruction);
        Calls.Add(instruction);
        return Task.CompletedTask;
    }
}
