using Switchboard.Grains.Connection;

namespace Switchboard.Grains.Tests.Connection;

public class ConnectionGrainOptionsValidatorTests
{
    [Fact]
    public void Validate_NonPositiveRate_FailsNamingKeyRuleAndValue()
    {
        var result = new ConnectionGrainOptionsValidator().Validate(null, new ConnectionGrainOptions { RateLimitPerSecond = -3 });

        Assert.True(result.Failed);
        Assert.Contains("ConnectionGrain:RateLimitPerSecond must be a finite number > 0, but was -3.", result.Failures!);
    }

    [Fact]
    public void Validate_CheckPeriodLongerThanTimeout_Fails()
    {
        var options = new ConnectionGrainOptions { HeartbeatTimeout = TimeSpan.FromSeconds(2), HeartbeatCheckPeriod = TimeSpan.FromSeconds(3) };

        var result = new ConnectionGrainOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("ConnectionGrain:HeartbeatCheckPeriod must not exceed", StringComparison.Ordinal) && f.Contains("00:00:03", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NonPositiveCheckpointPeriod_FailsNamingKeyRuleAndValue()
    {
        var result = new ConnectionGrainOptionsValidator().Validate(null, new ConnectionGrainOptions { CheckpointPeriod = TimeSpan.Zero });

        Assert.True(result.Failed);
        Assert.Contains("ConnectionGrain:CheckpointPeriod must be > 0, but was 00:00:00.", result.Failures!);
    }

    [Fact]
    public void Validate_SeveralBadValues_ReportsEach()
    {
        var options = new ConnectionGrainOptions
        {
            RateLimitBurst = 0,
            MaxBufferedAudio = TimeSpan.Zero,
            MaxPendingMarks = 0,
            RetentionPeriod = TimeSpan.FromSeconds(-1),
            SustainedRateLimit = TimeSpan.Zero,
            LatencySpikeThresholdMs = double.NaN,
        };

        var result = new ConnectionGrainOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(6, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.StartsWith("ConnectionGrain:RateLimitBurst", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("ConnectionGrain:MaxBufferedAudio", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("ConnectionGrain:MaxPendingMarks", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("ConnectionGrain:RetentionPeriod", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("ConnectionGrain:SustainedRateLimit", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("ConnectionGrain:LatencySpikeThresholdMs", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = new ConnectionGrainOptions();

        Assert.True(new ConnectionGrainOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(100, options.RateLimitPerSecond);
        Assert.Equal(200, options.RateLimitBurst);
        Assert.Equal(TimeSpan.FromSeconds(5), options.SustainedRateLimit);
        Assert.Equal(TimeSpan.FromSeconds(10), options.HeartbeatTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.HeartbeatCheckPeriod);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MaxBufferedAudio);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RetentionPeriod);
        Assert.Equal(TimeSpan.FromSeconds(1), options.CheckpointPeriod);
    }
}
