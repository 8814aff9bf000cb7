using System.Buffers;
using System.Buffers.Binary;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Networking;
using Switchboard.TestInfrastructure;
using Switchboard.TestInfrastructure.Fuzzing;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Networking;

/// <summary>
/// Mutation-based fuzzing of the wire decoder (<see cref="MessageFrameCodec.TryRead"/>) with fixed seeds, over valid
/// frames of every type. The contract: any byte stream decodes to frames, stops at an incomplete frame, or fails with
/// <see cref="ProtocolException"/> and nothing else; allocations stay proportional to the bytes received; splitting
/// the stream into pipe segments never changes the outcome. End to end, a peer sending such bytes after its handshake
/// is disconnected while a well-behaved peer's messages keep arriving in order.
/// </summary>
public sealed class MessageFrameCodecFuzzTests(ITestOutputHelper output)
{
    private const int MaxFrameBytes = 64 * 1024;

    [Fact]
    public void TryRead_MutatedFramesOfEveryType_OnlyProtocolExceptionAndBoundedAllocation()
    {
        const int seed = 20261124;
        var seeds = SeedStreams();
        var mutator = new ByteMutator(seed);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 20_000; i++)
        {
            var input = mutator.Mutate(seeds[i % seeds.Length], seeds[mutator.Random.Next(seeds.Length)]);
            var before = GC.GetAllocatedBytesForCurrentThread();

            var outcome = DecodeAll(new ReadOnlySequence<byte>(input), $"seed {seed} case {i}");

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated <= (8L * input.Length) + (64 * 1024), $"seed {seed} case {i}: {allocated} bytes allocated decoding {input.Length} bytes");
            outcomes[outcome.Kind] = outcomes.GetValueOrDefault(outcome.Kind) + 1;
        }

        output.WriteLine(string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}")));
        Assert.True(outcomes.GetValueOrDefault("protocol") > 1000, "mutations must reach the payload decoders");
        Assert.True(outcomes.GetValueOrDefault("incomplete") > 100, "truncations must be seen as incomplete, not errors");
    }

    [Fact]
    public void TryRead_MutatedStreamSplitIntoRandomSegments_SameOutcomeAsContiguous()
    {
        const int seed = 4242;
        var seeds = SeedStreams();
        var mutator = new ByteMutator(seed);
        for (var i = 0; i < 3_000; i++)
        {
            var input = mutator.Mutate(seeds[i % seeds.Length]);
            var contiguous = DecodeAll(new ReadOnlySequence<byte>(input), $"seed {seed} case {i} contiguous");

            var segmented = DecodeAll(Segmented(input, mutator.Random), $"seed {seed} case {i} segmented");

            Assert.Equal(contiguous, segmented);
        }
    }

    [Fact]
    public void TryRead_LengthPrefixOverLimit_RefusedFromThePrefixAloneWithoutBuffering()
    {
        var random = new Random(99);
        for (var i = 0; i < 2_000; i++)
        {
            var prefix = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(prefix, (uint)random.NextInt64(MaxFrameBytes + 1L, uint.MaxValue + 1L));
            var buffer = new ReadOnlySequence<byte>(prefix);
            var before = GC.GetAllocatedBytesForCurrentThread();

            Assert.Throws<ProtocolException>(() => MessageFrameCodec.TryRead(ref buffer, out _, MaxFrameBytes));

            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 * 1024, "a hostile length must not be allocated");
        }
    }

    [Fact]
    public async Task ConnectionManager_FuzzedFramesFromRawPeers_EachDisconnected_WellBehavedPeerDeliversInOrder()
    {
        const int messages = 2_000;
        const int rawPeers = 12;
        await using var b = await TransportNode.StartSiloAsync(output, "b", configure: o => o.MaxFrameBytes = MaxFrameBytes);
        await using var a = TransportNode.CreateSilo(output, "a", TransportNode.FreePort());
        var mutator = new ByteMutator(31337);
        var seeds = SeedStreams();

        var sending = Task.Run(async () =>
        {
            for (var i = 1; i <= messages; i++)
            {
                Assert.True(a.Manager.TrySend(b.Id, TestMessages.OneWay(i, a.Id, destination: b.Id)), $"send {i}");
                if (i % 100 == 0)
                {
                    await Task.Delay(5);
                }
            }
        });

        for (var peer = 0; peer < rawPeers; peer++)
        {
            var id = $"client/fuzz{peer}@1";
            await using var raw = await RawPeer.ConnectAsync(b.Address.Port);
            await raw.SendHelloAsync("test", id);
            Assert.Equal(FrameType.HelloAccept, (await raw.ReadFrameAsync())!.Value.Type);

            await raw.SendRawAsync(MalformedStream(mutator, seeds));

            // A valid ping or go-away ahead of the damage is answered (pong, go-away-ack) before the refusal; nothing
            // else may come back, and the connection must then end.
            var reply = await raw.ReadFrameAsync();
            for (var answers = 0; reply is { } frame && answers < 64; answers++)
            {
                Assert.True(frame.Type is FrameType.Pong or FrameType.GoAwayAck, $"unexpected {frame.Type} frame to a fuzzing peer");
                reply = await raw.ReadFrameAsync();
            }

            Assert.Null(reply);
            await b.WaitForDisconnectAsync(id);
        }

        await sending;
        await b.WaitForMessagesAsync(messages);
        Assert.Equal(Enumerable.Range(1, messages).Select(i => (long)i), b.Received.Messages.Select(m => m.RequestId));
        Assert.True(b.Logs.Contains(3005, "protocol error"), b.Logs.Describe());
        Assert.Contains(a.Id, b.Manager.ConnectedNodes);
    }

    /// <summary>A mutation that the decoder refuses with <see cref="ProtocolException"/> (decoded locally first), so the
    /// peer must be disconnected rather than merely waited for.</summary>
    private static byte[] MalformedStream(ByteMutator mutator, byte[][] seeds)
    {
        while (true)
        {
            var candidate = mutator.Mutate(seeds[mutator.Random.Next(seeds.Length)]);
            if (DecodeAll(new ReadOnlySequence<byte>(candidate), "candidate").Kind == "protocol")
            {
                return candidate;
            }
        }
    }

    /// <summary>Valid streams: one frame of each type, and a few frames back to back.</summary>
    internal static byte[][] SeedStreams()
    {
        var message = new Message
        {
            Kind = MessageKind.Request,
            RequestId = 1_234_567,
            Target = new GrainId("connection", "MZ18ad3ab5a668481ce02b83e7395059f0"),
            InterfaceId = 0xC0FFEE,
            MethodId = 3,
            Flags = InvocationFlags.OneWay,
            Body = Enumerable.Range(0, 160).Select(i => (byte)i).ToArray(),
            SenderId = "127.0.0.1:11111@5",
            ForwardCount = 1,
            Destination = "127.0.0.1:22222@9",
        };
        var response = new Message
        {
            Kind = MessageKind.Response,
            RequestId = -7,
            Target = new GrainId("call", "CA-ключ-📞"),
            InterfaceId = uint.MaxValue,
            MethodId = ushort.MaxValue,
            Status = ResponseStatus.Exception,
            Body = new byte[] { 1, 2, 3 },
            SenderId = "client/gateway@2",
        };
        return
        [
            Encode(w => MessageFrameCodec.WriteMessage(w, message)),
            Encode(w => MessageFrameCodec.WriteMessage(w, response)),
            Encode(w => MessageFrameCodec.WriteHello(w, new HelloFrame(MessageFrameCodec.ProtocolVersion, "switchboard", "127.0.0.1:11111@5", IsClient: false))),
            Encode(w => MessageFrameCodec.WriteText(w, FrameType.HelloAccept, "127.0.0.1:11111@5")),
            Encode(w => MessageFrameCodec.WriteText(w, FrameType.HelloRefuse, "cluster id 'green' differs")),
            Encode(w => MessageFrameCodec.WritePing(w, FrameType.Ping, 41)),
            Encode(w => MessageFrameCodec.WritePing(w, FrameType.GoAway, 1)),
            Encode(w =>
            {
                MessageFrameCodec.WritePing(w, FrameType.Pong, 41);
                MessageFrameCodec.WriteMessage(w, message);
                MessageFrameCodec.WritePing(w, FrameType.GoAwayAck, 1);
                MessageFrameCodec.WriteMessage(w, response);
            }),
        ];
    }

    /// <summary>Reads frames until the buffer is exhausted or incomplete; the outcome and every frame's type.</summary>
    internal static DecodeOutcome DecodeAll(ReadOnlySequence<byte> buffer, string label)
    {
        var types = new List<FrameType>();
        try
        {
            while (MessageFrameCodec.TryRead(ref buffer, out var frame, MaxFrameBytes))
            {
                types.Add(frame.Type);
            }

            return new DecodeOutcome(buffer.IsEmpty ? "decoded" : "incomplete", string.Join(",", types), buffer.Length);
        }
        catch (ProtocolException)
        {
            return new DecodeOutcome("protocol", string.Join(",", types), -1);
        }
        catch (Exception ex)
        {
            Assert.Fail($"{label}: the decoder threw {ex.GetType().Name} ({ex.Message}); only ProtocolException may escape");
            throw;
        }
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, Random random)
    {
        if (bytes.Length < 2)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        var cuts = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(1, bytes.Length)).Distinct().Order().ToList();
        Segment? first = null;
        Segment? last = null;
        var start = 0;
        foreach (var end in cuts.Append(bytes.Length))
        {
            var memory = bytes.AsMemory(start, end - start);
            last = last is null ? (first = new Segment(memory, 0)) : last.Append(memory);
            start = end;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    internal readonly record struct DecodeOutcome(string Kind, string Frames, long Remaining);

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
