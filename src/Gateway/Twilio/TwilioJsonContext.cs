using System.Text.Json.Serialization;

namespace Switchboard.Gateway.Twilio;

/// <summary>Source-generated metadata for the inbound envelope (no reflection on the hot path).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(TwilioEnvelopeDto))]
internal sealed partial class TwilioJsonContext : JsonSerializerContext;
