using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Configuration;

namespace Switchboard.Gateway.Security;

/// <summary>
/// Decides whether a request really comes from Twilio. Validation is on whenever an auth token is configured; a
/// failure is logged as <c>AUTH_FAILURE</c> with the remote address, and the caller answers 403 before doing
/// anything else (no upgrade, no grain call).
/// </summary>
internal sealed class TwilioRequestAuthenticator
{
    /// <summary>The header Twilio signs requests with.</summary>
    public const string SignatureHeader = "X-Twilio-Signature";

    private readonly TwilioSignatureValidator? _validator;
    private readonly PublicUrlResolver _urls;
    private readonly ILogger<TwilioRequestAuthenticator> _logger;

    public TwilioRequestAuthenticator(IOptions<GatewayOptions> options, PublicUrlResolver urls, ILogger<TwilioRequestAuthenticator> logger)
    {
        _urls = urls;
        _logger = logger;
        var token = options.Value.TwilioAuthToken;
        _validator = string.IsNullOrEmpty(token) ? null : new TwilioSignatureValidator(token);
    }

    public bool Enabled => _validator is not null;

    /// <summary>Checks a webhook POST (form parameters are part of the signed data).</summary>
    public bool AuthenticateWebhook(HttpContext context, IEnumerable<KeyValuePair<string, string>> formParameters) =>
        Authenticate(context, "webhook", _urls.WebhookUrls(context.Request), formParameters);

    /// <summary>Checks a media-stream upgrade (public wss URL, no parameters).</summary>
    public bool AuthenticateUpgrade(HttpContext context) =>
        Authenticate(context, "media-stream", _urls.UpgradeUrls(context.Request), []);

    private bool Authenticate(HttpContext context, string endpoint, IReadOnlyList<string> candidateUrls, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        if (_validator is null)
        {
            return true;
        }

        var signature = context.Request.Headers[SignatureHeader].ToString();
        var remote = context.Connection.RemoteIpAddress?.ToString();
        if (string.IsNullOrEmpty(signature))
        {
            SecurityLog.AuthFailure(_logger, endpoint, context.Connection.Id, remote, "missing " + SignatureHeader);
            return false;
        }

        var materialized = parameters as IReadOnlyCollection<KeyValuePair<string, string>> ?? parameters.ToArray();
        foreach (var url in candidateUrls)
        {
            if (_validator.IsValid(url, materialized, signature))
            {
                return true;
            }
        }

        SecurityLog.AuthFailure(_logger, endpoint, context.Connection.Id, remote, "signature does not match " + candidateUrls[0]);
        return false;
    }
}
