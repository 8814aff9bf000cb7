using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Invocation;

/// <summary>
/// Generated per grain or observer interface: dispatches a method id to a direct interface call on the target,
/// reading arguments and writing the result through the codec. No reflection is involved.
/// </summary>
public interface IGrainInvoker
{
    /// <summary>Flags of a method id; throws <see cref="CodecException"/> for an unknown id.</summary>
    InvocationFlags GetFlags(ushort methodId);

    /// <summary>Human-readable name of a method id (for logs and metrics).</summary>
    string GetMethodName(ushort methodId);

    /// <summary>Reads the arguments, invokes the method on <paramref name="target"/>, awaits it and writes the
    /// result (nothing for void methods). Exceptions thrown by the method propagate to the caller of this method.</summary>
    ValueTask InvokeAsync(object target, ushort methodId, CodecReader arguments, CodecWriter result);
}
