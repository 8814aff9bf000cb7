using Switchboard.Runtime.Invocation;

namespace Switchboard.Runtime.Messaging;

/// <summary>
/// One unit on the wire: a request, its response, or a one-way call. Everything a receiver needs is in here as
/// values and bytes, never object references, so the same message can cross a socket unchanged.
/// </summary>
internal sealed class Message
{
    public required MessageKind Kind { get; init; }

    /// <summary>Correlates a response with its request; unique per sender.</summary>
    public required long RequestId { get; init; }

    /// <summary>The grain or observer the request is addressed to (for a response: the request's target).</summary>
    public required GrainId Target { get; init; }

    public required uint InterfaceId { get; init; }

    public required ushort MethodId { get; init; }

    public InvocationFlags Flags { get; init; }

    /// <summary>Serialized arguments (requests) or result / exception (responses). Owned by the message.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    public ResponseStatus Status { get; init; }

    /// <summary>Identity of the silo or client that sent the request; responses go back to it.</summary>
    public required string SenderId { get; init; }

    /// <summary>How many times the message was handed from a deactivating activation to the next one.</summary>
    public int ForwardCount { get; init; }

    /// <summary>
    /// Node id (<see cref="SiloIdentity.Id"/>) the sender's router chose for this message; null until routed, and
    /// never set in embedded mode. A node that receives a message whose destination is not itself refuses it: the
    /// sender's view was stale (e.g. it addressed a previous generation of this endpoint).
    /// </summary>
    public string? Destination { get; set; }

    /// <summary>A copy with <see cref="ForwardCount"/> incremented (the body is shared: it is immutable).</summary>
    public Message Forwarded() => new()
    {
        Kind = Kind,
        RequestId = RequestId,
        Target = Target,
        InterfaceId = InterfaceId,
        MethodId = MethodId,
        Flags = Flags,
        Body = Body,
        Status = Status,
        SenderId = SenderId,
        ForwardCount = ForwardCount + 1,
    };

    /// <summary>Builds the response to this request.</summary>
    public Message CreateResponse(ResponseStatus status, ReadOnlyMemory<byte> body) => new()
    {
        Kind = MessageKind.Response,
        RequestId = RequestId,
        Target = Target,
        InterfaceId = InterfaceId,
        MethodId = MethodId,
        Flags = Flags,
        Body = body,
        Status = status,
        SenderId = SenderId,
    };

    public override string ToString() => $"{Kind} #{RequestId} {Target} if={InterfaceId} m={MethodId} from {SenderId}";
}
