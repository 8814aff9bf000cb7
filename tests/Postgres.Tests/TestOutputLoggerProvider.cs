using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Switchboard.Postgres.Tests;

/// <summary>Sends warnings and errors of the hosts under test to the test's output, so a failure shows why.</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper output, string host) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, host, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string host, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning
            || (logLevel >= LogLevel.Information && category.StartsWith("Switchboard.", StringComparison.Ordinal));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            try
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {host} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished; a late line from a stopping host has nowhere to go.
            }
        }
    }
}
