using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Gateway.Twilio;
using Switchboard.TestInfrastructure.Fuzzing;

namespace Switchboard.Gateway.Tests.Twilio;

/// <summary>
/// Mutation-based fuzzing of <see cref="TwilioMessageParser"/> with fixed seeds (reproducible: a failure names the seed
/// and case). The contract under test: whatever the bytes, Parse returns a value (a message, or one of the defined
/// <see cref="TwilioParseError"/>s) and never throws; its allocations stay proportional to the input, and nothing is
/// retained between calls.
/// </summary>
public class TwilioMessageParserFuzzTests
{
    private const string Sid = "MZ18ad3ab5a668481ce02b83e7395059f0";

    /// <summary>One of each message Twilio sends (twilio-media-streams.md §1), the media one with a real 160-byte payload.</summary>
    internal static readonly string[] Samples =
    [
        """{"event":"connected","protocol":"Call","version":"1.0.0"}""",
        $$$"""{"event":"start","sequenceNumber":"1","start":{"accountSid":"AC0123456789abcdef0123456789abcdef","streamSid":"{{{Sid}}}","callSid":"CA9f2c1e0d3b4a59687f0e1d2c3b4a5968","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},"customParameters":{"sessionId":"s_42"}},"streamSid":"{{{Sid}}}"}""",
        $$$"""{"event":"media","sequenceNumber":"2","media":{"track":"inbound","chunk":"1","timestamp":"20","payload":"{{{Convert.ToBase64String(Enumerable.Range(0, 160).Select(i => (byte)(i * 37 + 11)).ToArray())}}}"},"streamSid":"{{{Sid}}}"}""",
        $$$"""{"event":"dtmf","streamSid":"{{{Sid}}}","sequenceNumber":"57","dtmf":{"track":"inbound_track","digit":"5"}}""",
        $$$"""{"event":"mark","sequenceNumber":"88","streamSid":"{{{Sid}}}","mark":{"name":"utt-3"}}""",
        $$$"""{"event":"stop","sequenceNumber":"912","stop":{"accountSid":"AC0123456789abcdef0123456789abcdef","callSid":"CA9f2c1e0d3b4a59687f0e1d2c3b4a5968"},"streamSid":"{{{Sid}}}"}""",
    ];

    [Fact]
    public void Parse_ByteMutations_NeverThrow_AllocateInProportionToInput()
    {
        const int seed = 20261123;
        var mutator = new ByteMutator(seed);
        var outcomes = new Dictionary<TwilioParseError, int>();
        for (var i = 0; i < 12_000; i++)
        {
            var sample = Encoding.UTF8.GetBytes(Samples[i % Samples.Length]);
            var other = Encoding.UTF8.GetBytes(Samples[mutator.Random.Next(Samples.Length)]);
            var input = mutator.Mutate(sample, other);

            var result = ParseChecked(input, $"byte mutation seed {seed} case {i}");
            outcomes[result.Error] = outcomes.GetValueOrDefault(result.Error) + 1;
        }

        // The mutations must reach past the JSON reader, not only break the syntax.
        Assert.True(outcomes.GetValueOrDefault(TwilioParseError.MalformedJson) > 1000, Describe(outcomes));
        Assert.True(outcomes.Keys.Count(k => k != TwilioParseError.MalformedJson) >= 4, Describe(outcomes));
    }

    [Fact]
    public void Parse_StructuralMutations_WrongTypesMissingFieldsDeepNestingHugeValues_OnlyErrorValues()
    {
        const int seed = 5101;
        var mutator = new JsonMutator(seed);
        var outcomes = new Dictionary<TwilioParseError, int>();
        for (var i = 0; i < 4_000; i++)
        {
            var json = Samples[i % Samples.Length];
            for (var rounds = mutator.Random.Next(1, 3); rounds > 0; rounds--)
            {
                json = mutator.Mutate(json);
            }

            var result = ParseChecked(Encoding.UTF8.GetBytes(json), $"structural mutation seed {seed} case {i}");
            outcomes[result.Error] = outcomes.GetValueOrDefault(result.Error) + 1;
        }

        Assert.True(outcomes.GetValueOrDefault(TwilioParseError.WrongType) > 100, Describe(outcomes));
        Assert.True(outcomes.GetValueOrDefault(TwilioParseError.MissingField) > 100, Describe(outcomes));
        Assert.True(outcomes.GetValueOrDefault(TwilioParseError.MalformedJson) > 0, "deep nesting is refused as malformed: " + Describe(outcomes));
    }

    [Fact]
    public void Parse_EveryFieldOfEverySampleWithEveryWrongType_ErrorValueOrMessageNeverException()
    {
        var cases = 0;
        foreach (var sample in Samples)
        {
            var slotCount = JsonMutator.Slots((JsonObject)JsonNode.Parse(sample)!).Count();
            for (var slot = 0; slot < slotCount; slot++)
            {
                foreach (var value in JsonMutator.WrongTypedValues)
                {
                    var root = (JsonObject)JsonNode.Parse(sample)!;
                    var (parent, key) = JsonMutator.Slots(root).ElementAt(slot);
                    ParseChecked(Encoding.UTF8.GetBytes(JsonMutator.Replace(root, parent, key, value)), $"{key}={value} in {sample[..30]}");
                    cases++;
                }
            }
        }

        // 42 field slots across the six samples, each with every wrong-typed value.
        Assert.Equal(42 * JsonMutator.WrongTypedValues.Count, cases);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(10_000)]
    [InlineData(1_000_000)]
    public void Parse_DeeplyNested_MalformedJsonWithoutRecursion(int depth)
    {
        var json = "{\"event\":\"media\",\"media\":" + new string('[', depth) + new string(']', depth) + "}";

        var result = ParseChecked(Encoding.UTF8.GetBytes(json), $"depth {depth}");

        Assert.Equal(TwilioParseError.MalformedJson, result.Error);
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(4 * 1024 * 1024)]
    public void Parse_OversizedPayload_DecodesWithAllocationProportionalToInput(int payloadBytes)
    {
        var payload = Convert.ToBase64String(new byte[payloadBytes]);
        var json = $$$"""{"event":"media","sequenceNumber":"2","media":{"track":"inbound","chunk":"1","timestamp":"20","payload":"{{{payload}}}"},"streamSid":"{{{Sid}}}"}""";

        var result = ParseChecked(Encoding.UTF8.GetBytes(json), $"payload {payloadBytes}");

        Assert.True(result.IsOk);
        Assert.Equal(payloadBytes, result.Message!.Media!.Payload.Length);
    }

    /// <summary>Parses, failing the test on any exception, an undefined error kind, an inconsistent result or an
    /// allocation out of proportion to the input (UTF-16 strings and decoded payloads: a small multiple of its size).</summary>
    private static TwilioParseResult ParseChecked(byte[] input, string label)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        TwilioParseResult result;
        try
        {
            result = TwilioMessageParser.Parse(input);
        }
        catch (Exception ex)
        {
            Assert.Fail($"{label}: Parse threw {ex.GetType().Name}: {ex.Message}\ninput: {Printable(input)}");
            throw;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var bound = (16L * input.Length) + (256 * 1024);
        Assert.True(allocated <= bound, $"{label}: {allocated} bytes allocated for a {input.Length}-byte input (bound {bound})");
        Assert.True(Enum.IsDefined(result.Error), $"{label}: undefined error {result.Error}");
        Assert.Equal(result.IsOk, result.Error == TwilioParseError.None);
        if (!result.IsOk)
        {
            Assert.False(string.IsNullOrEmpty(result.ErrorMessage), label);
        }

        return result;
    }

    private static string Describe(Dictionary<TwilioParseError, int> outcomes) =>
        string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}"));

    private static string Printable(byte[] input) =>
        input.Length > 300 ? Convert.ToHexString(input, 0, 300) + "…" : Convert.ToHexString(input);
}
