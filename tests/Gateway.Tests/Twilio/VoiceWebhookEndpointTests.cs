using System.Net;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Gateway.Security;
using Switchboard.Gateway.Tests.Security;
using Switchboard.Gateway.Tests.TestDoubles;

namespace Switchboard.Gateway.Tests.Twilio;

public class VoiceWebhookEndpointTests
{
    [Fact]
    public async Task Post_TamperedParameter_Returns403()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var form = TwilioSignatureValidatorTests.CallParameters.Select(p => p.Key == "To" ? new KeyValuePair<string, string>("To", "+15550000000") : p);
        using var request = Request(form, TwilioSignatureValidatorTests.WebhookSignature);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(host.Logs.Entries, e => e.EventName == "AuthFailure");
    }

    [Fact]
    public async Task Post_ValidSignatureBehindProxy_ReturnsConnectStreamTwiml()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = Request(TwilioSignatureValidatorTests.CallParameters, TwilioSignatureValidatorTests.WebhookSignature);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType!.MediaType);
        var stream = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Element("Connect")!.Element("Stream")!;
        Assert.Equal("wss://voice.example.com/twilio/media-stream", stream.Attribute("url")!.Value);
        var parameters = stream.Elements("Parameter").ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")!.Value);
        Assert.Equal("CA9f2c1e0d3b4a59687f0e1d2c3b4a5968", parameters["callSid"]);
        Assert.Equal("+15551230001", parameters["from"]);
        Assert.Equal("+15559870002", parameters["to"]);
        Assert.Equal("AC0123456789abcdef0123456789abcdef", parameters["accountSid"]);
        var tickets = host.Services.GetRequiredService<StreamTickets>();
        Assert.Equal(StreamTicketCheck.Valid, tickets.Check(parameters[StreamTickets.ParameterName], "CA9f2c1e0d3b4a59687f0e1d2c3b4a5968"));
    }

    [Fact]
    public async Task Post_NoAuthToken_NoStreamTicket()
    {
        await using var host = await GatewayTestHost.StartAsync(signatures: false);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = Request([new("CallSid", "CA1")], signature: null);

        using var response = await http.SendAsync(request);

        var stream = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Element("Connect")!.Element("Stream")!;
        Assert.DoesNotContain(stream.Elements("Parameter"), p => p.Attribute("name")!.Value == StreamTickets.ParameterName);
    }

    [Fact]
    public async Task Post_NoPublicUrlInDevelopment_UsesRequestHost()
    {
        await using var host = await GatewayTestHost.StartAsync(signatures: false);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = Request([new("CallSid", "CA1"), new("From", "<script>&")], signature: null);

        using var response = await http.SendAsync(request);

        var stream = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Element("Connect")!.Element("Stream")!;
        Assert.Equal($"wss://{host.BaseAddress.Authority}/twilio/media-stream", stream.Attribute("url")!.Value);
        Assert.Equal("<script>&", stream.Elements("Parameter").Single(p => p.Attribute("name")!.Value == "from").Attribute("value")!.Value);
    }

    private static HttpRequestMessage Request(IEnumerable<KeyValuePair<string, string>> form, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/twilio/voice", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(form),
        };
        if (signature is not null)
        {
            request.Headers.Add("X-Twilio-Signature", signature);
        }

        return request;
    }
}
