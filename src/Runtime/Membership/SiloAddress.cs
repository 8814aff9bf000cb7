using System.Globalization;

namespace Switchboard.Runtime.Membership;

/// <summary>
/// Identity of one silo process: host, TCP port and a per-start generation, so a restarted process on the same
/// endpoint is a different silo. Text form <c>host:port@generation</c> (Orleans' parsable form); it is also the silo's
/// runtime id on the wire.
/// </summary>
/// <param name="Host">IP address or host name other nodes connect to.</param>
/// <param name="Port">Silo TCP port.</param>
/// <param name="Generation">Per-start number; increases across restarts.</param>
public sealed record SiloAddress(string Host, int Port, int Generation)
{
    private static readonly DateTimeOffset GenerationEpoch = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static int s_lastGeneration;

    /// <summary>A new generation: seconds since 2022-01-01, forced to increase within this process.</summary>
    public static int NewGeneration(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var candidate = (int)(timeProvider.GetUtcNow() - GenerationEpoch).TotalSeconds;
        while (true)
        {
            var last = Volatile.Read(ref s_lastGeneration);
            var next = Math.Max(candidate, last + 1);
            if (Interlocked.CompareExchange(ref s_lastGeneration, next, last) == last)
            {
                return next;
            }
        }
    }

    /// <summary>Parses <c>host:port@generation</c>.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SiloAddress? address)
    {
        address = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var at = text.LastIndexOf('@');
        var colon = at < 0 ? -1 : text.LastIndexOf(':', at);
        if (colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1, at - colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || !int.TryParse(text.AsSpan(at + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var generation))
        {
            return false;
        }

        address = new SiloAddress(text[..colon], port, generation);
        return true;
    }

    /// <summary>Parses <c>host:port@generation</c> or throws <see cref="FormatException"/>.</summary>
    public static SiloAddress Parse(string text)
        => TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not a silo address (host:port@generation).");

    /// <summary>The same endpoint, ignoring generation.</summary>
    public bool IsSameEndpoint(SiloAddress other)
        => other is not null && Port == other.Port && string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}@{Generation}");
}
