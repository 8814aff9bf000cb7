using System.Text.Json.Serialization;

namespace Switchboard.TwilioSim;

/// <summary>Source-generated System.Text.Json metadata for the messages the simulator parses and the summary it prints.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(OutboundMessage))]
[JsonSerializable(typeof(SimulationSummary))]
internal sealed partial class TwilioJsonContext : JsonSerializerContext;
