namespace Switchboard.Bench.LoadGen.Tests;

public sealed class CommandLineArgumentsTests
{
    [Fact]
    public void Servers_Absent_AllThreeInInterleavingOrder()
    {
        var line = CommandLineArguments.Parse(["compare"]);

        Assert.Equal([ServerKind.Baseline, ServerKind.Embedded, ServerKind.Cluster], line.Servers());
        Assert.Null(line.Error);
    }

    [Fact]
    public void Servers_List_InGivenOrderWithoutDuplicates()
    {
        var line = CommandLineArguments.Parse(["compare", "--servers", "cluster, baseline,cluster"]);

        Assert.Equal([ServerKind.Cluster, ServerKind.Baseline], line.Servers());
        Assert.Null(line.Error);
    }

    [Fact]
    public void Servers_UnknownName_ErrorNamesIt()
    {
        var line = CommandLineArguments.Parse(["smoke", "--servers", "baseline,orleans"]);

        line.Servers();

        Assert.Contains("'orleans'", line.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("baseline", nameof(ServerKind.Baseline))]
    [InlineData("embedded", nameof(ServerKind.Embedded))]
    [InlineData("switchboard", nameof(ServerKind.Embedded))]
    [InlineData("cluster", nameof(ServerKind.Cluster))]
    public void Server_Name_ParsesToKind(string name, string expected)
    {
        var line = CommandLineArguments.Parse(["trial", "--server", name, "--calls", "3"]);

        Assert.Equal(expected, line.Server().ToString());
        Assert.Null(line.Error);
    }

    [Fact]
    public void Server_Unknown_ErrorListsTheNames()
    {
        var line = CommandLineArguments.Parse(["trial", "--server", "silo"]);

        line.Server();

        Assert.Contains("'baseline', 'embedded' or 'cluster'", line.Error, StringComparison.Ordinal);
    }
}
