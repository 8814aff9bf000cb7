using Microsoft.Extensions.Options;

namespace Switchboard.Grains.Health;

/// <summary>Validates <see cref="HealthOptions"/>; each message names the key, the rule and the value.</summary>
internal sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string s = HealthOptions.SectionName;
        if (!(options.LatencyThresholdMs > 0) || double.IsInfinity(options.LatencyThresholdMs))
        {
            failures.Add($"{s}:LatencyThresholdMs must be a finite number > 0, but was {options.LatencyThresholdMs}.");
        }

        Positive(failures, $"{s}:ReporterSilenceLimit", options.ReporterSilenceLimit);
        Positive(failures, $"{s}:LatencyWindow", options.LatencyWindow);
        Positive(failures, $"{s}:HistoryInterval", options.HistoryInterval);
        Positive(failures, $"{s}:ReportPeriod", options.ReportPeriod);
        if (options.ReportPeriod >= options.ReporterSilenceLimit)
        {
            failures.Add($"{s}:ReportPeriod must be less than {s}:ReporterSilenceLimit ({options.ReporterSilenceLimit}), but was {options.ReportPeriod}.");
        }

        if (options.ReporterExpiry <= options.ReporterSilenceLimit)
        {
            failures.Add($"{s}:ReporterExpiry must be greater than {s}:ReporterSilenceLimit ({options.ReporterSilenceLimit}), but was {options.ReporterExpiry}.");
        }

        if (options.MaxLatencySamples < 1)
        {
            failures.Add($"{s}:MaxLatencySamples must be >= 1, but was {options.MaxLatencySamples}.");
        }

        if (options.HistoryCapacity < 1)
        {
            failures.Add($"{s}:HistoryCapacity must be >= 1, but was {options.HistoryCapacity}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{key} must be > 0, but was {value}.");
        }
    }
}
