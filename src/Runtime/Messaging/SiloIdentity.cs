namespace Switchboard.Runtime.Messaging;

/// <summary>Runtime id of this silo for one process lifetime: the configured name plus a random suffix, so a restart
/// never reuses an identity (observer references of a previous life then fail instead of reaching a new object).</summary>
internal sealed class SiloIdentity(string siloName)
{
    public string Id { get; } = $"{siloName}.{Guid.NewGuid():N}"[..(siloName.Length + 13)];
}
