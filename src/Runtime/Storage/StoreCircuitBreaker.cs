using System.Net.Sockets;
using Npgsql;

namespace Switchboard.Runtime.Storage;

/// <summary>
/// Fails grain-storage calls fast while PostgreSQL cannot be reached, so a silo's grains do not each try a connection
/// every second.
/// </summary>
/// <remarks>
/// Every connection grain writes a checkpoint about once a second. With the database down, each of those writes would
/// try a new connection (and with PostgreSQL starting up or shutting down, each attempt costs the server a process).
/// A thousand calls per silo turn into a thousand connection attempts a second, hitting a server that is trying to
/// recover. So after <see cref="FailuresToOpen"/> consecutive connection-level failures the circuit opens: calls fail
/// at once with <see cref="StoreUnavailableException"/> for <see cref="FirstOpenPeriod"/>. Then one call is let through
/// as a probe. Success closes the circuit. Failure reopens it for twice as long, up to <see cref="MaxOpenPeriod"/>,
/// which is short on purpose: it is also the longest time new calls are refused after the database is back. Only
/// failures to reach the server count. A refused statement (conflict, constraint) proves the server answers and
/// closes the circuit.
/// </remarks>
public sealed class StoreCircuitBreaker(TimeProvider timeProvider)
{
    /// <summary>Consecutive connection failures that open the circuit.</summary>
    public const int FailuresToOpen = 3;

    /// <summary>How long the circuit first stays open.</summary>
    public static readonly TimeSpan FirstOpenPeriod = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest it stays open between probes.</summary>
    public static readonly TimeSpan MaxOpenPeriod = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private int _consecutiveFailures;
    private TimeSpan _openPeriod = FirstOpenPeriod;
    private long _openedAt;
    private bool _open;
    private bool _probing;

    /// <summary>True while calls fail fast (a probe may be in flight).</summary>
    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                return _open;
            }
        }
    }

    /// <summary>Admits a call, or throws <see cref="StoreUnavailableException"/> while the circuit is open. An admitted
    /// call must report its outcome with <see cref="OnSuccess"/> or <see cref="OnFailure"/>.</summary>
    public void Enter()
    {
        lock (_lock)
        {
            if (!_open)
            {
                return;
            }

            var waited = timeProvider.GetElapsedTime(_openedAt);
            if (!_probing && waited >= _openPeriod)
            {
                _probing = true;
                return;
            }

            var retryIn = _openPeriod - waited;
            throw new StoreUnavailableException(
                $"Grain storage is unavailable: {_consecutiveFailures} consecutive connection failures; "
                + (_probing ? "a probe is in flight." : $"next attempt in {Math.Max(0, retryIn.TotalMilliseconds):0} ms."));
        }
    }

    /// <summary>The server answered: closes the circuit. True when this closed an open circuit.</summary>
    public bool OnSuccess()
    {
        lock (_lock)
        {
            var wasOpen = _open;
            _consecutiveFailures = 0;
            _open = false;
            _probing = false;
            _openPeriod = FirstOpenPeriod;
            return wasOpen;
        }
    }

    /// <summary>An admitted call was cancelled before the server answered: no verdict, but a probe slot is freed.</summary>
    public void OnCancelled()
    {
        lock (_lock)
        {
            _probing = false;
        }
    }

    /// <summary>Reports a failed call; only a failure to reach the server counts towards opening. True when this
    /// opened the circuit.</summary>
    public bool OnFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (!IsConnectionFailure(exception))
        {
            OnSuccess();
            return false;
        }

        lock (_lock)
        {
            _consecutiveFailures++;
            if (_probing)
            {
                // The probe failed: stay open, longer.
                _probing = false;
                _openPeriod = TimeSpan.FromTicks(Math.Min(_openPeriod.Ticks * 2, MaxOpenPeriod.Ticks));
                _openedAt = timeProvider.GetTimestamp();
            }
            else if (!_open && _consecutiveFailures >= FailuresToOpen)
            {
                _open = true;
                _openedAt = timeProvider.GetTimestamp();
                return true;
            }

            return false;
        }
    }

    /// <summary>True for a failure to reach or keep a connection to the server, as opposed to a statement the server
    /// answered with an error.</summary>
    public static bool IsConnectionFailure(Exception exception) => exception switch
    {
        // Server-side errors: the server is there. 57P01-57P03 (shutting down, starting up) and 08xxx (connection) are
        // the server going away or not accepting work yet.
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException => true,
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };
}
