using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Switchboard.Grains.Tests.Fakes;

/// <summary>A thread-safe logger provider for a real silo: keeps every event (category, id, level, message) so tests can
/// count a grain's log events.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, EventId Id, LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(string Category, EventId Id, LogLevel Level, string Message)> Entries => [.. _entries];

    /// <summary>Events with <paramref name="eventId"/> whose message mentions <paramref name="subject"/> (a stream sid).</summary>
    public int Count(int eventId, string subject)
        => _entries.Count(e => e.Id.Id == eventId && e.Message.Contains(subject, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => category.StartsWith("Switchboard", StringComparison.Ordinal);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._entries.Enqueue((category, eventId, logLevel, formatter(state, exception)));
            }
        }
    }
}
