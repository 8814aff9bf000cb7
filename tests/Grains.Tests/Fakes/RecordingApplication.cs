using Switchboard.Grains.Applications;

namespace Switchboard.Grains.Tests.Fakes;

/// <summary>Creates <see cref="RecordingHandler"/>s and remembers them.</summary>
internal sealed class RecordingApplication : ICallApplication
{
    public List<RecordingHandler> Handlers { get; } = [];

    public bool ThrowOnCreate { get; set; }

    public RecordingHandler Handler => Handlers.Single();

    public ICallHandler CreateHandler(ICallSession session)
    {
        if (ThrowOnCreate)
        {
            throw new InvalidOperationException("application fault for the test");
        }

        var handler = new RecordingHandler(session);
        Handlers.Add(handler);
        return handler;
    }
}
