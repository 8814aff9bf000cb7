using Switchboard.Runtime.Serialization;
using static Switchboard.Runtime.Tests.Serialization.CodecTestHelpers;

namespace Switchboard.Runtime.Tests.Serialization;

public sealed class BuiltInCodecRoundTripTests
{
    [Fact]
    public void Resolve_UnsupportedType_ThrowsCodecExceptionNamingType()
    {
        var ex = Assert.Throws<CodecException>(() => Encode(new Uri("http://example.com")));

        Assert.Contains("System.Uri", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Integers_MinMaxAndZero_RoundTrip()
    {
        Assert.Equal([false, true], new[] { false, true }.Select(RoundTrip));
        Assert.Equal([byte.MinValue, byte.MaxValue], new[] { byte.MinValue, byte.MaxValue }.Select(RoundTrip));
        Assert.Equal([sbyte.MinValue, 0, sbyte.MaxValue], new sbyte[] { sbyte.MinValue, 0, sbyte.MaxValue }.Select(RoundTrip));
        Assert.Equal([short.MinValue, -1, short.MaxValue], new short[] { short.MinValue, -1, short.MaxValue }.Select(RoundTrip));
        Assert.Equal([ushort.MinValue, ushort.MaxValue], new[] { ushort.MinValue, ushort.MaxValue }.Select(RoundTrip));
        Assert.Equal([int.MinValue, -1, 0, 1, int.MaxValue], new[] { int.MinValue, -1, 0, 1, int.MaxValue }.Select(RoundTrip));
        Assert.Equal([uint.MinValue, uint.MaxValue], new[] { uint.MinValue, uint.MaxValue }.Select(RoundTrip));
        Assert.Equal([long.MinValue, -1, long.MaxValue], new[] { long.MinValue, -1L, long.MaxValue }.Select(RoundTrip));
        Assert.Equal([ulong.MinValue, ulong.MaxValue], new[] { ulong.MinValue, ulong.MaxValue }.Select(RoundTrip));
    }

    [Fact]
    public void FloatingPoint_SpecialValues_RoundTripBitExact()
    {
        float[] singles = [float.MinValue, float.MaxValue, float.Epsilon, float.NaN, float.NegativeInfinity, -0.0f];
        double[] doubles = [double.MinValue, double.MaxValue, double.Epsilon, double.NaN, double.PositiveInfinity, -0.0];

        Assert.Equal(singles.Select(BitConverter.SingleToInt32Bits), singles.Select(RoundTrip).Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(doubles.Select(BitConverter.DoubleToInt64Bits), doubles.Select(RoundTrip).Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Decimal_MinMaxAndScale_RoundTrip()
    {
        decimal[] values = [decimal.MinValue, decimal.MaxValue, 0.0001m, -12.50m, 0m];

        Assert.Equal(values, values.Select(RoundTrip));
        Assert.Equal("-12.50", RoundTrip(-12.50m).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Char_IncludingLoneSurrogateAndMax_RoundTrip()
    {
        char[] values = ['a', '\0', '\uD800', char.MaxValue, 'ő'];

        Assert.Equal(values, values.Select(RoundTrip));
    }

    [Fact]
    public void String_NullEmptyAndUnicode_RoundTripDistinctly()
    {
        Assert.Null(RoundTrip<string?>(null));
        Assert.Equal(string.Empty, RoundTrip(string.Empty));
        Assert.Equal("héllo wörld 日本語 🎉", RoundTrip("héllo wörld 日本語 🎉"));
        var large = new string('x', 100_000);
        Assert.Equal(large, RoundTrip(large));
    }

    [Fact]
    public void ByteArray_NullEmptyAndPayload_RoundTripDistinctly()
    {
        var payload = Enumerable.Range(0, 160).Select(i => (byte)(i * 7)).ToArray();

        Assert.Null(RoundTrip<byte[]?>(null));
        Assert.Empty(RoundTrip(Array.Empty<byte>())!);
        Assert.Equal(payload, RoundTrip(payload));
    }

    [Fact]
    public void ReadOnlyMemory_Payload_RoundTripsAsCopy()
    {
        var payload = new byte[] { 1, 2, 3, 255 };
        var bytes = Encode(new ReadOnlyMemory<byte>(payload));

        var read = Decode<ReadOnlyMemory<byte>>(bytes);
        Array.Clear(bytes);

        Assert.Equal(payload, read.ToArray());
        Assert.True(RoundTrip(ReadOnlyMemory<byte>.Empty).IsEmpty);
    }

    [Fact]
    public void GuidAndTimeSpan_Extremes_RoundTrip()
    {
        var guid = Guid.NewGuid();

        Assert.Equal(guid, RoundTrip(guid));
        Assert.Equal(Guid.Empty, RoundTrip(Guid.Empty));
        Assert.Equal([TimeSpan.MinValue, TimeSpan.Zero, TimeSpan.MaxValue, TimeSpan.FromTicks(-1)],
            new[] { TimeSpan.MinValue, TimeSpan.Zero, TimeSpan.MaxValue, TimeSpan.FromTicks(-1) }.Select(RoundTrip));
    }

    [Fact]
    public void DateTime_EachKind_RoundTripsTicksAndKind()
    {
        var utc = new DateTime(2026, 11, 23, 8, 30, 15, DateTimeKind.Utc).AddTicks(1234);
        var unspecified = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Unspecified);
        var local = new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Local);

        foreach (var value in new[] { utc, unspecified, local, DateTime.MinValue, DateTime.MaxValue, DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc) })
        {
            var read = RoundTrip(value);
            Assert.Equal(value.Ticks, read.Ticks);
            Assert.Equal(value.Kind, read.Kind);
        }
    }

    [Fact]
    public void DateTimeOffset_OffsetsAndExtremes_RoundTrip()
    {
        DateTimeOffset[] values =
        [
            new(2026, 11, 23, 8, 30, 15, TimeSpan.FromHours(5.5)),
            new(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(-14)),
            DateTimeOffset.MinValue,
            DateTimeOffset.MaxValue,
            DateTimeOffset.UnixEpoch,
        ];

        foreach (var value in values)
        {
            var read = RoundTrip(value);
            Assert.Equal(value.Ticks, read.Ticks);
            Assert.Equal(value.Offset, read.Offset);
        }
    }

    [Fact]
    public void Enums_AllUnderlyingTypesAndUndefinedValues_RoundTrip()
    {
        Assert.Equal(ByteEnum.Max, RoundTrip(ByteEnum.Max));
        Assert.Equal(SByteEnum.Min, RoundTrip(SByteEnum.Min));
        Assert.Equal(LongEnum.Min, RoundTrip(LongEnum.Min));
        Assert.Equal(LongEnum.Max, RoundTrip(LongEnum.Max));
        Assert.Equal(ULongEnum.Max, RoundTrip(ULongEnum.Max));
        Assert.Equal(IntEnum.A, RoundTrip(IntEnum.A));
        Assert.Equal((IntEnum)12345, RoundTrip((IntEnum)12345));
        Assert.Equal((ByteEnum)17, RoundTrip((ByteEnum)17));
    }

    [Fact]
    public void Nullable_NullAndValue_RoundTrip()
    {
        Assert.Null(RoundTrip<int?>(null));
        Assert.Equal(int.MinValue, RoundTrip<int?>(int.MinValue));
        Assert.Null(RoundTrip<Guid?>(null));
        Assert.Equal(IntEnum.B, RoundTrip<IntEnum?>(IntEnum.B));
        Assert.Equal(new byte[] { 0 }, Encode<int?>(null));
    }

    [Fact]
    public void Arrays_NullEmptyAndNested_RoundTrip()
    {
        Assert.Null(RoundTrip<int[]?>(null));
        Assert.Empty(RoundTrip(Array.Empty<string>())!);
        Assert.Equal(new[] { "a", null, "" }, RoundTrip(new[] { "a", null, "" }));
        var nested = RoundTrip(new[] { new[] { 1.5, -2 }, [], null! });
        Assert.Equal([1.5, -2], nested![0]);
        Assert.Empty(nested[1]);
        Assert.Null(nested[2]);
    }

    [Fact]
    public void ListShapes_NullEmptyAndValues_RoundTrip()
    {
        Assert.Null(RoundTrip<List<int>?>(null));
        Assert.Empty(RoundTrip(new List<int>())!);
        Assert.Equal([1, 2, 3], RoundTrip(new List<int> { 1, 2, 3 })!);
        Assert.Equal(["x", "y"], RoundTrip<IList<string>>(["x", "y"]));
        Assert.Equal(["x"], RoundTrip<IReadOnlyList<string>>(new[] { "x" }));
        Assert.Equal([1L, 2L], RoundTrip<IReadOnlyCollection<long>>(new HashSet<long> { 1, 2 }.OrderBy(x => x).ToList()));
        Assert.Equal([true], RoundTrip<ICollection<bool>>([true]));
        Assert.Null(RoundTrip<IReadOnlyList<string>?>(null));
    }

    [Fact]
    public void Enumerable_LazySequence_ReadAsArray()
    {
        var read = RoundTrip(Enumerable.Range(1, 4).Select(i => i * i));

        Assert.IsType<int[]>(read);
        Assert.Equal([1, 4, 9, 16], read);
    }

    [Fact]
    public void Dictionaries_NullEmptyAndValues_RoundTrip()
    {
        var source = new Dictionary<string, int?> { ["a"] = 1, ["ö"] = null, [""] = -5 };

        Assert.Null(RoundTrip<Dictionary<string, int>?>(null));
        Assert.Empty(RoundTrip(new Dictionary<int, string>())!);
        Assert.Equal(source, RoundTrip(source)!);
        Assert.Equal(source, RoundTrip<IDictionary<string, int?>>(source));
        Assert.Equal(source, RoundTrip<IReadOnlyDictionary<string, int?>>(source));
    }

    [Fact]
    public void Sets_NullEmptyAndValues_RoundTrip()
    {
        Assert.Null(RoundTrip<HashSet<string>?>(null));
        Assert.Empty(RoundTrip(new HashSet<int>())!);
        Assert.True(new HashSet<string> { "a", "b" }.SetEquals(RoundTrip(new HashSet<string> { "a", "b" })!));
        Assert.True(new HashSet<Guid> { Guid.Empty }.SetEquals(RoundTrip<ISet<Guid>>(new HashSet<Guid> { Guid.Empty })));
    }
}
