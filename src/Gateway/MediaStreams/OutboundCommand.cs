using Switchboard.Grains;

namespace Switchboard.Gateway.MediaStreams;

/// <summary>One item of a socket's send queue: a frame to write, or a close to send (then the queue ends).</summary>
internal readonly record struct OutboundCommand(OutboundFrame? Frame, int CloseStatus, string? CloseReason, TaskCompletionSource? Completion);
