namespace Switchboard.Bench.LoadGen.Tests;

public sealed class ServerFactoryTests
{
    private const string Ready = """
        {"status":"healthy","nodes":[{"nodeId":"g","role":"gateway","silent":false},{"nodeId":"s","role":"silo","silent":false}],
         "ready":true,"membership":{"version":3,"storeReachable":true,"silos":[{"address":"127.0.0.1:1","status":"Active"}]}}
        """;

    [Fact]
    public void HasReportingActiveSilo_ActiveAndReporting_True() => Assert.True(ServerFactory.HasReportingActiveSilo(Ready));

    [Theory]
    [InlineData("""{"status":"unhealthy","nodes":[],"ready":false,"membership":{"silos":[]}}""")]
    [InlineData("""{"nodes":[{"role":"silo","silent":false}],"membership":{"silos":[{"status":"Joining"}]}}""")]
    [InlineData("""{"nodes":[{"role":"silo","silent":true}],"membership":{"silos":[{"status":"Active"}]}}""")]
    [InlineData("""{"nodes":[{"role":"gateway","silent":false}],"membership":{"silos":[{"status":"Active"}]}}""")]
    [InlineData("""{"nodes":[{"role":"silo","silent":false}]}""")]
    public void HasReportingActiveSilo_NoActiveOrNoReport_False(string body) => Assert.False(ServerFactory.HasReportingActiveSilo(body));
}
