using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.Security;

namespace Switchboard.Gateway.Tests.Security;

/// <summary>
/// URL reconstruction behind a proxy: Kestrel sees http://127.0.0.1:8081 while Twilio signed the public URL.
/// Signatures computed with python3 (see <see cref="TwilioSignatureValidatorTests"/>):
/// https://voice.example.com:443/twilio/voice → "+iRE05ZCR+Wl6gOJgK8jSBwOH+g=";
/// https://voice.example.com/twilio/voice?tenant=a%20b → "UbdNok/XE7g0v7ycORolSuyj1fs=";
/// http://voice.example.com:8080/twilio/voice → "L0pK7MFOH2p1T1kaLqjCnBMEhr0=" (all with the call parameters);
/// wss://voice.example.com/twilio/media-stream/ → "oCGzBArZ1l1LiSSzaJquCe3jmX4=";
/// https://voice.example.com/twilio/media-stream → "YK+q3e59+TdtoFF7XEIw6YrvsOU=" (no params).
/// </summary>
public class TwilioRequestAuthenticatorTests
{
    [Fact]
    public void AuthenticateUpgrade_MissingHeader_False()
    {
        var auth = Create("https://voice.example.com");

        Assert.False(auth.AuthenticateUpgrade(ProxiedRequest("/twilio/media-stream", signature: null)));
    }

    [Fact]
    public void AuthenticateUpgrade_SignedWithHttpsSchemeInsteadOfWss_False()
    {
        var auth = Create("https://voice.example.com");

        Assert.False(auth.AuthenticateUpgrade(ProxiedRequest("/twilio/media-stream", "YK+q3e59+TdtoFF7XEIw6YrvsOU=")));
    }

    [Fact]
    public void AuthenticateUpgrade_SignatureForWhatKestrelSees_False()
    {
        var auth = Create("https://voice.example.com");
        var kestrelUrlSignature = new TwilioSignatureValidator(TwilioSignatureValidatorTests.Token).ComputeSignature("ws://127.0.0.1:8081/twilio/media-stream", []);

        Assert.False(auth.AuthenticateUpgrade(ProxiedRequest("/twilio/media-stream", kestrelUrlSignature)));
    }

    [Fact]
    public void AuthenticateWebhook_HttpPortDropped_False()
    {
        var auth = Create("http://voice.example.com:8080");

        // Signed without the port although the public http URL has one: http keeps the port, so this must fail.
        Assert.False(auth.AuthenticateWebhook(ProxiedRequest("/twilio/voice", TwilioSignatureValidatorTests.WebhookSignature), TwilioSignatureValidatorTests.CallParameters));
    }

    [Fact]
    public void AuthenticateUpgrade_PublicWssBehindProxy_True()
    {
        var auth = Create("https://voice.example.com");

        Assert.True(auth.AuthenticateUpgrade(ProxiedRequest("/twilio/media-stream", "/1gBfV4CTETBciRKvuziPbTiauw=")));
    }

    [Fact]
    public void AuthenticateUpgrade_TrailingSlashVariant_True()
    {
        var auth = Create("https://voice.example.com");

        Assert.True(auth.AuthenticateUpgrade(ProxiedRequest("/twilio/media-stream", "oCGzBArZ1l1LiSSzaJquCe3jmX4=")));
    }

    [Fact]
    public void AuthenticateWebhook_PublicUrlBehindProxy_True()
    {
        var auth = Create("https://voice.example.com");

        Assert.True(auth.AuthenticateWebhook(ProxiedRequest("/twilio/voice", TwilioSignatureValidatorTests.WebhookSignature), TwilioSignatureValidatorTests.CallParameters));
    }

    [Fact]
    public void AuthenticateWebhook_PublicUrlWithExplicit443_SignedWithoutPort_True()
    {
        // Twilio signs https without the port even if the configured URL spells out :443.
        var auth = Create("https://voice.example.com:443");

        Assert.True(auth.AuthenticateWebhook(ProxiedRequest("/twilio/voice", TwilioSignatureValidatorTests.WebhookSignature), TwilioSignatureValidatorTests.CallParameters));
    }

    [Fact]
    public void AuthenticateWebhook_SignedWithExplicit443_True()
    {
        var auth = Create("https://voice.example.com");

        Assert.True(auth.AuthenticateWebhook(ProxiedRequest("/twilio/voice", "+iRE05ZCR+Wl6gOJgK8jSBwOH+g="), TwilioSignatureValidatorTests.CallParameters));
    }

    [Fact]
    public void AuthenticateWebhook_QueryStringIsSigned_True()
    {
        var auth = Create("https://voice.example.com");
        var context = ProxiedRequest("/twilio/voice", "UbdNok/XE7g0v7ycORolSuyj1fs=");
        context.Request.QueryString = new QueryString("?tenant=a%20b");

        Assert.True(auth.AuthenticateWebhook(context, TwilioSignatureValidatorTests.CallParameters));
    }

    [Fact]
    public void AuthenticateWebhook_HttpPublicUrlKeepsPort_True()
    {
        var auth = Create("http://voice.example.com:8080");

        Assert.True(auth.AuthenticateWebhook(ProxiedRequest("/twilio/voice", "L0pK7MFOH2p1T1kaLqjCnBMEhr0="), TwilioSignatureValidatorTests.CallParameters));
    }

    [Fact]
    public void Authenticate_NoToken_ValidationOff()
    {
        var auth = Create("https://voice.example.com", token: null);

        Assert.False(auth.Enabled);
        Assert.True(auth.AuthenticateUpgrade(ProxiedRequest("/twilio/media-stream", signature: null)));
    }

    private static TwilioRequestAuthenticator Create(string publicUrl, string? token = TwilioSignatureValidatorTests.Token)
    {
        var options = Options.Create(new GatewayOptions { PublicUrl = publicUrl, TwilioAuthToken = token });
        return new TwilioRequestAuthenticator(options, new PublicUrlResolver(options), NullLogger<TwilioRequestAuthenticator>.Instance);
    }

    private static DefaultHttpContext ProxiedRequest(string path, string? signature)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 8081);
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        if (signature is not null)
        {
            context.Request.Headers[TwilioRequestAuthenticator.SignatureHeader] = signature;
        }

        return context;
    }
}
