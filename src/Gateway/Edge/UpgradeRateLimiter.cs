using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Gateway.Edge;

/// <summary>
/// Token bucket per client address for WebSocket upgrades (<see cref="UpgradeRateLimitOptions"/>).
///
/// Keys: IPv4 addresses as they are (an IPv4-mapped IPv6 address counts as its IPv4 address); IPv6 addresses by their
/// /64, since one host usually controls a whole /64 and could otherwise rotate through it. Memory is bounded: buckets
/// that have refilled completely are swept (they hold no information), and when <see cref="MaxTrackedAddresses"/> are
/// tracked even after a sweep, new addresses are admitted untracked (fail open: the connection limit still bounds the
/// gateway, and refusing unknown addresses would refuse Twilio itself). Time comes from the injected clock.
/// </summary>
internal sealed class UpgradeRateLimiter
{
    /// <summary>Most addresses tracked at once.</summary>
    public const int MaxTrackedAddresses = 100_000;

    // Below this many buckets sweeping is not worth a scan; above it, at most one sweep per interval.
    private const int SweepThreshold = 1024;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<UpgradeRateLimiter> _logger;
    private readonly double _perSecond;
    private readonly double _burst;
    private readonly bool _enabled;
    private readonly Lock _sweepGate = new();
    private long _lastSweep;
    private int _loggedFull;

    public UpgradeRateLimiter(IOptions<EdgeOptions> options, TimeProvider timeProvider, ILogger<UpgradeRateLimiter> logger)
    {
        var limit = options.Value.UpgradeRateLimit;
        _enabled = limit.Enabled;
        _perSecond = limit.PerAddressPerSecond;
        _burst = limit.Burst;
        _timeProvider = timeProvider;
        _logger = logger;
        _lastSweep = timeProvider.GetTimestamp();
    }

    public int TrackedAddresses => _buckets.Count;

    public RateLimitDecision TryAcquire(IPAddress? address)
    {
        if (!_enabled || address is null)
        {
            return RateLimitDecision.Allow;
        }

        var now = _timeProvider.GetTimestamp();
        var key = KeyOf(address);
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            if (_buckets.Count >= SweepThreshold)
            {
                Sweep(now, force: _buckets.Count >= MaxTrackedAddresses);
            }

            if (_buckets.Count >= MaxTrackedAddresses)
            {
                if (Interlocked.Exchange(ref _loggedFull, 1) == 0)
                {
                    EdgeLog.UpgradeRateLimitTableFull(_logger, _buckets.Count);
                }

                return RateLimitDecision.Allow;
            }

            bucket = _buckets.GetOrAdd(key, static (_, state) => new Bucket(state.Burst, state.Now), (Burst: _burst, Now: now));
        }

        return bucket.TryTake(now, _perSecond, _burst, _timeProvider);
    }

    /// <summary>IPv4 as is; IPv6 masked to its /64.</summary>
    internal static IPAddress KeyOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    private void Sweep(long now, bool force)
    {
        lock (_sweepGate)
        {
            if (!force && _timeProvider.GetElapsedTime(_lastSweep, now) < SweepInterval)
            {
                return;
            }

            _lastSweep = now;
            foreach (var (key, bucket) in _buckets)
            {
                if (bucket.IsFullAt(now, _perSecond, _burst, _timeProvider))
                {
                    _buckets.TryRemove(key, out _);
                }
            }

            if (_buckets.Count < MaxTrackedAddresses)
            {
                Volatile.Write(ref _loggedFull, 0);
            }
        }
    }

    private sealed class Bucket(double tokens, long updated)
    {
        private readonly Lock _gate = new();
        private double _tokens = tokens;
        private long _updated = updated;
        private bool _refusing;

        public RateLimitDecision TryTake(long now, double perSecond, double burst, TimeProvider time)
        {
            lock (_gate)
            {
                Refill(now, perSecond, burst, time);
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    _refusing = false;
                    return RateLimitDecision.Allow;
                }

                var first = !_refusing;
                _refusing = true;
                return new RateLimitDecision(false, TimeSpan.FromSeconds((1 - _tokens) / perSecond), first);
            }
        }

        public bool IsFullAt(long now, double perSecond, double burst, TimeProvider time)
        {
            lock (_gate)
            {
                Refill(now, perSecond, burst, time);
                return _tokens >= burst;
            }
        }

        private void Refill(long now, double perSecond, double burst, TimeProvider time)
        {
            // A racing caller may have stamped a later time already; never move the bucket backwards.
            if (now <= _updated)
            {
                return;
            }

            _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_updated, now).TotalSeconds * perSecond));
            _updated = now;
        }
    }
}
