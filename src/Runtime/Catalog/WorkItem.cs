using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Timers;

namespace Switchboard.Runtime.Catalog;

/// <summary>One turn waiting for an activation: an incoming message or a timer tick.</summary>
internal sealed class WorkItem
{
    private WorkItem(InvocationFlags flags, Message? message, IGrainInvoker? invoker, GrainTimer? timer)
    {
        Flags = flags;
        Message = message;
        Invoker = invoker;
        Timer = timer;
    }

    /// <summary>Scheduling flags; only <see cref="InvocationFlags.AlwaysInterleave"/> and <see cref="InvocationFlags.ReadOnly"/> matter here.</summary>
    public InvocationFlags Flags { get; }

    public Message? Message { get; }

    public IGrainInvoker? Invoker { get; }

    public GrainTimer? Timer { get; }

    public bool IsInterleaving => (Flags & InvocationFlags.AlwaysInterleave) != 0;

    public bool IsReadOnly => !IsInterleaving && (Flags & InvocationFlags.ReadOnly) != 0;

    public bool IsExclusive => !IsInterleaving && !IsReadOnly;

    public static WorkItem ForMessage(Message message, IGrainInvoker invoker, InvocationFlags flags) => new(flags, message, invoker, null);

    public static WorkItem ForTimer(GrainTimer timer, bool interleave)
        => new(interleave ? InvocationFlags.AlwaysInterleave : InvocationFlags.None, null, null, timer);
}
