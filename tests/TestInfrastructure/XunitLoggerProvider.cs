using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Switchboard.TestInfrastructure;

/// <summary>Writes log lines to the current test's output, so a failing test shows what the runtime did.</summary>
public sealed class XunitLoggerProvider(ITestOutputHelper output, LogLevel minimumLevel = LogLevel.Debug) : ILoggerProvider
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new XunitLogger(output, categoryName, minimumLevel);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
