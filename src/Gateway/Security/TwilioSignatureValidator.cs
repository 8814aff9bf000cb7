using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Gateway.Security;

/// <summary>
/// Twilio's request signature: <c>Base64(HMAC-SHA1(key = auth token, data = url + name1 + value1 + name2 + value2 …))</c>
/// with the parameters sorted by name in ordinal (byte-wise, case-sensitive) order. For GET requests and WebSocket
/// upgrades the parameter list is empty (any query is already part of the URL). Comparison is constant time so the
/// response time says nothing about how much of a forged signature was right.
/// </summary>
internal sealed class TwilioSignatureValidator(string authToken)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(authToken);

    public string ComputeSignature(string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var data = new StringBuilder(url);
        // Stable ordinal sort: repeated names keep their submitted order.
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        var mac = HMACSHA1.HashData(_key, Encoding.UTF8.GetBytes(data.ToString()));
        return Convert.ToBase64String(mac);
    }

    public bool IsValid(string url, IEnumerable<KeyValuePair<string, string>> parameters, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(ComputeSignature(url, parameters));
        var actual = Encoding.UTF8.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
