using Switchboard.Gateway.Hosting;

namespace Switchboard.Silo.Hosting;

/// <summary>
/// Logging of both silo hosts, set up from their final configuration: the caller's <c>configure</c> callback (a test's
/// settings, extra providers) runs first, then Serilog is built from the configuration as it stands, so a key the
/// callback adds (<c>Logging:MinimumLevel</c>) reaches logging like any other. Serilog replaces the framework's default
/// providers (console, debug, event source) as it always has; providers the callback added stay beside it.
/// </summary>
internal static class HostLogging
{
    /// <summary>Runs <paramref name="configure"/>, then replaces the default log providers with Serilog read from the
    /// resulting configuration, keeping the providers <paramref name="configure"/> added.</summary>
    public static void ConfigureAfter(WebApplicationBuilder builder, Action<WebApplicationBuilder>? configure)
    {
        var defaults = builder.Services.Where(IsLoggerProvider).ToList();
        configure?.Invoke(builder);
        var added = builder.Services.Where(d => IsLoggerProvider(d) && !defaults.Contains(d)).ToList();

        // Serilog's set-up clears every provider, the caller's too: put those back after it.
        builder.Logging.AddSwitchboardJsonLogging(builder.Configuration);
        foreach (var provider in added)
        {
            builder.Services.Add(provider);
        }
    }

    private static bool IsLoggerProvider(ServiceDescriptor descriptor) => descriptor.ServiceType == typeof(ILoggerProvider);
}
