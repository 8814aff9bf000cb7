using Switchboard.Runtime.Messaging;

namespace Switchboard.Runtime.Networking;

/// <summary>One decoded frame. Which member is set depends on <see cref="Type"/>: <see cref="Message"/> for message
/// frames, <see cref="Hello"/> for hellos, <see cref="Text"/> for accept (node id) and refuse (reason),
/// <see cref="PingId"/> for ping and pong.</summary>
internal readonly struct Frame
{
    private Frame(FrameType type, Message? message, HelloFrame? hello, string? text, long pingId)
    {
        Type = type;
        Message = message;
        Hello = hello;
        Text = text;
        PingId = pingId;
    }

    public FrameType Type { get; }

    public Message? Message { get; }

    public HelloFrame? Hello { get; }

    public string? Text { get; }

    public long PingId { get; }

    public static Frame ForMessage(Message message) => new(FrameType.Message, message, null, null, 0);

    public static Frame ForHello(HelloFrame hello) => new(FrameType.Hello, null, hello, null, 0);

    public static Frame ForText(FrameType type, string text) => new(type, null, null, text, 0);

    public static Frame ForPing(FrameType type, long id) => new(type, null, null, null, id);
}
