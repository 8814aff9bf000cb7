namespace Switchboard.Runtime;

/// <summary>
/// Identity of a grain or observer: a grain type name plus a string key. Equal ids address the same
/// single activation anywhere in the cluster.
/// </summary>
/// <param name="Type">Grain type name, e.g. <c>connection</c>; <see cref="ObserverType"/> for observers.</param>
/// <param name="Key">The grain's primary key.</param>
public readonly record struct GrainId(string Type, string Key)
{
    /// <summary>Grain type name used for client-side observer references.</summary>
    public const string ObserverType = "sys.observer";

    /// <summary>True when this id names a client-side observer rather than a grain.</summary>
    public bool IsObserver => string.Equals(Type, ObserverType, StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => $"{Type}/{Key}";
}
