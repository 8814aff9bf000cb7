using System.Net.Sockets;
using Npgsql;
using Orleans.Runtime;
using Orleans.Storage;
using Switchboard.Postgres.Storage;

namespace Switchboard.Postgres.Tests.Storage;

public sealed class PostgresFailuresTests
{
    [Theory]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    [InlineData(PostgresErrorCodes.UndefinedTable)]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    [InlineData(PostgresErrorCodes.QueryCanceled)]
    public void IsConnectionFailure_StatementTheServerRefused_False(string sqlState)
        => Assert.False(PostgresFailures.IsConnectionFailure(new PostgresException("m", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void IsConnectionFailure_EtagConflictOrOtherErrors_False()
    {
        Assert.False(PostgresFailures.IsConnectionFailure(new InconsistentStateException("conflict", "a", "b")));
        Assert.False(PostgresFailures.IsConnectionFailure(new InvalidOperationException("bug")));
        Assert.False(PostgresFailures.IsConnectionFailure(null));
        // A conflict is decided as a conflict even when something wrapped it.
        Assert.False(PostgresFailures.IsConnectionFailure(new OrleansException("wrapped", new InconsistentStateException("conflict", "a", "b"))));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.AdminShutdown)]
    [InlineData(PostgresErrorCodes.CrashShutdown)]
    [InlineData(PostgresErrorCodes.CannotConnectNow)]
    [InlineData(PostgresErrorCodes.ConnectionFailure)]
    [InlineData(PostgresErrorCodes.TooManyConnections)]
    public void IsConnectionFailure_ServerGoingAwayOrFull_True(string sqlState)
        => Assert.True(PostgresFailures.IsConnectionFailure(new PostgresException("m", "FATAL", "FATAL", sqlState)));

    [Fact]
    public void IsConnectionFailure_ClientSideNetworkErrors_TrueAlsoWhenWrapped()
    {
        Assert.True(PostgresFailures.IsConnectionFailure(new NpgsqlException("Failed to connect")));
        Assert.True(PostgresFailures.IsConnectionFailure(new SocketException((int)SocketError.ConnectionRefused)));
        Assert.True(PostgresFailures.IsConnectionFailure(new IOException("Unable to read data from the transport connection")));
        Assert.True(PostgresFailures.IsConnectionFailure(new TimeoutException()));
        Assert.True(PostgresFailures.IsConnectionFailure(new OrleansException("wrapped", new NpgsqlException("Exception while reading from stream"))));
    }
}
