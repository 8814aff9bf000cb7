using System.Buffers;
using System.Buffers.Binary;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Networking;

namespace Switchboard.Runtime.Tests.Networking;

public sealed class MessageFrameCodecTests
{
    [Fact]
    public void FrameCodec_TruncatedFrame_ReturnsFalse()
    {
        var bytes = Encode(w => MessageFrameCodec.WriteMessage(w, FullMessage("dest")));

        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);

            Assert.False(MessageFrameCodec.TryRead(ref buffer, out _), $"a {length}-byte prefix of a {bytes.Length}-byte frame is incomplete");
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void FrameCodec_OversizedLength_ThrowsProtocolException()
    {
        // Only the prefix has arrived: the decoder must refuse now, not wait for (and buffer) a megabyte.
        var prefix = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, NetworkingOptions.DefaultMaxFrameBytes + 1u);
        var buffer = new ReadOnlySequence<byte>(prefix);

        var ex = Assert.Throws<ProtocolException>(() => MessageFrameCodec.TryRead(ref buffer, out _));

        Assert.Contains("exceeds the limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FrameCodec_LengthNearUInt32Max_ThrowsProtocolException()
    {
        var buffer = new ReadOnlySequence<byte>([0xFF, 0xFF, 0xFF, 0xFF, (byte)FrameType.Message]);

        Assert.Throws<ProtocolException>(() => MessageFrameCodec.TryRead(ref buffer, out _));
    }

    [Fact]
    public void FrameCodec_ZeroLength_ThrowsProtocolException()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[8]);

        Assert.Throws<ProtocolException>(() => MessageFrameCodec.TryRead(ref buffer, out _));
    }

    [Fact]
    public void FrameCodec_UnknownFrameType_ThrowsProtocolException()
    {
        var buffer = new ReadOnlySequence<byte>([1, 0, 0, 0, 99]);

        var ex = Assert.Throws<ProtocolException>(() => MessageFrameCodec.TryRead(ref buffer, out _));

        Assert.Contains("Unknown frame type 99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FrameCodec_LengthOneShort_ThrowsProtocolException()
    {
        var bytes = Encode(w => MessageFrameCodec.WriteMessage(w, FullMessage(null)));
        var shortened = bytes[..^1];
        BinaryPrimitives.WriteInt32LittleEndian(shortened, BinaryPrimitives.ReadInt32LittleEndian(shortened) - 1);
        var buffer = new ReadOnlySequence<byte>(shortened);

        var ex = Assert.Throws<ProtocolException>(() => MessageFrameCodec.TryRead(ref buffer, out _));

        Assert.Contains("body", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FrameCodec_LengthOneLongWithTrailingByte_ThrowsProtocolException()
    {
        var bytes = Encode(w => MessageFrameCodec.WriteMessage(w, FullMessage(null)));
        var longer = new byte[bytes.Length + 1];
        bytes.CopyTo(longer, 0);
        BinaryPrimitives.WriteInt32LittleEndian(longer, BinaryPrimitives.ReadInt32LittleEndian(bytes) + 1);
        var buffer = new ReadOnlySequence<byte>(longer);

        Assert.Throws<ProtocolException>(() => MessageFrameCodec.TryRead(ref buffer, out _));
    }

    [Fact]
    public void FrameCodec_HugeStringLengthInSmallFrame_ThrowsWithoutAllocatingIt()
    {
        // kind, status, flags, request id, interface id, method id, forward count, then a target type claiming 4 GiB.
        byte[] payload = [(byte)FrameType.Message, 1, 0, 0, 2, 1, 1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, (byte)'x'];
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        payload.CopyTo(frame, 4);
        var buffer = new ReadOnlySequence<byte>(frame);
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.Throws<ProtocolException>(() => MessageFrameCodec.TryRead(ref buffer, out _));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024, "a bogus length must not be allocated");
    }

    [Fact]
    public void FrameCodec_EveryBitFlipped_DecodesOrThrowsProtocolException()
    {
        var bytes = Encode(w => MessageFrameCodec.WriteMessage(w, FullMessage("127.0.0.1:11111@5")));
        var outcomes = new Dictionary<string, int>();

        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[bit / 8] ^= (byte)(1 << (bit % 8));
            var outcome = TryDecode(corrupt);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // TryDecode fails the test on any exception type other than ProtocolException.
        Assert.True(outcomes.GetValueOrDefault("protocol") > 0, string.Join(", ", outcomes));
    }

    [Fact]
    public void FrameCodec_RandomPayloads_DecodeOrThrowProtocolException()
    {
        var random = new Random(20261123);
        for (var i = 0; i < 5000; i++)
        {
            // A consistent length prefix and a valid frame type, so the payload decoders themselves get exercised.
            var payload = new byte[random.Next(1, 80)];
            random.NextBytes(payload);
            payload[0] = (byte)random.Next(1, 8);
            var frame = new byte[4 + payload.Length];
            BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
            payload.CopyTo(frame, 4);

            TryDecode(frame);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("127.0.0.1:11111@42")]
    public void FrameCodec_RoundTrip_PreservesEveryField(string? destination)
    {
        var original = FullMessage(destination);
        var bytes = Encode(w => MessageFrameCodec.WriteMessage(w, original));
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.True(MessageFrameCodec.TryRead(ref buffer, out var frame));

        Assert.True(buffer.IsEmpty);
        Assert.Equal(FrameType.Message, frame.Type);
        AssertSameMessage(original, frame.Message!);
        Assert.Equal(bytes.Length, MessageFrameCodec.GetMessageFrameLength(original));
    }

    [Fact]
    public void FrameCodec_RoundTrip_EmptyBodyAndExtremeValues()
    {
        var original = new Message
        {
            Kind = MessageKind.Request,
            RequestId = long.MinValue,
            Target = new GrainId(string.Empty, string.Empty),
            InterfaceId = uint.MaxValue,
            MethodId = ushort.MaxValue,
            Flags = (InvocationFlags)0xFF,
            Body = ReadOnlyMemory<byte>.Empty,
            Status = ResponseStatus.Ok,
            SenderId = string.Empty,
            ForwardCount = int.MaxValue,
        };
        var buffer = new ReadOnlySequence<byte>(Encode(w => MessageFrameCodec.WriteMessage(w, original)));

        Assert.True(MessageFrameCodec.TryRead(ref buffer, out var frame));

        AssertSameMessage(original, frame.Message!);
    }

    [Fact]
    public void FrameCodec_FrameSplitAcrossSegments_DecodesAtEverySplit()
    {
        var original = FullMessage("n");
        var bytes = Encode(w => MessageFrameCodec.WriteMessage(w, original));

        for (var split = 1; split < bytes.Length; split++)
        {
            var buffer = Segmented(bytes, split);

            Assert.True(MessageFrameCodec.TryRead(ref buffer, out var frame), $"split at {split}");

            AssertSameMessage(original, frame.Message!);
            Assert.True(buffer.IsEmpty);
        }
    }

    [Fact]
    public void FrameCodec_SeveralFramesInOneBuffer_ReadsEachAndStopsAtThePartialOne()
    {
        var writer = new ArrayBufferWriter<byte>();
        MessageFrameCodec.WritePing(writer, FrameType.Ping, 41);
        MessageFrameCodec.WriteMessage(writer, FullMessage(null));
        MessageFrameCodec.WritePing(writer, FrameType.Pong, -3);
        var bytes = writer.WrittenSpan.ToArray();
        var buffer = new ReadOnlySequence<byte>(bytes, 0, bytes.Length - 2);

        Assert.True(MessageFrameCodec.TryRead(ref buffer, out var ping));
        Assert.True(MessageFrameCodec.TryRead(ref buffer, out var message));
        Assert.False(MessageFrameCodec.TryRead(ref buffer, out _));

        Assert.Equal((FrameType.Ping, 41L), (ping.Type, ping.PingId));
        Assert.Equal(FrameType.Message, message.Type);
        Assert.Equal(11, buffer.Length);
    }

    [Fact]
    public void FrameCodec_HelloWithOtherMagic_ThrowsProtocolException()
    {
        var bytes = Encode(w => MessageFrameCodec.WriteHello(w, new HelloFrame(1, "c", "n", false)));
        bytes[5] = (byte)'X';
        var buffer = new ReadOnlySequence<byte>(bytes);

        var ex = Assert.Throws<ProtocolException>(() => MessageFrameCodec.TryRead(ref buffer, out _));

        Assert.Contains("magic", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FrameCodec_HelloOfUnknownVersion_DecodesTheVersionOnly()
    {
        // A future version may lay out the rest differently; the version alone must be readable so it can be refused.
        byte[] payload = [(byte)FrameType.Hello, (byte)'S', (byte)'W', (byte)'B', (byte)'D', 2, 0xDE, 0xAD];
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        payload.CopyTo(frame, 4);
        var buffer = new ReadOnlySequence<byte>(frame);

        Assert.True(MessageFrameCodec.TryRead(ref buffer, out var decoded));

        Assert.Equal(2, decoded.Hello!.ProtocolVersion);
    }

    [Fact]
    public void FrameCodec_PingWithWrongPayloadSize_ThrowsProtocolException()
    {
        var buffer = new ReadOnlySequence<byte>([5, 0, 0, 0, (byte)FrameType.Ping, 1, 2, 3, 4]);

        Assert.Throws<ProtocolException>(() => MessageFrameCodec.TryRead(ref buffer, out _));
    }

    [Fact]
    public void FrameCodec_InvalidUtf8_ThrowsProtocolException()
    {
        byte[] payload = [(byte)FrameType.HelloRefuse, 3, 0xC3, 0x28];
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        payload.CopyTo(frame, 4);
        var buffer = new ReadOnlySequence<byte>(frame);

        Assert.Throws<ProtocolException>(() => MessageFrameCodec.TryRead(ref buffer, out _));
    }

    [Fact]
    public void FrameCodec_HandshakeFrames_RoundTrip()
    {
        var writer = new ArrayBufferWriter<byte>();
        MessageFrameCodec.WriteHello(writer, new HelloFrame(1, "cluster-ä", "client/gw@9", IsClient: true));
        MessageFrameCodec.WriteText(writer, FrameType.HelloAccept, "10.0.0.1:11111@3");
        MessageFrameCodec.WriteText(writer, FrameType.HelloRefuse, "cluster id differs");
        var buffer = new ReadOnlySequence<byte>(writer.WrittenMemory);

        Assert.True(MessageFrameCodec.TryRead(ref buffer, out var hello));
        Assert.True(MessageFrameCodec.TryRead(ref buffer, out var accept));
        Assert.True(MessageFrameCodec.TryRead(ref buffer, out var refuse));

        Assert.Equal(new HelloFrame(1, "cluster-ä", "client/gw@9", true), hello.Hello);
        Assert.Equal((FrameType.HelloAccept, "10.0.0.1:11111@3"), (accept.Type, accept.Text));
        Assert.Equal((FrameType.HelloRefuse, "cluster id differs"), (refuse.Type, refuse.Text));
    }

    [Fact]
    public void FrameCodec_StringCache_ReusesRepeatedStrings()
    {
        var cache = new Utf8StringCache(64);
        var keys = new Utf8StringCache(512);
        var bytes = Encode(w => MessageFrameCodec.WriteMessage(w, FullMessage("127.0.0.1:11111@42")));
        var first = new ReadOnlySequence<byte>(bytes);
        var second = new ReadOnlySequence<byte>(bytes);

        Assert.True(MessageFrameCodec.TryRead(ref first, out var a, strings: cache, keys: keys));
        Assert.True(MessageFrameCodec.TryRead(ref second, out var b, strings: cache, keys: keys));

        Assert.Same(a.Message!.SenderId, b.Message!.SenderId);
        Assert.Same(a.Message.Destination, b.Message.Destination);
        Assert.Same(a.Message.Target.Type, b.Message.Target.Type);
        Assert.Same(a.Message.Target.Key, b.Message.Target.Key);
    }

    [Fact]
    public void CanEncode_BodyOverFrameLimit_False()
    {
        var message = TestMessages.OneWay(1, "s", bodyBytes: 2048);

        Assert.False(MessageFrameCodec.CanEncode(message, maxFrameBytes: 2048));
        Assert.True(MessageFrameCodec.CanEncode(message, maxFrameBytes: 4096));
    }

    [Fact]
    public void CanEncode_DefaultTarget_False()
    {
        var message = new Message { Kind = MessageKind.OneWay, RequestId = 1, Target = default, InterfaceId = 1, MethodId = 1, Body = default, SenderId = "s" };

        Assert.False(MessageFrameCodec.CanEncode(message, NetworkingOptions.DefaultMaxFrameBytes));
    }

    private static string TryDecode(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        try
        {
            return MessageFrameCodec.TryRead(ref buffer, out _) ? "decoded" : "incomplete";
        }
        catch (ProtocolException)
        {
            return "protocol";
        }
    }

    private static Message FullMessage(string? destination) => new()
    {
        Kind = MessageKind.Response,
        RequestId = 1_234_567_890_123,
        Target = new GrainId("call", "CA-ключ-📞"),
        InterfaceId = 0xDEADBEEF,
        MethodId = 513,
        Flags = InvocationFlags.ReadOnly | InvocationFlags.AlwaysInterleave,
        Body = new byte[] { 1, 2, 3, 0, 255, 128 },
        Status = ResponseStatus.Exception,
        SenderId = "127.0.0.1:22222@7",
        ForwardCount = 3,
        Destination = destination,
    };

    private static void AssertSameMessage(Message expected, Message actual)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.RequestId, actual.RequestId);
        Assert.Equal(expected.Target, actual.Target);
        Assert.Equal(expected.InterfaceId, actual.InterfaceId);
        Assert.Equal(expected.MethodId, actual.MethodId);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.SenderId, actual.SenderId);
        Assert.Equal(expected.ForwardCount, actual.ForwardCount);
        Assert.Equal(expected.Destination, actual.Destination);
        Assert.Equal(expected.Body.ToArray(), actual.Body.ToArray());
    }

    private static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int split)
    {
        var first = new Segment(bytes.AsMemory(0, split), 0);
        var last = first.Append(bytes.AsMemory(split));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
