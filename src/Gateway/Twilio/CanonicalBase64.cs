namespace Switchboard.Gateway.Twilio;

/// <summary>
/// Strict decoding of a media payload: only canonical standard base64 (RFC 4648 §4, the alphabet with <c>+</c> and
/// <c>/</c>, padded to a multiple of four, unused bits of the last character zero) is accepted, which is what Twilio
/// sends (160 bytes of μ-law are 216 characters).
/// </summary>
/// <remarks>Why not <see cref="Convert.TryFromBase64String"/> alone: it skips whitespace anywhere in the text, so a payload
/// with spaces or line breaks inside decoded and was forwarded as audio. The check runs first, and then the exact output
/// length is known, so the payload is decoded straight into the array the grain keeps.</remarks>
internal static class CanonicalBase64
{
    /// <summary>Decodes <paramref name="text"/>; false (and an empty payload) when it is not canonical standard base64.</summary>
    public static bool TryDecode(string text, out byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(text);
        payload = [];
        if (!IsCanonical(text, out var padding))
        {
            return false;
        }

        var decoded = new byte[(text.Length / 4 * 3) - padding];
        if (!Convert.TryFromBase64String(text, decoded, out var written) || written != decoded.Length)
        {
            return false;
        }

        payload = decoded;
        return true;
    }

    private static bool IsCanonical(string text, out int padding)
    {
        padding = 0;
        if (text.Length % 4 != 0)
        {
            return false;
        }

        if (text.Length == 0)
        {
            return true;
        }

        padding = text[^1] != '=' ? 0 : text[^2] == '=' ? 2 : 1;
        var data = text.AsSpan(0, text.Length - padding);
        foreach (var c in data)
        {
            if (ValueOf(c) < 0)
            {
                return false;
            }
        }

        // With padding the last data character carries bits beyond the payload; a canonical encoder leaves them zero.
        return padding switch
        {
            2 => (ValueOf(data[^1]) & 0x0F) == 0,
            1 => (ValueOf(data[^1]) & 0x03) == 0,
            _ => true,
        };
    }

    private static int ValueOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '+' => 62,
        '/' => 63,
        _ => -1,
    };
}
