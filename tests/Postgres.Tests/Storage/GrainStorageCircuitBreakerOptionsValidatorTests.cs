using Switchboard.Postgres.Storage;

namespace Switchboard.Postgres.Tests.Storage;

public sealed class GrainStorageCircuitBreakerOptionsValidatorTests
{
    private readonly GrainStorageCircuitBreakerOptionsValidator _validator = new();

    [Theory]
    [InlineData(1, "Postgres:StorageCircuitBreaker:FailureThreshold must be in 2..1000; got 1.")]
    [InlineData(0, "Postgres:StorageCircuitBreaker:FailureThreshold must be in 2..1000; got 0.")]
    [InlineData(1001, "Postgres:StorageCircuitBreaker:FailureThreshold must be in 2..1000; got 1001.")]
    public void Validate_FailureThresholdOutOfRange_FailsNamingKeyRuleAndValue(int threshold, string expected)
    {
        var result = _validator.Validate("connections", new GrainStorageCircuitBreakerOptions { FailureThreshold = threshold });

        Assert.True(result.Failed);
        Assert.Equal([expected], result.Failures);
    }

    [Fact]
    public void Validate_DurationsBelowPollysMinimumOrAboveTheCap_FailEach()
    {
        var result = _validator.Validate("connections", new GrainStorageCircuitBreakerOptions
        {
            SamplingDuration = TimeSpan.FromMilliseconds(499),
            BreakDuration = TimeSpan.Zero,
            MaxBreakDuration = TimeSpan.FromMinutes(11),
        });

        Assert.True(result.Failed);
        Assert.Equal(
        [
            "Postgres:StorageCircuitBreaker:SamplingDuration must be in 00:00:00.5000000..00:10:00; got 00:00:00.4990000.",
            "Postgres:StorageCircuitBreaker:BreakDuration must be in 00:00:00.5000000..00:10:00; got 00:00:00.",
            "Postgres:StorageCircuitBreaker:MaxBreakDuration must be in 00:00:00.5000000..00:10:00; got 00:11:00.",
        ], result.Failures);
    }

    [Fact]
    public void Validate_MaxBreakShorterThanBreak_Fails()
    {
        var result = _validator.Validate("connections", new GrainStorageCircuitBreakerOptions
        {
            BreakDuration = TimeSpan.FromSeconds(2),
            MaxBreakDuration = TimeSpan.FromSeconds(1),
        });

        Assert.Equal(
            ["Postgres:StorageCircuitBreaker:MaxBreakDuration must not be shorter than Postgres:StorageCircuitBreaker:BreakDuration (00:00:02); got 00:00:01."],
            result.Failures);
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = new GrainStorageCircuitBreakerOptions();

        Assert.True(_validator.Validate("connections", options).Succeeded);
        Assert.Equal(3, options.FailureThreshold);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.BreakDuration);
        Assert.Equal(TimeSpan.FromSeconds(2), options.MaxBreakDuration);
    }
}
