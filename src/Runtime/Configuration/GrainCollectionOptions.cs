namespace Switchboard.Runtime.Configuration;

/// <summary>Activation lifecycle settings (configuration section <c>GrainCollection</c>).</summary>
public sealed class GrainCollectionOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "GrainCollection";

    /// <summary>Default of <see cref="CollectionAge"/>: 15 minutes.</summary>
    public static readonly TimeSpan DefaultCollectionAge = TimeSpan.FromMinutes(15);

    /// <summary>Default of <see cref="CollectionQuantum"/>: 1 minute.</summary>
    public static readonly TimeSpan DefaultCollectionQuantum = TimeSpan.FromMinutes(1);

    /// <summary>Default of <see cref="ActivationTimeout"/> and <see cref="DeactivationTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultLifecycleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>An activation with no incoming request for this long is deactivated. Default 15 min.</summary>
    public TimeSpan CollectionAge { get; set; } = DefaultCollectionAge;

    /// <summary>How often the collector scans for idle activations, so collection happens up to one quantum late. Default 1 min.</summary>
    public TimeSpan CollectionQuantum { get; set; } = DefaultCollectionQuantum;

    /// <summary>Limit for <c>OnActivateAsync</c>; exceeding it fails the activation. Default 30 s.</summary>
    public TimeSpan ActivationTimeout { get; set; } = DefaultLifecycleTimeout;

    /// <summary>Limit for <c>OnDeactivateAsync</c>; the activation is removed anyway when it expires. Default 30 s.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = DefaultLifecycleTimeout;
}
