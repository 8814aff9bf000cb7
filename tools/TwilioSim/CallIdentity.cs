using System.Security.Cryptography;

namespace Switchboard.TwilioSim;

/// <summary>The Twilio identifiers of one simulated call (34-character SIDs: two-letter prefix + 32 hex).</summary>
internal sealed record CallIdentity(string StreamSid, string CallSid, string AccountSid)
{
    /// <summary>Random SIDs with Twilio's prefixes: <c>MZ</c> stream, <c>CA</c> call, <c>AC</c> account.</summary>
    public static CallIdentity CreateRandom(string accountSid) =>
        new("MZ" + NewHex(), "CA" + NewHex(), accountSid);

    /// <summary>A random <c>AC…</c> account SID.</summary>
    public static string NewAccountSid() => "AC" + NewHex();

    private static string NewHex() => RandomNumberGenerator.GetHexString(32, lowercase: true);
}
