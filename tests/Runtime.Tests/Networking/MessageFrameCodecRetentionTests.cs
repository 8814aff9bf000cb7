using System.Buffers;
using Switchboard.TestInfrastructure.Fuzzing;

namespace Switchboard.Runtime.Tests.Networking;

/// <summary>
/// The retention half of the wire decoder fuzzing: nothing is kept between decodes. It reads the process-wide heap,
/// so it runs in the heap-measurement collection, alone, after the parallel tests.
/// </summary>
[Collection(HeapMeasurementCollection.Name)]
public sealed class MessageFrameCodecRetentionTests
{
    [Fact]
    public void TryRead_ManyMutations_RetainNothing()
    {
        var seeds = MessageFrameCodecFuzzTests.SeedStreams();
        var mutator = new ByteMutator(7);
        Run(seeds, mutator);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        Run(seeds, mutator);
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.True(after - before < 8 * 1024 * 1024, $"{(after - before) / 1024} KiB still held after 5000 decodes");

        static void Run(byte[][] seeds, ByteMutator mutator)
        {
            for (var i = 0; i < 5_000; i++)
            {
                MessageFrameCodecFuzzTests.DecodeAll(new ReadOnlySequence<byte>(mutator.Mutate(seeds[i % seeds.Length])), "retention");
            }
        }
    }
}
