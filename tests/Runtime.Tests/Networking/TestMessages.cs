using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Messaging;

namespace Switchboard.Runtime.Tests.Networking;

internal static class TestMessages
{
    /// <summary>A one-way message of <paramref name="bodyBytes"/> bytes (160 = 20 ms of 8 kHz mu-law audio).</summary>
    public static Message OneWay(long requestId, string senderId, string? destination = null, int bodyBytes = 160)
    {
        var body = new byte[bodyBytes];
        body.AsSpan().Fill((byte)(requestId & 0xFF));
        return new Message
        {
            Kind = MessageKind.OneWay,
            RequestId = requestId,
            Target = new GrainId("call", "CA0123456789abcdef0123456789abcdef"),
            InterfaceId = 0xC0FFEE,
            MethodId = 7,
            Flags = InvocationFlags.OneWay,
            Body = body,
            SenderId = senderId,
            Destination = destination,
        };
    }
}
