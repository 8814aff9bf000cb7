using Switchboard.Grains.Applications;

namespace Switchboard.Grains.Tests.Fakes;

/// <summary>The echo application, counting the handlers it creates (one per activation that starts or restores a call).</summary>
internal sealed class CountingApplication : ICallApplication
{
    private readonly EchoApplication _echo = new();
    private int _created;

    public int Created => Volatile.Read(ref _created);

    public ICallHandler CreateHandler(ICallSession session)
    {
        Interlocked.Increment(ref _created);
        return _echo.CreateHandler(session);
    }
}
