using Npgsql;
using Switchboard.Runtime.Membership;
using Switchboard.TestInfrastructure;

namespace Switchboard.Runtime.Tests.Membership;

/// <summary>The PostgreSQL table while its server is stopped and started again (a dedicated server).</summary>
public sealed class PostgresMembershipOutageTests
{
    [Fact]
    public async Task Table_ServerStopped_CallsThrowThenWorkAfterRestart()
    {
        await using var server = await PostgresServer.StartDedicatedAsync();
        var connectionString = await server.CreateDatabaseAsync("membership");
        await using var table = new PostgresMembershipTable(connectionString, "outage");
        await table.InitializeAsync(default);
        var now = DateTimeOffset.UtcNow;
        var silo = new SiloAddress("10.0.0.1", 11001, 1);
        Assert.True(await table.InsertRowAsync(new MembershipEntry { Silo = silo, Status = SiloStatus.Active, SiloName = "s", HostName = "h", StartTime = now, IAmAliveTime = now }, 0, default));

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => table.ReadAllAsync(default));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => table.UpdateIAmAliveAsync(silo, now, default));

        await server.StartAsync();
        var snapshot = await TestWait.CompletesAsync(ReadWhenBackAsync(table), "the first read after the restart");
        Assert.Equal(1, snapshot.Version);
        Assert.Equal(SiloStatus.Active, snapshot.Find(silo)!.Status);
    }

    private static async Task<MembershipTableSnapshot> ReadWhenBackAsync(PostgresMembershipTable table)
    {
        // Pooled connections broken by the restart fail once each; the pool then opens fresh ones.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await table.ReadAllAsync(default);
            }
            catch (NpgsqlException) when (attempt < 5)
            {
            }
        }
    }
}
