using Switchboard.Grains.Applications;

namespace Switchboard.Grains.Tests.Fakes;

/// <summary>An <see cref="ICallSession"/> that records sends and can refuse media.</summary>
internal sealed class FakeCallSession : ICallSession
{
    public List<OutboundFrame> Sent { get; } = [];

    public bool RefuseMedia { get; set; }

    public string StreamSid => "MZtest";

    public StreamStart Start { get; } = new("MZtest", "ACtest", "CAtest", ["inbound"], new MediaFormat("audio/x-mulaw", 8000, 1), new Dictionary<string, string>(), 1);

    public double BufferedMs => 0;

    public EnqueueResult SendMedia(ReadOnlySpan<byte> audio)
    {
        if (RefuseMedia)
        {
            return new EnqueueResult(false, 0, "full");
        }

        Sent.Add(new OutboundFrame(OutboundKind.Media, audio.ToArray(), null));
        return new EnqueueResult(true, 0, null);
    }

    public EnqueueResult SendMark(string name)
    {
        Sent.Add(new OutboundFrame(OutboundKind.Mark, null, name));
        return new EnqueueResult(true, 0, null);
    }

    public void Clear() => Sent.Add(new OutboundFrame(OutboundKind.Clear, null, null));

    public int Consumed { get; private set; }

    public void MarkConsumed() => Consumed++;
}
