using System.Text;
using System.Text.Json;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Switchboard.Postgres.Tests;

/// <summary>The real Orleans 10.4.2 ADO.NET providers on the Switchboard schema: membership, gateways and grain state.</summary>
public sealed class PostgresClusterTests(TwoSiloClusterFixture cluster) : IClassFixture<TwoSiloClusterFixture>
{
    [Fact]
    public async Task Storage_RowChangedBehindTheGrain_WriteThrowsInconsistentStateExceptionThenRecovers()
    {
        var grain = cluster.Client.GetGrain<ICounterGrain>("conflict");
        await grain.Add(1, "first");
        // Another writer (a duplicate activation in a split brain, say) moves the stored version on.
        await TestDatabase.ExecuteAsync(cluster.ConnectionString,
            "UPDATE OrleansStorage SET Version = Version + 1 WHERE GrainIdExtensionString = @key AND ServiceId = @service",
            ("key", "conflict"), ("service", cluster.ClusterId));

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Add(1, "stale"));

        Assert.Contains("Version conflict (WriteState)", conflict.Message, StringComparison.Ordinal);
        // Orleans deactivates the activation on InconsistentStateException; the next one reads the current row.
        Assert.Equal(2, await grain.Add(1, "after reload"));
        Assert.Equal(["first", "after reload"], (await grain.Get()).Notes);
    }

    [Fact]
    public async Task Membership_TwoSilos_BothActiveInServiceAndTable()
    {
        foreach (var silo in new[] { cluster.First, cluster.Second })
        {
            await ClusterHost.WaitForMembershipAsync(silo, snapshot => snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) == 2,
                $"each silo of {cluster.ClusterId} to see two Active silos");
        }

        var rows = await TestDatabase.RowsAsync(cluster.ConnectionString,
            "SELECT SiloName, Status, ProxyPort, Address FROM OrleansMembershipTable WHERE DeploymentId = @cluster ORDER BY SiloName",
            ("cluster", cluster.ClusterId));
        Assert.Equal(["silo-1", "silo-2"], rows.Select(row => (string)row[0]!));
        Assert.All(rows, row =>
        {
            Assert.Equal((int)SiloStatus.Active, row[1]);
            Assert.True((int)row[2]! > 0, "Each silo exposes a gateway port.");
            Assert.Equal("127.0.0.1", row[3]);
        });
        // Every membership change bumped the version: at least one insert and one Active update per silo.
        Assert.True(await TestDatabase.ScalarAsync<int>(cluster.ConnectionString,
            "SELECT Version FROM OrleansMembershipVersionTable WHERE DeploymentId = @cluster", ("cluster", cluster.ClusterId)) >= 4);
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM switchboard_schema"));
    }

    [Fact]
    public async Task Storage_WriteThenDeactivate_NextActivationReadsItBack()
    {
        var grain = cluster.Client.GetGrain<ICounterGrain>("round-trip");
        await grain.Add(5, "five");
        await grain.Add(2, "two");
        await grain.Deactivate();

        var reloaded = await grain.Get();

        Assert.Equal(7, reloaded.Total);
        Assert.Equal(["five", "two"], reloaded.Notes);
        Assert.True(reloaded.RecordExists);
        Assert.Equal("2", reloaded.ETag);
    }

    [Fact]
    public async Task Storage_StoredPayload_IsJsonWithoutTypeNames()
    {
        await cluster.Client.GetGrain<ICounterGrain>("json").Add(3, "stored as json");

        var payload = await TestDatabase.ScalarAsync<byte[]>(cluster.ConnectionString,
            "SELECT PayloadBinary FROM OrleansStorage WHERE GrainIdExtensionString = @key AND ServiceId = @service",
            ("key", "json"), ("service", cluster.ClusterId));

        Assert.NotNull(payload);
        var text = Encoding.UTF8.GetString(payload);
        using var json = JsonDocument.Parse(text);
        Assert.Equal(3, json.RootElement.GetProperty("Total").GetInt32());
        Assert.Equal("stored as json", json.RootElement.GetProperty("Notes")[0].GetString());
        Assert.DoesNotContain("$type", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Switchboard.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CounterState", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_Clear_KeepsRowWithoutPayloadAndNextActivationStartsEmpty()
    {
        var grain = cluster.Client.GetGrain<ICounterGrain>("clear");
        await grain.Add(4, "to be cleared");

        await grain.Clear();
        await grain.Deactivate();
        var reloaded = await grain.Get();

        Assert.Equal(0, reloaded.Total);
        Assert.Empty(reloaded.Notes);
        Assert.False(reloaded.RecordExists);
        var row = Assert.Single(await TestDatabase.RowsAsync(cluster.ConnectionString,
            "SELECT PayloadBinary, Version FROM OrleansStorage WHERE GrainIdExtensionString = @key AND ServiceId = @service",
            ("key", "clear"), ("service", cluster.ClusterId)));
        Assert.Null(row[0]);
        Assert.Equal(2, row[1]);
        // Writing after a clear continues from the cleared row's version.
        Assert.Equal(1, await grain.Add(1, "after clear"));
    }
}
