using Switchboard.Gateway.Security;

namespace Switchboard.Gateway.Tests.Security;

/// <summary>
/// Expected signatures were computed independently of this code with python3:
/// <c>base64.b64encode(hmac.new(token, url + "".join(k + v for k, v in sorted(params)), hashlib.sha1).digest())</c>
/// (sorted by UTF-8 bytes = ordinal), and cross-checked with node's <c>crypto.createHmac("sha1", token)</c>.
/// </summary>
public class TwilioSignatureValidatorTests
{
    internal const string Token = "0123456789abcdef0123456789abcdef";

    internal static readonly KeyValuePair<string, string>[] CallParameters =
    [
        new("To", "+15559870002"),
        new("CallSid", "CA9f2c1e0d3b4a59687f0e1d2c3b4a5968"),
        new("From", "+15551230001"),
        new("AccountSid", "AC0123456789abcdef0123456789abcdef"),
    ];

    // python3 (see class comment): url "https://voice.example.com/twilio/voice" + CallParameters.
    internal const string WebhookSignature = "A8PcolHTCdp4oTHp9QljR22M1pc=";

    [Fact]
    public void IsValid_MissingSignature_False()
    {
        var validator = new TwilioSignatureValidator(Token);

        Assert.False(validator.IsValid("https://voice.example.com/twilio/voice", CallParameters, null));
        Assert.False(validator.IsValid("https://voice.example.com/twilio/voice", CallParameters, ""));
    }

    [Fact]
    public void IsValid_TamperedParameter_False()
    {
        var validator = new TwilioSignatureValidator(Token);
        var tampered = CallParameters.Select(p => p.Key == "From" ? new KeyValuePair<string, string>("From", "+15550000000") : p).ToArray();

        Assert.False(validator.IsValid("https://voice.example.com/twilio/voice", tampered, WebhookSignature));
    }

    [Fact]
    public void IsValid_WrongToken_False()
    {
        var validator = new TwilioSignatureValidator("fedcba9876543210fedcba9876543210");

        Assert.False(validator.IsValid("https://voice.example.com/twilio/voice", CallParameters, WebhookSignature));
    }

    [Fact]
    public void IsValid_DifferentUrl_False()
    {
        var validator = new TwilioSignatureValidator(Token);

        Assert.False(validator.IsValid("https://voice.example.com/twilio/voice/", CallParameters, WebhookSignature));
    }

    [Fact]
    public void ComputeSignature_TwilioSecurityDocsExample_Matches()
    {
        // The example from Twilio's security documentation (token "12345"); python3 reproduces the same value.
        var validator = new TwilioSignatureValidator("12345");
        KeyValuePair<string, string>[] parameters =
        [
            new("CallSid", "CA1234567890ABCDE"),
            new("Caller", "+14158675309"),
            new("Digits", "1234"),
            new("From", "+14158675309"),
            new("To", "+18005551212"),
        ];

        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=", validator.ComputeSignature("https://mycompany.com/myapp.php?foo=1&bar=2", parameters));
    }

    [Fact]
    public void IsValid_ValidWebhook_True()
    {
        var validator = new TwilioSignatureValidator(Token);

        Assert.True(validator.IsValid("https://voice.example.com/twilio/voice", CallParameters, WebhookSignature));
    }

    [Fact]
    public void IsValid_ParameterOrder_DoesNotMatter()
    {
        var validator = new TwilioSignatureValidator(Token);

        Assert.True(validator.IsValid("https://voice.example.com/twilio/voice", CallParameters.Reverse(), WebhookSignature));
        Assert.True(validator.IsValid("https://voice.example.com/twilio/voice", CallParameters.OrderBy(p => p.Value, StringComparer.Ordinal), WebhookSignature));
    }

    [Fact]
    public void ComputeSignature_SortIsOrdinalCaseSensitive()
    {
        // python3: url "https://voice.example.com/twilio/voice", params a=1, B=2, b=3 → order "B2a1b3".
        var validator = new TwilioSignatureValidator(Token);

        Assert.Equal("63Rj2ip+qIRXgwKtQddPRbJ/Bc0=", validator.ComputeSignature("https://voice.example.com/twilio/voice", [new("a", "1"), new("b", "3"), new("B", "2")]));
    }

    [Fact]
    public void ComputeSignature_UpgradeUrl_EmptyParameters()
    {
        // python3 and node: url "wss://voice.example.com/twilio/media-stream", no params.
        var validator = new TwilioSignatureValidator(Token);

        Assert.Equal("/1gBfV4CTETBciRKvuziPbTiauw=", validator.ComputeSignature("wss://voice.example.com/twilio/media-stream", []));
    }
}
