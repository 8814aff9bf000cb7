using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Tests.Serialization;

/// <summary>Encode/decode helpers shared by the codec tests.</summary>
internal static class CodecTestHelpers
{
    public static byte[] Encode<T>(T value)
    {
        using var writer = new CodecWriter(16);
        writer.Write(value);
        return writer.ToArray();
    }

    /// <summary>Decodes and checks that every byte was consumed (a codec that under-reads would corrupt the next value).</summary>
    public static T Decode<T>(byte[] bytes, SerializationContext? context = null)
    {
        var reader = new CodecReader(bytes, context);
        var value = reader.Read<T>();
        Assert.Equal(0, reader.Remaining);
        return value;
    }

    public static T RoundTrip<T>(T value) => Decode<T>(Encode(value));

    /// <summary>Every strict prefix of a valid encoding must fail with <see cref="CodecException"/>, never another type.</summary>
    public static void AssertEveryTruncationThrowsCodecException<T>(T value)
    {
        var bytes = Encode(value);
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes.AsSpan(0, length).ToArray();
            var ex = Record.Exception(() => new CodecReader(prefix).Read<T>());
            Assert.True(ex is CodecException, $"{typeof(T)} truncated to {length} of {bytes.Length} bytes: expected CodecException, got {ex?.GetType().Name ?? "no exception"}");
        }
    }
}
