namespace Switchboard.Runtime.Configuration;

/// <summary>Identity of this silo (configuration section <c>Silo</c>).</summary>
public sealed class SiloOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Silo";

    /// <summary>Human-readable silo name used in logs and as the prefix of the silo's runtime id. Default <c>silo</c>.</summary>
    public string SiloName { get; set; } = "silo";
}
