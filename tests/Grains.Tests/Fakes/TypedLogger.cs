using Microsoft.Extensions.Logging;

namespace Switchboard.Grains.Tests.Fakes;

/// <summary>Adapts a plain logger (e.g. <see cref="ListLogger"/>) to the <see cref="ILogger{T}"/> a constructor asks for.</summary>
internal sealed class TypedLogger<T>(ILogger inner) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => inner.Log(logLevel, eventId, state, exception, formatter);
}
