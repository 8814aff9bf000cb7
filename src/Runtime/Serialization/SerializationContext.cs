using Switchboard.Runtime.Invocation;

namespace Switchboard.Runtime.Serialization;

/// <summary>What a reader needs beyond bytes: the runtime that rebuilds grain and observer references.</summary>
/// <param name="References">Rebuilds references read from the wire; null where no references may appear.</param>
public sealed record SerializationContext(IGrainReferenceRuntime? References)
{
    /// <summary>A context that cannot rebuild references (pure data).</summary>
    public static SerializationContext Default { get; } = new((IGrainReferenceRuntime?)null);
}
