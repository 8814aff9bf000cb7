using Microsoft.Extensions.Logging;

namespace Switchboard.Grains.Tests.Fakes;

/// <summary>Collects log events (id, level, rendered message, structured state) for assertions.</summary>
internal sealed class ListLogger : ILogger
{
    public List<(EventId Id, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var pairs = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        Entries.Add((eventId, logLevel, formatter(state, exception), pairs));
    }

    public int Count(int eventId) => Entries.Count(e => e.Id.Id == eventId);
}
