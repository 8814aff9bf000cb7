using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace Switchboard.Gateway.Hosting;

/// <summary>Serilog wiring shared by the silo and gateway hosts: compact JSON, one event per line, to stdout.</summary>
public static class LoggingExtensions
{
    /// <summary>Replaces the host's log providers with Serilog writing <see cref="SwitchboardJsonFormatter"/> lines to stdout
    /// through an asynchronous sink (a slow terminal never blocks a media turn).</summary>
    public static ILoggingBuilder AddSwitchboardJsonLogging(this ILoggingBuilder logging, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(configuration);
        var minimum = Enum.TryParse<LogEventLevel>(configuration["Logging:MinimumLevel"], ignoreCase: true, out var level)
            ? level
            : LogEventLevel.Information;
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .Enrich.FromLogContext()
            .WriteTo.Async(sink => sink.Console(new SwitchboardJsonFormatter()))
            .CreateLogger();
        logging.ClearProviders();
        logging.AddSerilog(logger, dispose: true);
        return logging;
    }
}
