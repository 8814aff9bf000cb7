using Microsoft.Extensions.Options;

namespace Switchboard.Gateway.Edge;

/// <summary>
/// Counts the WebSocket connections this gateway holds against <see cref="EdgeOptions.MaxConnections"/>. A slot is taken
/// before the upgrade and given back when the request (the whole WebSocket session) ends; the compare-and-swap keeps the
/// count exact under concurrent upgrades, so the limit is never exceeded and never refuses below it.
/// </summary>
internal sealed class ConnectionLimiter(IOptions<EdgeOptions> options)
{
    private readonly int _max = options.Value.MaxConnections;
    private int _held;

    public int Held => Volatile.Read(ref _held);

    public int Max => _max;

    /// <summary>True when no further connection would be admitted (<c>/health</c> reports not ready).</summary>
    public bool AtCapacity => Held >= _max;

    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _held);
            if (current >= _max)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _held, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Release() => Interlocked.Decrement(ref _held);
}
