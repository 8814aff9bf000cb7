using Switchboard.Grains.Health;

namespace Switchboard.Grains.Tests.Health;

public class HealthOptionsValidatorTests
{
    [Fact]
    public void Validate_ExpiryNotAfterSilenceLimit_FailsNamingBothKeys()
    {
        var options = new HealthOptions { ReporterSilenceLimit = TimeSpan.FromSeconds(10), ReporterExpiry = TimeSpan.FromSeconds(10) };

        var result = new HealthOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal("Health:ReporterExpiry must be greater than Health:ReporterSilenceLimit (00:00:10), but was 00:00:10.", Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_BadValues_EachReported()
    {
        var options = new HealthOptions { LatencyThresholdMs = 0, MaxLatencySamples = 0, HistoryCapacity = -1, LatencyWindow = TimeSpan.Zero, HistoryInterval = TimeSpan.FromSeconds(-1) };

        var result = new HealthOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Health:LatencyThresholdMs must be a finite number > 0, but was 0.", result.Failures!);
        Assert.Contains("Health:MaxLatencySamples must be >= 1, but was 0.", result.Failures!);
        Assert.Contains("Health:HistoryCapacity must be >= 1, but was -1.", result.Failures!);
        Assert.Contains("Health:LatencyWindow must be > 0, but was 00:00:00.", result.Failures!);
        Assert.Contains("Health:HistoryInterval must be > 0, but was -00:00:01.", result.Failures!);
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = new HealthOptions();

        Assert.True(new HealthOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(200, options.LatencyThresholdMs);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ReporterSilenceLimit);
        Assert.Equal(TimeSpan.FromSeconds(60), options.LatencyWindow);
        Assert.Equal(100, options.HistoryCapacity);
    }
}
