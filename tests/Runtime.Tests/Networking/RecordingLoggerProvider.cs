using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Switchboard.Runtime.Tests.Networking;

/// <summary>Keeps every log entry so tests can assert that a refusal was logged, and why.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    public bool Contains(int eventId, string fragment)
        => _entries.Any(e => e.EventId == eventId && e.Message.Contains(fragment, StringComparison.Ordinal));

    public string Describe() => string.Join(" | ", _entries.Select(e => $"[{e.EventId}] {e.Message}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    internal sealed record LogEntry(int EventId, LogLevel Level, string Message);

    private sealed class Logger(RecordingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner._entries.Enqueue(new LogEntry(eventId.Id, logLevel, formatter(state, exception)));
    }
}
