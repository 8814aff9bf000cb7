using System.Net.Sockets;
using Npgsql;
using Orleans.Storage;

namespace Switchboard.Postgres.Storage;

/// <summary>
/// Tells a failure to reach PostgreSQL (which the circuit breaker counts) from an answer the server gave (which proves
/// it is there).
/// </summary>
internal static class PostgresFailures
{
    /// <summary>True when <paramref name="exception"/>, or an exception inside it, says the database could not be reached
    /// or kept: connecting, reading or writing failed, the client timed out, or the server is shutting down, starting up
    /// or out of connection slots. False for statements the server refused (conflicts, constraints, missing tables) and
    /// for ETag conflicts.</summary>
    public static bool IsConnectionFailure(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case InconsistentStateException:
                    return false;
                case PostgresException postgres:
                    // The server answered; only some of its answers mean it is not serving.
                    return IsUnavailableState(postgres.SqlState);
                case NpgsqlException:
                case SocketException:
                case IOException:
                case TimeoutException:
                    return true;
            }
        }

        return false;
    }

    // 08xxx: connection exceptions. 57P01-57P03: admin shutdown, crash shutdown, cannot connect now (starting up).
    // 53300: too many connections, which is what a reconnect storm ends in, so it counts as well.
    private static bool IsUnavailableState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("57P", StringComparison.Ordinal)
        || sqlState == PostgresErrorCodes.TooManyConnections;
}
