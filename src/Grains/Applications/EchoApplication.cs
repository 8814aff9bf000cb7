namespace Switchboard.Grains.Applications;

/// <summary>The embedded default application (<c>Application=echo</c>): plays the caller's audio back.</summary>
public sealed class EchoApplication : ICallApplication
{
    /// <summary>Configuration value of <c>Application</c> that selects this application.</summary>
    public const string Name = "echo";

    /// <inheritdoc />
    public ICallHandler CreateHandler(ICallSession session) => new EchoCallHandler(session, EchoCallHandler.DefaultChunkBytes);
}
