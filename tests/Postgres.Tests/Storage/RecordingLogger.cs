using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Switchboard.Postgres.Tests.Storage;

/// <summary>Keeps every log line with its exception, so tests can assert on the cause a component logged.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(EventId EventId, LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((eventId, logLevel, formatter(state, exception), exception));

    public IReadOnlyList<string> Names() => [.. Entries.Select(e => e.EventId.Name ?? e.EventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
