namespace Switchboard.Runtime.Serialization;

/// <summary>Cached codec lookup: one static field read per call on the hot path.</summary>
/// <typeparam name="T">The value type.</typeparam>
public static class Codec<T>
{
    private static IFieldCodec<T>? s_instance;

    /// <summary>The codec for <typeparamref name="T"/>; resolved once, then cached.</summary>
    public static IFieldCodec<T> Instance => s_instance ??= CodecRegistry.Resolve<T>();
}
