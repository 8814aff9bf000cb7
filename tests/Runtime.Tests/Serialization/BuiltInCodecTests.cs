using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Tests.Serialization;

public sealed class BuiltInCodecTests
{
    private enum Small : byte { A = 1, B = 200 }

    private enum Wide : long { Min = long.MinValue, Max = long.MaxValue }

    [Fact]
    public void Read_TruncatedAtEveryOffset_ThrowsCodecExceptionOnly()
    {
        var value = new Dictionary<string, IReadOnlyList<int?>>
        {
            ["first"] = [1, null, int.MaxValue],
            ["ünïcødé"] = [],
        };
        var bytes = Encode<Dictionary<string, IReadOnlyList<int?>>>(value);

        for (var length = 0; length < bytes.Length; length++)
        {
            var truncated = bytes.AsMemory(0, length);
            var error = Record.Exception(() => new CodecReader(truncated).Read<Dictionary<string, IReadOnlyList<int?>>>());
            Assert.True(error is CodecException, $"truncation at {length} of {bytes.Length} threw {error?.GetType().Name ?? "nothing"}");
        }
    }

    [Fact]
    public void Read_CollectionCountLargerThanInput_ThrowsCodecException()
    {
        using var writer = new CodecWriter();
        writer.WriteByte(1);
        writer.WriteVarUInt32(int.MaxValue);

        Assert.Throws<CodecException>(() => new CodecReader(writer.ToArray()).Read<List<long>>());
    }

    [Fact]
    public void Read_InvalidPresenceByte_ThrowsCodecException()
    {
        Assert.Throws<CodecException>(() => new CodecReader(new byte[] { 7, 0 }).Read<int[]>());
        Assert.Throws<CodecException>(() => new CodecReader(new byte[] { 2 }).Read<int?>());
    }

    [Fact]
    public void Read_OverlongVarint_ThrowsCodecException()
    {
        var bytes = Enumerable.Repeat((byte)0xFF, 11).ToArray();

        Assert.Throws<CodecException>(() => new CodecReader(bytes).ReadVarUInt64());
    }

    [Fact]
    public void Read_InvalidUtf8_ThrowsCodecException()
    {
        using var writer = new CodecWriter();
        writer.WriteVarUInt32(3);
        writer.WriteRaw([0xC3, 0x28]);

        Assert.Throws<CodecException>(() => new CodecReader(writer.ToArray()).Read<string>());
    }

    [Fact]
    public void Read_DuplicateDictionaryKey_ThrowsCodecException()
    {
        using var writer = new CodecWriter();
        writer.WriteByte(1);
        writer.WriteVarUInt32(2);
        writer.WriteString("k");
        writer.WriteVarInt32(1);
        writer.WriteString("k");
        writer.WriteVarInt32(2);

        Assert.Throws<CodecException>(() => new CodecReader(writer.ToArray()).Read<Dictionary<string, int>>());
    }

    [Fact]
    public void Read_ValueOutOfRangeForNarrowType_ThrowsCodecException()
    {
        var bytes = Encode(long.MaxValue);

        Assert.Throws<CodecException>(() => new CodecReader(bytes).Read<short>());
        Assert.Throws<CodecException>(() => new CodecReader(bytes).Read<int>());
    }

    [Fact]
    public void Resolve_TypeWithoutCodec_ThrowsCodecExceptionNamingType()
    {
        var error = Assert.Throws<CodecException>(() => Codec<Stream>.Instance);

        Assert.Contains("Stream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RoundTrip_Scalars_PreserveValues()
    {
        AssertRoundTrip(true);
        AssertRoundTrip(false);
        AssertRoundTrip(byte.MaxValue);
        AssertRoundTrip(sbyte.MinValue);
        AssertRoundTrip(short.MinValue);
        AssertRoundTrip(ushort.MaxValue);
        AssertRoundTrip(int.MinValue);
        AssertRoundTrip(int.MaxValue);
        AssertRoundTrip(uint.MaxValue);
        AssertRoundTrip(long.MinValue);
        AssertRoundTrip(long.MaxValue);
        AssertRoundTrip(ulong.MaxValue);
        AssertRoundTrip('ß');
        AssertRoundTrip(3.25f);
        AssertRoundTrip(double.NaN);
        AssertRoundTrip(-0.000123);
        AssertRoundTrip(79228162514264337593543950335m);
        AssertRoundTrip(-1.5m);
        AssertRoundTrip(Guid.NewGuid());
        AssertRoundTrip(TimeSpan.FromMilliseconds(-1234.5));
        AssertRoundTrip(new DateTime(2026, 11, 23, 8, 0, 0, DateTimeKind.Utc));
        AssertRoundTrip(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(-5)));
    }

    [Fact]
    public void RoundTrip_StringsAndBytes_KeepNullDistinctFromEmpty()
    {
        AssertRoundTrip<string?>(null);
        AssertRoundTrip<string?>(string.Empty);
        AssertRoundTrip<string?>("héllo 🌍 wörld");
        Assert.Null(RoundTrip<byte[]?>(null));
        Assert.Empty(RoundTrip<byte[]?>([])!);
        Assert.Equal(new byte[] { 0, 255, 127 }, RoundTrip<byte[]?>([0, 255, 127]));
        Assert.Equal(new byte[] { 1, 2 }, RoundTrip<ReadOnlyMemory<byte>>(new byte[] { 1, 2 }).ToArray());
    }

    [Fact]
    public void RoundTrip_Enums_PreserveDefinedAndUndefinedValues()
    {
        AssertRoundTrip(Small.B);
        AssertRoundTrip((Small)77);
        AssertRoundTrip(Wide.Min);
        AssertRoundTrip(Wide.Max);
        AssertRoundTrip(DayOfWeek.Saturday);
    }

    [Fact]
    public void RoundTrip_Collections_PreserveElementsAndNulls()
    {
        Assert.Equal(new[] { 1, 2, 3 }, RoundTrip(new[] { 1, 2, 3 }));
        Assert.Null(RoundTrip<int[]?>(null));
        Assert.Equal(new List<string?> { "a", null, "c" }, RoundTrip(new List<string?> { "a", null, "c" }));
        Assert.Equal(new[] { 4L, 5L }, RoundTrip<IReadOnlyList<long>>([4L, 5L]));
        Assert.Equal(new[] { 6.5 }, RoundTrip<IEnumerable<double>>([6.5]));
        Assert.Equal(new HashSet<int> { 1, 9 }, RoundTrip<ISet<int>>(new HashSet<int> { 9, 1 }));
        var dictionary = RoundTrip<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["x"] = "1", ["y"] = "" });
        Assert.Equal("1", dictionary["x"]);
        Assert.Equal(string.Empty, dictionary["y"]);
        Assert.Equal(new int?[] { null, 3 }, RoundTrip(new int?[] { null, 3 }));
    }

    private static byte[] Encode<T>(T value)
    {
        using var writer = new CodecWriter();
        writer.Write(value);
        return writer.ToArray();
    }

    private static T RoundTrip<T>(T value)
    {
        var reader = new CodecReader(Encode(value));
        var result = reader.Read<T>();
        Assert.Equal(0, reader.Remaining);
        return result;
    }

    private static void AssertRoundTrip<T>(T value) => Assert.Equal(value, RoundTrip(value));
}
