using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Configuration;

namespace Switchboard.Gateway.Security;

/// <summary>Outcome of <see cref="StreamTickets.Check"/>.</summary>
internal enum StreamTicketCheck
{
    /// <summary>Issued by a gateway with the same auth token, for this call, and not expired.</summary>
    Valid,

    /// <summary><c>start.customParameters</c> has no ticket.</summary>
    Missing,

    /// <summary>Not of the form <c>expiry.mac</c>.</summary>
    Malformed,

    /// <summary>Well formed, but not issued for this call by a holder of the auth token.</summary>
    WrongCall,

    /// <summary>Issued for this call, but its lifetime has passed.</summary>
    Expired,
}

/// <summary>
/// Stream tickets: proof that a media stream's <c>start</c> belongs to a call our voice webhook answered.
/// </summary>
/// <remarks>
/// Twilio signs the WebSocket upgrade over the stream URL alone, which is the same for every call, so one captured
/// upgrade signature would open streams forever. The voice webhook request is signed over the call's form fields,
/// CallSid included. Its TwiML therefore carries a <c>&lt;Parameter name="streamTicket"&gt;</c>: an expiry and an
/// HMAC-SHA256, keyed by the auth token, over the CallSid and that expiry. Twilio sends it back in
/// <c>start.customParameters</c>. With <c>Gateway:RequireStreamTicket</c> the gateway refuses a <c>start</c> whose ticket
/// does not match its <c>callSid</c> or has expired. Nothing is stored, so any gateway that knows the token can check a
/// ticket another gateway issued.
/// </remarks>
internal sealed class StreamTickets
{
    /// <summary>The TwiML parameter (and <c>customParameters</c> key) that carries the ticket.</summary>
    public const string ParameterName = "streamTicket";

    // Domain separation: the same token also signs Twilio's requests; a ticket must never double as one of those.
    private const string Purpose = "switchboard-stream-ticket-v1";

    private readonly byte[]? _key;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    public StreamTickets(IOptions<GatewayOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var token = options.Value.TwilioAuthToken;
        _key = string.IsNullOrEmpty(token) ? null : Encoding.UTF8.GetBytes(token);
        _lifetime = options.Value.StreamTicketLifetime;
        _time = time;
    }

    /// <summary>False without an auth token: then nothing is issued and nothing can be checked.</summary>
    public bool CanIssue => _key is not null;

    /// <summary>A ticket for <paramref name="callSid"/>, valid for <c>Gateway:StreamTicketLifetime</c>.</summary>
    public string Issue(string callSid)
    {
        ArgumentException.ThrowIfNullOrEmpty(callSid);
        var expires = (_time.GetUtcNow() + _lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{expires}.{Convert.ToBase64String(Mac(callSid, expires))}";
    }

    /// <summary>Checks <paramref name="ticket"/> against the <c>callSid</c> of the <c>start</c> that carried it.</summary>
    public StreamTicketCheck Check(string? ticket, string callSid)
    {
        if (string.IsNullOrEmpty(ticket))
        {
            return StreamTicketCheck.Missing;
        }

        var dot = ticket.IndexOf('.', StringComparison.Ordinal);
        Span<byte> given = stackalloc byte[32];
        if (dot <= 0
            || !long.TryParse(ticket.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || !Convert.TryFromBase64String(ticket[(dot + 1)..], given, out var written)
            || written != given.Length)
        {
            return StreamTicketCheck.Malformed;
        }

        if (_key is null || !CryptographicOperations.FixedTimeEquals(given, Mac(callSid, ticket[..dot])))
        {
            return StreamTicketCheck.WrongCall;
        }

        // Checked after the MAC, so an expiry is only reported for a ticket this cluster really issued.
        return _time.GetUtcNow().ToUnixTimeSeconds() > expiresAt ? StreamTicketCheck.Expired : StreamTicketCheck.Valid;
    }

    private byte[] Mac(string callSid, string expires)
        => HMACSHA256.HashData(_key ?? [], Encoding.UTF8.GetBytes($"{Purpose}\n{callSid}\n{expires}"));
}
