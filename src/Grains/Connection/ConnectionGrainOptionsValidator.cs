using Microsoft.Extensions.Options;

namespace Switchboard.Grains.Connection;

/// <summary>Validates <see cref="ConnectionGrainOptions"/>; each message names the key, the rule and the value.</summary>
internal sealed class ConnectionGrainOptionsValidator : IValidateOptions<ConnectionGrainOptions>
{
    public ValidateOptionsResult Validate(string? name, ConnectionGrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string s = ConnectionGrainOptions.SectionName;

        Positive(failures, $"{s}:RateLimitPerSecond", options.RateLimitPerSecond);
        if (!(options.RateLimitBurst >= 1) || double.IsInfinity(options.RateLimitBurst))
        {
            failures.Add($"{s}:RateLimitBurst must be a finite number >= 1, but was {options.RateLimitBurst}.");
        }

        Positive(failures, $"{s}:SustainedRateLimit", options.SustainedRateLimit);
        Positive(failures, $"{s}:RateLimitEpisodeGap", options.RateLimitEpisodeGap);
        Positive(failures, $"{s}:HeartbeatTimeout", options.HeartbeatTimeout);
        Positive(failures, $"{s}:HeartbeatCheckPeriod", options.HeartbeatCheckPeriod);
        if (options.HeartbeatCheckPeriod > TimeSpan.Zero && options.HeartbeatCheckPeriod > options.HeartbeatTimeout)
        {
            failures.Add($"{s}:HeartbeatCheckPeriod must not exceed {s}:HeartbeatTimeout ({options.HeartbeatTimeout}), but was {options.HeartbeatCheckPeriod}.");
        }

        Positive(failures, $"{s}:MaxBufferedAudio", options.MaxBufferedAudio);
        if (options.MaxPendingMarks < 1)
        {
            failures.Add($"{s}:MaxPendingMarks must be >= 1, but was {options.MaxPendingMarks}.");
        }

        if (options.RetentionPeriod < TimeSpan.Zero)
        {
            failures.Add($"{s}:RetentionPeriod must be >= 0, but was {options.RetentionPeriod}.");
        }

        Positive(failures, $"{s}:CheckpointPeriod", options.CheckpointPeriod);
        Positive(failures, $"{s}:LatencySpikeThresholdMs", options.LatencySpikeThresholdMs);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            failures.Add($"{key} must be a finite number > 0, but was {value}.");
        }
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{key} must be > 0, but was {value}.");
        }
    }
}
