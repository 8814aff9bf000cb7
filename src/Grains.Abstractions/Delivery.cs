namespace Switchboard.Grains;

/// <summary>Kinds of inbound event a gateway delivers to a connection grain, in socket order.</summary>
[GenerateSerializer]
[Alias("sb.InboundKind")]
public enum InboundKind
{
    /// <summary>A <c>media</c> message (<see cref="InboundEvent.Media"/>).</summary>
    Media,
    /// <summary>A mark echo (<see cref="InboundEvent.Mark"/>).</summary>
    Mark,
    /// <summary>A DTMF key press (<see cref="InboundEvent.Dtmf"/>).</summary>
    Dtmf,
}

/// <summary>One inbound event with the gateway's delivery number for this stream.</summary>
/// <param name="Delivery">Assigned by the gateway, 1, 2, 3... per socket, never reused: the grain applies each number
/// once, so a batch re-delivered after a failover (or after a timeout whose outcome was unknown) is not processed twice.
/// It is independent of Twilio's <c>sequenceNumber</c>, whose gaps and duplicates the grain still counts.</param>
/// <param name="Kind">Which of the payloads is set.</param>
/// <param name="Media">The media message, for <see cref="InboundKind.Media"/>.</param>
/// <param name="Mark">The mark echo, for <see cref="InboundKind.Mark"/>.</param>
/// <param name="Dtmf">The key press, for <see cref="InboundKind.Dtmf"/>.</param>
[GenerateSerializer]
[Immutable]
[Alias("sb.InboundEvent")]
public sealed record InboundEvent(
    [property: Id(0)] long Delivery,
    [property: Id(1)] InboundKind Kind,
    [property: Id(2)] InboundMedia? Media,
    [property: Id(3)] MarkEcho? Mark,
    [property: Id(4)] DtmfEvent? Dtmf);

/// <summary>Inbound events of one stream in socket order, delivered with one awaited grain call.</summary>
/// <param name="SocketId">The gateway's socket: delivery numbers are scoped by it (a replacing socket starts at 1).</param>
/// <param name="Events">Ascending delivery numbers, contiguous.</param>
[GenerateSerializer]
[Immutable]
[Alias("sb.InboundBatch")]
public sealed record InboundBatch(
    [property: Id(0)] string SocketId,
    [property: Id(1)] IReadOnlyList<InboundEvent> Events);

/// <summary>The grain's answer to an <see cref="InboundBatch"/>.</summary>
/// <param name="DeliveredThrough">Highest delivery number the grain has applied for the socket: the gateway may forget
/// every event up to it.</param>
/// <param name="Attached">False when the grain has no live call for this socket (ended, replaced, or never started
/// here): the gateway stops delivering and closes the socket as the grain's state says.</param>
[GenerateSerializer]
[Immutable]
[Alias("sb.DeliveryAck")]
public sealed record DeliveryAck(
    [property: Id(0)] long DeliveredThrough,
    [property: Id(1)] bool Attached);

/// <summary>Outbound frames for one socket, pushed by the grain with one awaited observer call at a time, so they
/// reach the socket in the order the application queued them (Orleans does not order messages by itself).</summary>
/// <param name="Epoch">Identifies the sender (one grain activation's pump for one socket): sequences restart with it.</param>
/// <param name="Sequence">1, 2, 3... per epoch; the gateway drops a batch it has already written (a retry).</param>
/// <param name="Frames">Frames in order.</param>
/// <param name="Close">When set, close the socket after writing <paramref name="Frames"/>.</param>
/// <param name="InboundWatermark">Every inbound delivery number up to this one has all its output in this batch or an
/// earlier one: once the gateway has written the batch it may forget those inbound events (0 = none).</param>
[GenerateSerializer]
[Immutable]
[Alias("sb.OutboundBatch")]
public sealed record OutboundBatch(
    [property: Id(0)] long Epoch,
    [property: Id(1)] long Sequence,
    [property: Id(2)] IReadOnlyList<OutboundFrame> Frames,
    [property: Id(3)] CloseInstruction? Close,
    [property: Id(4)] long InboundWatermark = 0);
