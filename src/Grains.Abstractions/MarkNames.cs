namespace Switchboard.Grains;

/// <summary>Mark names the product reserves for itself.</summary>
public static class MarkNames
{
    /// <summary>Prefix of the probe marks a gateway sends after outbound audio to learn that the peer played it. Their
    /// echoes are the gateway's; the grain counts their sequence numbers and nothing else, and an application cannot
    /// send a mark with this prefix.</summary>
    public const string GatewayProbePrefix = "sb-probe-";

    /// <summary>True for a name with <see cref="GatewayProbePrefix"/>.</summary>
    public static bool IsGatewayProbe(string? name) => name is not null && name.StartsWith(GatewayProbePrefix, StringComparison.Ordinal);
}
