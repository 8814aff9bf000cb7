namespace Switchboard.Grains.Tests.Fakes;

/// <summary>An <see cref="IConnectionObserver"/> that records what the grain pushed, in order.</summary>
internal sealed class RecordingObserver : IConnectionObserver
{
    public List<OutboundFrame> Frames { get; } = [];

    public List<CloseInstruction> Closes { get; } = [];

    public Task Send(OutboundFrame frame)
    {
        Frames.Add(frame);
        return Task.CompletedTask;
    }

    public Task Close(CloseInstruction instruction)
    {
        Closes.Add(instruction);
        return Task.CompletedTask;
    }
}
