namespace Switchboard.Grains.Applications;

/// <summary>
/// A call application: what Switchboard does with a call's audio. One instance per silo (a singleton); it creates
/// one <see cref="ICallHandler"/> per media stream.
/// </summary>
public interface ICallApplication
{
    /// <summary>Creates the handler of one stream. Called once, when the stream's <c>start</c> is processed.</summary>
    /// <param name="session">The stream's session: metadata and the outbound API.</param>
    ICallHandler CreateHandler(ICallSession session);
}
