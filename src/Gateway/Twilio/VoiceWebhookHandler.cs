using Microsoft.AspNetCore.Http;
using Switchboard.Gateway.Security;

namespace Switchboard.Gateway.Twilio;

/// <summary>
/// <c>POST /twilio/voice</c>: Twilio's voice webhook. Answers TwiML that connects the call to our media-stream
/// endpoint, passing CallSid, From, To and AccountSid as <c>&lt;Parameter&gt;</c>s (they come back in
/// <c>start.customParameters</c>). The signature covers the public URL and every form parameter. With an auth token it
/// also passes a stream ticket for the CallSid (<see cref="StreamTickets"/>), which the media stream can be required to show.
/// </summary>
internal sealed class VoiceWebhookHandler(TwilioRequestAuthenticator authenticator, PublicUrlResolver urls, StreamTickets tickets)
{
    private static readonly (string Form, string Parameter)[] s_forwarded =
    [
        ("CallSid", "callSid"),
        ("From", "from"),
        ("To", "to"),
        ("AccountSid", "accountSid"),
    ];

    public async Task HandleAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType
            ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false)
            : FormCollection.Empty;
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in form)
        {
            foreach (var value in values)
            {
                parameters.Add(new KeyValuePair<string, string>(name, value ?? string.Empty));
            }
        }

        if (!authenticator.AuthenticateWebhook(context, parameters))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var streamParameters = new List<KeyValuePair<string, string>>(s_forwarded.Length);
        foreach (var (formName, parameterName) in s_forwarded)
        {
            if (form.TryGetValue(formName, out var value) && !string.IsNullOrEmpty(value))
            {
                streamParameters.Add(new KeyValuePair<string, string>(parameterName, value.ToString()));
            }
        }

        if (tickets.CanIssue && form.TryGetValue("CallSid", out var callSid) && !string.IsNullOrEmpty(callSid))
        {
            streamParameters.Add(new KeyValuePair<string, string>(StreamTickets.ParameterName, tickets.Issue(callSid.ToString())));
        }

        var twiml = TwimlResponseBuilder.ConnectStream(urls.StreamUrl(context.Request), streamParameters);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/xml; charset=utf-8";
        await context.Response.WriteAsync(twiml, context.RequestAborted).ConfigureAwait(false);
    }
}
