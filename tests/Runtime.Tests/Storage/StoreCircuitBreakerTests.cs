using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Switchboard.Runtime.Storage;

namespace Switchboard.Runtime.Tests.Storage;

public sealed class StoreCircuitBreakerTests
{
    private static readonly GrainId Grain = new("connection", "MZ-circuit");

    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(PostgresErrorCodes.UniqueViolation, false)]
    [InlineData(PostgresErrorCodes.UndefinedTable, false)]
    [InlineData(PostgresErrorCodes.AdminShutdown, true)]
    [InlineData(PostgresErrorCodes.CannotConnectNow, true)]
    [InlineData(PostgresErrorCodes.ConnectionFailure, true)]
    public void IsConnectionFailure_ServerErrors_OnlyShutdownAndConnectionClasses(string sqlState, bool expected)
        => Assert.Equal(expected, StoreCircuitBreaker.IsConnectionFailure(new PostgresException("m", "FATAL", "FATAL", sqlState)));

    [Fact]
    public void IsConnectionFailure_ClientErrors_NetworkOnly()
    {
        Assert.True(StoreCircuitBreaker.IsConnectionFailure(new NpgsqlException("Failed to connect")));
        Assert.True(StoreCircuitBreaker.IsConnectionFailure(new SocketException((int)SocketError.ConnectionRefused)));
        Assert.True(StoreCircuitBreaker.IsConnectionFailure(new TimeoutException()));
        Assert.False(StoreCircuitBreaker.IsConnectionFailure(new InvalidOperationException()));
    }

    [Fact]
    public void OnFailure_StatementErrors_NeverOpen()
    {
        var circuit = new StoreCircuitBreaker(_time);
        for (var i = 0; i < 10; i++)
        {
            circuit.Enter();
            circuit.OnFailure(new PostgresException("duplicate", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation));
        }

        Assert.False(circuit.IsOpen);
    }

    [Fact]
    public void OnFailure_ConnectionFailuresBelowTheCount_StayClosedAndASuccessResets()
    {
        var circuit = new StoreCircuitBreaker(_time);
        Fail(circuit, StoreCircuitBreaker.FailuresToOpen - 1);
        circuit.OnSuccess();
        Fail(circuit, StoreCircuitBreaker.FailuresToOpen - 1);

        Assert.False(circuit.IsOpen);
        circuit.Enter();
    }

    [Fact]
    public void Enter_Open_FailsFastUntilTheOpenPeriodThenAdmitsOneProbe()
    {
        var circuit = new StoreCircuitBreaker(_time);
        Fail(circuit, StoreCircuitBreaker.FailuresToOpen);

        Assert.True(circuit.IsOpen);
        Assert.Contains("next attempt in 500 ms", Assert.Throws<StoreUnavailableException>(circuit.Enter).Message, StringComparison.Ordinal);
        _time.Advance(StoreCircuitBreaker.FirstOpenPeriod);
        circuit.Enter();
        Assert.Contains("a probe is in flight", Assert.Throws<StoreUnavailableException>(circuit.Enter).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_Succeeds_CircuitClosesAndAdmitsEveryone()
    {
        var circuit = new StoreCircuitBreaker(_time);
        Fail(circuit, StoreCircuitBreaker.FailuresToOpen);
        _time.Advance(StoreCircuitBreaker.FirstOpenPeriod);
        circuit.Enter();

        Assert.True(circuit.OnSuccess());

        Assert.False(circuit.IsOpen);
        circuit.Enter();
        circuit.Enter();
    }

    [Fact]
    public void Probe_Fails_OpenPeriodDoublesUpToTheMaximum()
    {
        var circuit = new StoreCircuitBreaker(_time);
        Fail(circuit, StoreCircuitBreaker.FailuresToOpen);
        var period = StoreCircuitBreaker.FirstOpenPeriod;
        _time.Advance(period);
        for (var probe = 0; probe < 5; probe++)
        {
            circuit.Enter();
            circuit.OnFailure(new NpgsqlException("Failed to connect"));
            period = TimeSpan.FromTicks(Math.Min(period.Ticks * 2, StoreCircuitBreaker.MaxOpenPeriod.Ticks));

            // Still refused a millisecond before the doubled period, admitted (next iteration) at it.
            _time.Advance(period - TimeSpan.FromMilliseconds(1));
            Assert.Throws<StoreUnavailableException>(circuit.Enter);
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(StoreCircuitBreaker.MaxOpenPeriod, period);
    }

    [Fact]
    public void Probe_Cancelled_TheNextCallerMayProbe()
    {
        var circuit = new StoreCircuitBreaker(_time);
        Fail(circuit, StoreCircuitBreaker.FailuresToOpen);
        _time.Advance(StoreCircuitBreaker.FirstOpenPeriod);
        circuit.Enter();

        circuit.OnCancelled();

        circuit.Enter();
    }

    [Fact]
    public async Task PostgresGrainStorage_DatabaseUnreachable_FailsFastAfterThreeConnectionFailures()
    {
        await using var storage = new PostgresGrainStorage($"Host=127.0.0.1;Port={UnusedPort()};Timeout=2;Pooling=true", "circuit", NullLogger<PostgresGrainStorage>.Instance, _time);

        for (var i = 0; i < StoreCircuitBreaker.FailuresToOpen; i++)
        {
            var failure = await Assert.ThrowsAnyAsync<NpgsqlException>(() => storage.WriteAsync(Grain, "session", new byte[] { 1 }, null, default));
            Assert.IsNotType<PostgresException>(failure);
        }

        Assert.True(storage.IsCircuitOpen);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => storage.WriteAsync(Grain, "session", new byte[] { 1 }, null, default));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => storage.ReadAsync(Grain, "session", default));
    }

    private static void Fail(StoreCircuitBreaker circuit, int times)
    {
        for (var i = 0; i < times; i++)
        {
            circuit.Enter();
            circuit.OnFailure(new SocketException((int)SocketError.ConnectionRefused));
        }
    }

    private static int UnusedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
