using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Switchboard.Postgres.Tests;

/// <summary>Lets a test await a named log event of a host (an event, not a timer), bounded by a timeout.</summary>
internal sealed class EventRecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _events = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public async Task WaitForAsync(string eventName, TimeSpan timeout, string phase)
    {
        try
        {
            await Signal(eventName).Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {timeout} waiting for log event {eventName} ({phase}).");
        }
    }

    public void Dispose()
    {
    }

    private TaskCompletionSource Signal(string eventName) =>
        _events.GetOrAdd(eventName, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private sealed class Logger(EventRecordingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is { } name)
            {
                owner.Signal(name).TrySetResult();
            }
        }
    }
}
