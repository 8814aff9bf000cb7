using Switchboard.Runtime.Configuration;

namespace Switchboard.Runtime.Tests.Networking;

public sealed class NetworkingOptionsValidatorTests
{
    [Theory]
    [InlineData(nameof(NetworkingOptions.MaxFrameBytes), "Networking:MaxFrameBytes must be between 1024 and 67108864; was 100.")]
    [InlineData(nameof(NetworkingOptions.ConnectTimeout), "Networking:ConnectTimeout must be positive; was 00:00:00.")]
    [InlineData(nameof(NetworkingOptions.SendQueueCapacity), "Networking:SendQueueCapacity must be at least 1; was 0.")]
    [InlineData(nameof(NetworkingOptions.ReconnectBackoff), "Networking:ReconnectBackoff must not be negative; was -00:00:01.")]
    public void Validate_InvalidValue_FailsNamingKeyRuleAndValue(string key, string expected)
    {
        var options = new NetworkingOptions();
        switch (key)
        {
            case nameof(NetworkingOptions.MaxFrameBytes): options.MaxFrameBytes = 100; break;
            case nameof(NetworkingOptions.ConnectTimeout): options.ConnectTimeout = TimeSpan.Zero; break;
            case nameof(NetworkingOptions.SendQueueCapacity): options.SendQueueCapacity = 0; break;
            default: options.ReconnectBackoff = TimeSpan.FromSeconds(-1); break;
        }

        var result = new NetworkingOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(expected, Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = new NetworkingOptions();

        Assert.True(new NetworkingOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(1024 * 1024, options.MaxFrameBytes);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ConnectTimeout);
        Assert.Equal(10_000, options.SendQueueCapacity);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ReconnectBackoff);
    }
}
