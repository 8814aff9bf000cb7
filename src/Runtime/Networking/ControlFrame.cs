namespace Switchboard.Runtime.Networking;

/// <summary>A ping or pong waiting for a connection's writer loop (they travel beside the message queue so that
/// backpressure on messages never blocks liveness traffic).</summary>
internal readonly record struct ControlFrame(FrameType Type, long PingId);
