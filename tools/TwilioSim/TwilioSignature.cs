using System.Security.Cryptography;
using System.Text;

namespace Switchboard.TwilioSim;

/// <summary>
/// Computes <c>X-Twilio-Signature</c> for the Media Streams upgrade the way Twilio signs it:
/// Base64(HMAC-SHA1(key = auth token, message = public <c>wss://</c> URL)), with empty params because the
/// upgrade is a GET without a body.
/// </summary>
internal static class TwilioSignature
{
    /// <summary>The header Twilio puts on the upgrade request.</summary>
    public const string HeaderName = "X-Twilio-Signature";

    /// <summary>Base64(HMAC-SHA1(authToken, url)).</summary>
    public static string Compute(string authToken, string url)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(url);
        byte[] hash = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(url));
        return Convert.ToBase64String(hash);
    }

    /// <summary>
    /// The URL Twilio would sign: <c>wss://</c> + authority of the public URL (or of the target URL when no
    /// public URL is given; default ports are omitted) + path of the target URL. No query string.
    /// </summary>
    public static string SignedUrl(Uri target, Uri? publicUrl)
    {
        ArgumentNullException.ThrowIfNull(target);
        Uri authoritySource = publicUrl ?? target;
        return "wss://" + authoritySource.Authority + target.AbsolutePath;
    }
}
