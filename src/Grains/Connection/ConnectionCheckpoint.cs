namespace Switchboard.Grains.Connection;

/// <summary>
/// What a new activation of a <see cref="ConnectionGrain"/> (on any silo) needs to continue a call: stored as grain state
/// <c>session</c> by the grain, made by <see cref="ConnectionSession.ToCheckpoint"/> and resumed by
/// <see cref="ConnectionSession.RestoreAsync"/>. Not kept: audio in flight (the outbound byte accounting starts at zero),
/// the token bucket (it restarts full), the rate-limit episode, and the handler's own memory (the application creates a
/// new handler). Stored as System.Text.Json in cluster mode: renaming a property breaks stored rows, adding one does not.
/// </summary>
/// <param name="Start">The <c>start</c> metadata.</param>
/// <param name="ObserverId">Grain id of the gateway socket's observer; null once detached or ended.</param>
/// <param name="GatewayId">The gateway holding the socket.</param>
/// <param name="State">Life-cycle state.</param>
/// <param name="Error">Error recorded with a final state.</param>
/// <param name="StartedAt">When <c>start</c> was first accepted (wall clock).</param>
/// <param name="EndedAt">When the final state was entered (wall clock), for the retention period; null while live.</param>
/// <param name="SequenceFirst">Sequence tracker origin.</param>
/// <param name="SequenceHighest">Highest sequence number seen.</param>
/// <param name="SequenceGaps">Numbers skipped (cumulative).</param>
/// <param name="SequenceDuplicates">Numbers seen again.</param>
/// <param name="SequenceReordered">Missing numbers that arrived late.</param>
/// <param name="SequenceStale">Numbers too old to classify.</param>
/// <param name="SequenceInvalid">Numbers below 1.</param>
/// <param name="SequenceWindow">Bitmap of the numbers seen in the window below the highest.</param>
/// <param name="PendingMarks">Marks awaiting their echo, FIFO.</param>
/// <param name="MediaReceived">Inbound media messages accepted.</param>
/// <param name="RateLimited">Inbound messages dropped by the rate limit.</param>
/// <param name="RefusedNotConnected">Outbound sends refused because the stream was not connected.</param>
/// <param name="HandlerFaults">Exceptions thrown by the handler.</param>
/// <param name="IgnoredAfterEnd">Messages ignored after a final state.</param>
/// <param name="IllegalTransitions">Refused state transitions.</param>
/// <param name="MarksPlayed">Echoes meaning played.</param>
/// <param name="MarksCleared">Echoes meaning cleared.</param>
/// <param name="UnexpectedMarkEchoes">Echoes that did not match the FIFO head.</param>
/// <param name="QueueRejected">Outbound enqueues refused by the queue bounds.</param>
/// <param name="Clears">Clears issued.</param>
/// <param name="LastRoundTripMs">Last WebSocket round trip reported.</param>
/// <param name="SocketId">The gateway socket inbound deliveries are numbered for.</param>
/// <param name="DeliveredThrough">Highest inbound delivery number acknowledged to the gateway for that socket (consumed,
/// and its output delivered): a restored activation skips these.</param>
/// <param name="AppliedThrough">Highest inbound delivery number whose sequence accounting this checkpoint holds: a
/// restored activation replays the numbers above <paramref name="DeliveredThrough"/> up to this one to the handler only.</param>
/// <param name="RemoteAddress">The attached socket's peer address, named when a second socket is refused.</param>
[GenerateSerializer]
[Alias("sb.ConnectionCheckpoint")]
internal sealed record ConnectionCheckpoint(
    [property: Id(0)] StreamStart Start,
    [property: Id(1)] string? ObserverId,
    [property: Id(2)] string? GatewayId,
    [property: Id(3)] ConnectionState State,
    [property: Id(4)] ConnectionErrorCode Error,
    [property: Id(5)] DateTimeOffset StartedAt,
    [property: Id(6)] DateTimeOffset? EndedAt,
    [property: Id(7)] long SequenceFirst,
    [property: Id(8)] long SequenceHighest,
    [property: Id(9)] long SequenceGaps,
    [property: Id(10)] long SequenceDuplicates,
    [property: Id(11)] long SequenceReordered,
    [property: Id(12)] long SequenceStale,
    [property: Id(13)] long SequenceInvalid,
    [property: Id(14)] ulong[] SequenceWindow,
    [property: Id(15)] IReadOnlyList<ConnectionCheckpointMark> PendingMarks,
    [property: Id(16)] long MediaReceived,
    [property: Id(17)] long RateLimited,
    [property: Id(18)] long RefusedNotConnected,
    [property: Id(20)] long HandlerFaults,
    [property: Id(21)] long IgnoredAfterEnd,
    [property: Id(22)] long IllegalTransitions,
    [property: Id(23)] long MarksPlayed,
    [property: Id(24)] long MarksCleared,
    [property: Id(25)] long UnexpectedMarkEchoes,
    [property: Id(26)] long QueueRejected,
    [property: Id(27)] long Clears,
    [property: Id(28)] double? LastRoundTripMs,
    [property: Id(29)] string? SocketId,
    [property: Id(30)] long DeliveredThrough,
    [property: Id(31)] long AppliedThrough,
    [property: Id(32)] string? RemoteAddress);
