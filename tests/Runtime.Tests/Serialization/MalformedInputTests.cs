using Switchboard.Runtime.Serialization;
using Switchboard.Runtime.Tests.CodeGeneration;
using static Switchboard.Runtime.Tests.Serialization.CodecTestHelpers;

namespace Switchboard.Runtime.Tests.Serialization;

public sealed class MalformedInputTests
{
    [Fact]
    public void Truncation_EveryOffsetOfEveryShape_ThrowsCodecException()
    {
        AssertEveryTruncationThrowsCodecException("héllo 🎉");
        AssertEveryTruncationThrowsCodecException(new byte[] { 1, 2, 3 });
        AssertEveryTruncationThrowsCodecException(new ReadOnlyMemory<byte>([9, 8]));
        AssertEveryTruncationThrowsCodecException(long.MinValue);
        AssertEveryTruncationThrowsCodecException(ulong.MaxValue);
        AssertEveryTruncationThrowsCodecException(float.MaxValue);
        AssertEveryTruncationThrowsCodecException(double.MinValue);
        AssertEveryTruncationThrowsCodecException(decimal.MinValue);
        AssertEveryTruncationThrowsCodecException(Guid.NewGuid());
        AssertEveryTruncationThrowsCodecException(DateTime.UtcNow);
        AssertEveryTruncationThrowsCodecException(DateTimeOffset.Now);
        AssertEveryTruncationThrowsCodecException(TimeSpan.MaxValue);
        AssertEveryTruncationThrowsCodecException(LongEnum.Min);
        AssertEveryTruncationThrowsCodecException<int?>(5);
        AssertEveryTruncationThrowsCodecException(new[] { "a", null, "c" });
        AssertEveryTruncationThrowsCodecException(new List<int> { 1, 300, -70000 });
        AssertEveryTruncationThrowsCodecException<IEnumerable<char>>(['x', 'y']);
        AssertEveryTruncationThrowsCodecException(new Dictionary<string, double> { ["k"] = 1.5, ["l"] = -1 });
        AssertEveryTruncationThrowsCodecException(new HashSet<short> { 1, -2 });
        AssertEveryTruncationThrowsCodecException(new TestPayload("name", 4, [1, 2], ["t"], TestColor.Green));
        AssertEveryTruncationThrowsCodecException(new TestSettings { Label = "l", Timeout = TimeSpan.FromSeconds(1), Extra = new() { ["a"] = "b" } });
        AssertEveryTruncationThrowsCodecException(new TestPoint(1, 2) { Tag = "t" });
    }

    [Fact]
    public void PresenceByte_Invalid_ThrowsCodecException()
    {
        byte[] bad = [2, 0];

        Assert.Throws<CodecException>(() => Decode<int?>(bad));
        Assert.Throws<CodecException>(() => Decode<int[]>(bad));
        Assert.Throws<CodecException>(() => Decode<List<int>>(bad));
        Assert.Throws<CodecException>(() => Decode<IReadOnlyDictionary<int, int>>(bad));
        Assert.Throws<CodecException>(() => Decode<HashSet<int>>(bad));
        Assert.Throws<CodecException>(() => Decode<TestPayload>(bad));
        Assert.Throws<CodecException>(() => Decode<ITestObserver>(bad));
    }

    [Fact]
    public void CollectionCount_Huge_ThrowsCodecExceptionWithoutAllocating()
    {
        // Presence 1, count uint.MaxValue, one element byte.
        byte[] bytes = [1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0];

        Assert.Throws<CodecException>(() => Decode<int[]>(bytes));
        Assert.Throws<CodecException>(() => Decode<List<string>>(bytes));
        Assert.Throws<CodecException>(() => Decode<Dictionary<int, int>>(bytes));
        Assert.Throws<CodecException>(() => Decode<ISet<int>>(bytes));
    }

    [Fact]
    public void StringLength_PastEnd_ThrowsCodecException()
        => Assert.Throws<CodecException>(() => Decode<string>([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, (byte)'a']));

    [Fact]
    public void Varint_Overlong_ThrowsCodecException()
    {
        byte[] elevenBytes = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        byte[] tenthByteOverflows = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02];

        Assert.Throws<CodecException>(() => Decode<ulong>(elevenBytes));
        Assert.Throws<CodecException>(() => Decode<long>(tenthByteOverflows));
        Assert.Throws<CodecException>(() => Decode<int>([0xFF, 0xFF, 0xFF, 0xFF, 0x7F]));
    }

    [Fact]
    public void String_InvalidUtf8_ThrowsCodecException()
    {
        Assert.Throws<CodecException>(() => Decode<string>([3, 0xC3, 0x28]));
        Assert.Throws<CodecException>(() => Decode<string>([2, 0xFF]));
        Assert.Throws<CodecException>(() => Decode<string>([4, 0xED, 0xA0, 0x80]));
    }

    [Fact]
    public void Values_OutOfRange_ThrowCodecException()
    {
        Assert.Throws<CodecException>(() => Decode<bool>([2]));
        Assert.Throws<CodecException>(() => Decode<short>(Encode(40000)));
        Assert.Throws<CodecException>(() => Decode<ushort>(Encode(70000u)));
        Assert.Throws<CodecException>(() => Decode<char>(Encode(0x10000u)));
        Assert.Throws<CodecException>(() => Decode<ByteEnum>(Encode(300L)));
        Assert.Throws<CodecException>(() => Decode<SByteEnum>(Encode(-129L)));
        Assert.Throws<CodecException>(() => Decode<IntEnum>(Encode(long.MaxValue)));
        Assert.Throws<CodecException>(() => Decode<DateTime>([7, 0]));
        Assert.Throws<CodecException>(() => Decode<DateTime>([1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]));
        Assert.Throws<CodecException>(() => Decode<DateTimeOffset>([0, 0xB1, 0x0D]));
        // Scale byte 29 is beyond decimal's maximum of 28.
        Assert.Throws<CodecException>(() => Decode<decimal>([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 29, 0]));
        Assert.Throws<CodecException>(() => Decode<ReadOnlyMemory<byte>>([0]));
    }

    [Fact]
    public void Collections_DuplicateKeysOrElements_ThrowCodecException()
    {
        Assert.Throws<CodecException>(() => Decode<Dictionary<int, int>>([1, 2, 2, 0, 2, 0]));
        Assert.Throws<CodecException>(() => Decode<HashSet<int>>([1, 2, 2, 2]));
    }

    [Fact]
    public void GrainReference_ReadWithoutReferenceContext_ThrowsCodecException()
    {
        using var writer = new CodecWriter();
        writer.WriteByte(1);
        writer.WriteString(GrainId.ObserverType);
        writer.WriteString("k");
        writer.WriteVarUInt32(0);

        var ex = Assert.Throws<CodecException>(() => Decode<ITestObserver>(writer.ToArray()));

        Assert.Contains("context", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GrainReference_NullKey_ThrowsCodecException()
        => Assert.Throws<CodecException>(() => Decode<ITestObserver>([1, 1, 0, 0], new SerializationContext(new LoopbackRuntime())));

    [Fact]
    public void GrainReference_LocalObject_ThrowsInvalidOperation()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Encode<ITestObserver>(new TestObserver()));

        Assert.Contains("pass a reference created by IGrainFactory, not the object itself", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GrainReference_NullAndReference_RoundTrip()
    {
        var runtime = new LoopbackRuntime();
        var context = new SerializationContext(runtime);
        var reference = (ITestObserver)runtime.GetReference(typeof(ITestObserver), new GrainId(GrainId.ObserverType, "o"));

        Assert.Null(Decode<ITestObserver?>(Encode<ITestObserver?>(null), context));
        var read = Decode<ITestObserver>(Encode(reference), context);
        Assert.NotSame(reference, read);
        Assert.Equal(reference, read);
        // Declared as the base interface, the wire interface id still rebuilds the specific proxy.
        Assert.IsAssignableFrom<ITestObserver>(Decode<IAddressable>(Encode<IAddressable>(reference), context));
    }

    [Fact]
    public void RandomBytes_GeneratedAndBuiltInCodecs_OnlyCodecExceptions()
    {
        var random = new Random(20261123);
        var context = new SerializationContext(new LoopbackRuntime());
        var valid = Encode(new TestPayload("name", 4, [1, 2], ["t"], TestColor.Green));
        for (var i = 0; i < 3000; i++)
        {
            var bytes = new byte[random.Next(0, 40)];
            random.NextBytes(bytes);
            if (i % 2 == 0 && bytes.Length > 0)
            {
                // Half the inputs are a valid encoding with one corrupted byte, so they get past the first checks.
                bytes = (byte[])valid.Clone();
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            AssertOnlyCodecException(() => new CodecReader(bytes, context).Read<TestPayload>());
            AssertOnlyCodecException(() => new CodecReader(bytes, context).Read<Dictionary<string, List<DateTimeOffset>>>());
            AssertOnlyCodecException(() => new CodecReader(bytes, context).Read<ITestObserver>());
        }
    }

    private static void AssertOnlyCodecException(Action action)
    {
        var ex = Record.Exception(action);
        Assert.True(ex is null or CodecException, $"Unexpected {ex?.GetType().Name}: {ex?.Message}");
    }
}
