namespace Switchboard.Grains.Connection;

/// <summary>
/// A token bucket on an injected clock: starts full at <c>capacity</c> tokens, refills continuously at
/// <c>refillPerSecond</c>, never above capacity. Each accepted message takes one token. Not thread-safe (grain-owned).
/// </summary>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly double _capacity;
    private readonly double _refillPerSecond;
    private long _lastRefill;
    private double _tokens;

    public TokenBucket(TimeProvider time, double refillPerSecond, double capacity)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(refillPerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        _refillPerSecond = refillPerSecond;
        _capacity = capacity;
        _tokens = capacity;
        _lastRefill = time.GetTimestamp();
    }

    /// <summary>Tokens available now.</summary>
    public double Available
    {
        get
        {
            Refill();
            return _tokens;
        }
    }

    /// <summary>Takes one token if available.</summary>
    public bool TryTake()
    {
        Refill();
        if (_tokens >= 1)
        {
            _tokens -= 1;
            return true;
        }

        return false;
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastRefill, now);
        _lastRefill = now;
        if (elapsed > TimeSpan.Zero)
        {
            _tokens = Math.Min(_capacity, _tokens + (elapsed.TotalSeconds * _refillPerSecond));
        }
    }
}
