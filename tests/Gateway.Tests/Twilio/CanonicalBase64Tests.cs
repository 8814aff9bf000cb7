using Switchboard.Gateway.Twilio;

namespace Switchboard.Gateway.Tests.Twilio;

public sealed class CanonicalBase64Tests
{
    // 160 bytes of μ-law chosen so the encoding contains both '+' and '/', which the URL-safe alphabet spells '-' and '_'.
    private static readonly byte[] Frame = [.. Enumerable.Range(0, 160).Select(i => (byte)(i % 2 == 0 ? 0xFB : 0xFF))];

    public static TheoryData<string, string> NotCanonical() => new()
    {
        { "space inside", Canonical().Insert(100, " ") },
        { "line break inside", Canonical().Insert(76, "\n") },
        { "CRLF inside", Canonical().Insert(76, "\r\n") },
        { "leading space", " " + Canonical() },
        { "trailing line break", Canonical() + "\n" },
        { "URL-safe alphabet", Canonical().Replace('+', '-').Replace('/', '_') },
        { "padding missing", "QUJD" + "QQ" },
        { "one pad missing", "QUJDRA=" },
        { "padding in the middle", "QQ==QUJD" },
        { "three pads", "Q===" },
        { "non-zero bits under the padding", "QR==" },
        { "non-zero bits under one pad", "QUJ=" },
        { "not base64 at all", "not*base64!" },
    };

    [Theory]
    [MemberData(nameof(NotCanonical))]
    public void TryDecode_NotCanonical_ReturnsFalseAndNoPayload(string variant, string text)
    {
        Assert.False(CanonicalBase64.TryDecode(text, out var payload), variant);
        Assert.Empty(payload);
    }

    [Fact]
    public void TryDecode_TwilioFrame_ReturnsTheExactBytes()
    {
        var text = Canonical();

        Assert.Equal(216, text.Length);
        Assert.Contains('+', text);
        Assert.Contains('/', text);
        Assert.True(CanonicalBase64.TryDecode(text, out var payload));
        Assert.Equal(Frame, payload);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("QQ==", 1)]
    [InlineData("QUI=", 2)]
    [InlineData("QUJD", 3)]
    public void TryDecode_EveryPaddingLength_ReturnsTheExactBytes(string text, int length)
    {
        Assert.True(CanonicalBase64.TryDecode(text, out var payload));
        Assert.Equal(Convert.FromBase64String(text), payload);
        Assert.Equal(length, payload.Length);
    }

    internal static string Canonical() => Convert.ToBase64String(Frame);
}
