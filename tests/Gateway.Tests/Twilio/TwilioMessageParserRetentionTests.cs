using System.Text;
using Switchboard.Gateway.Twilio;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.TestInfrastructure.Fuzzing;

namespace Switchboard.Gateway.Tests.Twilio;

/// <summary>
/// The retention half of the parser fuzzing: nothing is kept between parses. It reads the process-wide heap, so it
/// runs in the heap-measurement collection, alone, after the parallel tests (a neighbour class allocating a 4 MB
/// payload at the same moment once read as 16 MB "retained").
/// </summary>
[Collection(HeapMeasurementCollection.Name)]
public class TwilioMessageParserRetentionTests
{
    private static readonly string[] Samples = TwilioMessageParserFuzzTests.Samples;

    [Fact]
    public void Parse_ManyMutations_RetainNothing()
    {
        var mutator = new ByteMutator(77);
        var samples = Samples.Select(Encoding.UTF8.GetBytes).ToArray();
        Warm(samples, mutator);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        Warm(samples, mutator);
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.True(after - before < 8 * 1024 * 1024, $"{(after - before) / 1024} KiB still held after 5000 parses");

        static void Warm(byte[][] samples, ByteMutator mutator)
        {
            for (var i = 0; i < 5_000; i++)
            {
                TwilioMessageParser.Parse(mutator.Mutate(samples[i % samples.Length]));
            }
        }
    }
}
