using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Switchboard.Silo.Tests.Edge;

/// <summary>Keeps every log event (event name, formatted message) of a host, beside its normal JSON output.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<(string? EventName, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public bool Any(string eventName, string? containing = null) =>
        Entries.Any(e => e.EventName == eventName && (containing is null || e.Message.Contains(containing, StringComparison.Ordinal)));

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((eventId.Name, formatter(state, exception)));
    }
}
