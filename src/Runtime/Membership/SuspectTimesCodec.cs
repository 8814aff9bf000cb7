using System.Globalization;
using System.Text;

namespace Switchboard.Runtime.Membership;

/// <summary>
/// Text form of a row's death votes, as Orleans stores them: <c>host:port@generation,time|host:port@generation,time</c>
/// with ISO 8601 round-trip times in UTC. Neither part can contain <c>,</c> or <c>|</c>.
/// </summary>
internal static class SuspectTimesCodec
{
    /// <summary>The text for <paramref name="votes"/>; null when there are none (stored as SQL NULL).</summary>
    public static string? Encode(IReadOnlyList<SuspectVote> votes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        if (votes.Count == 0)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach (var vote in votes)
        {
            if (builder.Length > 0)
            {
                builder.Append('|');
            }

            builder.Append(vote.Voter.ToString()).Append(',')
                .Append(vote.Time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    /// <summary>Parses <see cref="Encode"/>'s output; throws <see cref="FormatException"/> on anything else, because a
    /// corrupt vote list must not silently count as no votes.</summary>
    public static IReadOnlyList<SuspectVote> Decode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var votes = new List<SuspectVote>();
        foreach (var part in text.Split('|'))
        {
            var comma = part.IndexOf(',', StringComparison.Ordinal);
            if (comma <= 0
                || !SiloAddress.TryParse(part[..comma], out var voter)
                || !DateTimeOffset.TryParse(part[(comma + 1)..], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
            {
                throw new FormatException($"'{part}' is not a suspect vote (host:port@generation,time).");
            }

            votes.Add(new SuspectVote(voter, time.ToUniversalTime()));
        }

        return votes;
    }
}
