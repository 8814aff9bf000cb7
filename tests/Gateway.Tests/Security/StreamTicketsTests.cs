using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.Security;
using Switchboard.Gateway.Tests.TestDoubles;

namespace Switchboard.Gateway.Tests.Security;

public sealed class StreamTicketsTests
{
    private const string CallSid = "CA9f2c1e0d3b4a59687f0e1d2c3b4a5968";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Check_NoTicket_Missing(string? ticket)
        => Assert.Equal(StreamTicketCheck.Missing, Tickets().Check(ticket, CallSid));

    [Theory]
    [InlineData("no-dot")]
    [InlineData(".AAAA")]
    [InlineData("-5.AAAA")]
    [InlineData("1764000000.not base64!")]
    [InlineData("1764000000.AAAA")]
    public void Check_NotATicket_Malformed(string ticket)
        => Assert.Equal(StreamTicketCheck.Malformed, Tickets().Check(ticket, CallSid));

    [Fact]
    public void Check_TicketOfAnotherCall_WrongCall()
    {
        var tickets = Tickets();

        Assert.Equal(StreamTicketCheck.WrongCall, tickets.Check(tickets.Issue("CA00000000000000000000000000000000"), CallSid));
    }

    [Fact]
    public void Check_TicketSignedWithAnotherToken_WrongCall()
    {
        var foreign = Tickets(token: "ffffffffffffffffffffffffffffffff").Issue(CallSid);

        Assert.Equal(StreamTicketCheck.WrongCall, Tickets().Check(foreign, CallSid));
    }

    [Fact]
    public void Check_ExpiryMovedLater_WrongCall()
    {
        var tickets = Tickets();
        var ticket = tickets.Issue(CallSid);
        var mac = ticket[(ticket.IndexOf('.', StringComparison.Ordinal) + 1)..];

        Assert.Equal(StreamTicketCheck.WrongCall, tickets.Check($"{_time.GetUtcNow().AddYears(1).ToUnixTimeSeconds()}.{mac}", CallSid));
    }

    [Fact]
    public void Check_AfterItsLifetime_Expired()
    {
        var tickets = Tickets();
        var ticket = tickets.Issue(CallSid);

        _time.Advance(GatewayOptions.DefaultStreamTicketLifetime + TimeSpan.FromSeconds(1));

        Assert.Equal(StreamTicketCheck.Expired, tickets.Check(ticket, CallSid));
    }

    [Fact]
    public void Check_WithinItsLifetime_ValidOnAnyGatewayWithTheToken()
    {
        var ticket = Tickets().Issue(CallSid);
        _time.Advance(GatewayOptions.DefaultStreamTicketLifetime - TimeSpan.FromSeconds(1));

        Assert.Equal(StreamTicketCheck.Valid, Tickets().Check(ticket, CallSid));
    }

    [Fact]
    public void CanIssue_NoAuthToken_False()
        => Assert.False(Tickets(token: null).CanIssue);

    private StreamTickets Tickets(string? token = GatewayTestHost.AuthToken)
        => new(Options.Create(new GatewayOptions { TwilioAuthToken = token }), _time);
}
