using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Switchboard.TestInfrastructure;

/// <summary>Logger behind <see cref="XunitLoggerProvider"/>.</summary>
internal sealed class XunitLogger(ITestOutputHelper output, string categoryName, LogLevel minimumLevel) : ILogger
{
    private readonly string _shortCategory = categoryName[(categoryName.LastIndexOf('.') + 1)..];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimumLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {_shortCategory}[{eventId.Id}] {formatter(state, exception)}";
        if (exception is not null)
        {
            line += Environment.NewLine + exception;
        }

        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; background work logging late is not a failure.
        }
    }
}
