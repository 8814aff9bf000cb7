namespace Switchboard.TwilioSim.Tests;

public sealed class TwilioSignatureTests
{
    [Fact]
    public void Compute_DifferentToken_GivesDifferentSignature()
    {
        const string url = "wss://example.ngrok.app/twilio/media-stream";
        Assert.NotEqual(TwilioSignature.Compute("12345", url), TwilioSignature.Compute("12346", url));
    }

    [Fact]
    public void Compute_KnownVector_MatchesIndependentHmac()
    {
        // Computed independently:
        // python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b"12345",
        //   b"wss://example.ngrok.app/twilio/media-stream", hashlib.sha1).digest()).decode())'
        const string expected = "SL3tg5oEvc6d7p+YeDHtx9kKp5Q=";

        Assert.Equal(expected, TwilioSignature.Compute("12345", "wss://example.ngrok.app/twilio/media-stream"));
    }

    [Fact]
    public void SignedUrl_PublicUrl_UsesItsHostWithTargetPathAndWssScheme()
    {
        var signed = TwilioSignature.SignedUrl(
            new Uri("ws://127.0.0.1:8081/twilio/media-stream?ignored=1"),
            new Uri("https://example.ngrok.app/other/path"));

        Assert.Equal("wss://example.ngrok.app/twilio/media-stream", signed);
    }

    [Fact]
    public void SignedUrl_NoPublicUrl_UsesTargetAuthorityIncludingPort()
    {
        var signed = TwilioSignature.SignedUrl(new Uri("ws://127.0.0.1:8081/twilio/media-stream"), null);

        Assert.Equal("wss://127.0.0.1:8081/twilio/media-stream", signed);
    }
}
