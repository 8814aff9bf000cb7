using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Tests.Messaging;

public sealed class ExceptionCodecTests
{
    [Fact]
    public void Read_TruncatedBytes_ThrowsCodecException()
    {
        using var writer = new CodecWriter();
        ExceptionCodec.Write(writer, new InvalidOperationException("message"));
        var truncated = writer.ToArray()[..5];

        Assert.Throws<CodecException>(() => ExceptionCodec.Read(new CodecReader(truncated)));
    }

    [Fact]
    public void RoundTrip_ArgumentOutOfRange_KeepsParamNameWithoutDuplicatingSuffix()
    {
        var original = new ArgumentOutOfRangeException("count", "must be positive");

        var copy = Assert.IsType<ArgumentOutOfRangeException>(RoundTrip(original));

        Assert.Equal("count", copy.ParamName);
        Assert.Equal(original.Message, copy.Message);
    }

    [Fact]
    public void RoundTrip_SiloUnavailable_RebuiltAsItself()
    {
        var copy = Assert.IsType<SiloUnavailableException>(RoundTrip(new SiloUnavailableException("gone")));

        Assert.Equal("gone", copy.Message);
    }

    [Fact]
    public void RoundTrip_RemoteGrainException_KeepsOriginalTypeName()
    {
        var first = Assert.IsType<RemoteGrainException>(RoundTrip(new DivideByZeroException("div")));

        var second = Assert.IsType<RemoteGrainException>(RoundTrip(first));

        Assert.Equal(typeof(DivideByZeroException).FullName, second.OriginalTypeName);
        Assert.Equal("div", second.Message);
    }

    private static Exception RoundTrip(Exception exception)
    {
        using var writer = new CodecWriter();
        ExceptionCodec.Write(writer, exception);
        return ExceptionCodec.Read(new CodecReader(writer.ToArray()));
    }
}
