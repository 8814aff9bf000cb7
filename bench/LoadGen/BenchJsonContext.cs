using System.Text.Json.Serialization;

namespace Switchboard.Bench.LoadGen;

/// <summary>Source-generated JSON for the reports.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CompareReport))]
[JsonSerializable(typeof(CompareSummary))]
[JsonSerializable(typeof(TrialResult))]
[JsonSerializable(typeof(IdleResult))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
