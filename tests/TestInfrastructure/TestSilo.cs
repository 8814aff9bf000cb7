using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Runtime;
using Switchboard.Runtime.Hosting;
using Xunit.Abstractions;

namespace Switchboard.TestInfrastructure;

/// <summary>
/// One in-process silo on a real host (AddSwitchboardSilo + the test's grains) driven by a <see cref="FakeTimeProvider"/>.
/// Start with <see cref="StartAsync"/>; dispose to stop the host (which deactivates all grains).
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestSilo(IHost host, FakeTimeProvider time)
    {
        _host = host;
        Time = time;
    }

    /// <summary>Fake time of the silo; advance it to fire timers, collection and call timeouts.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The silo's services.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The silo's grain factory.</summary>
    public IGrainFactory GrainFactory => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Builds and starts a silo. <paramref name="configureServices"/> registers grains (AddGrain), options and test doubles.</summary>
    public static async Task<TestSilo> StartAsync(Action<IServiceCollection> configureServices, ITestOutputHelper? output = null,
        CancellationToken cancellationToken = default)
    {
        var host = Build(configureServices, output, out var time);
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new TestSilo(host, time);
    }

    /// <summary>Builds a silo host without starting it (for start-up failure tests).</summary>
    public static IHost Build(Action<IServiceCollection> configureServices, ITestOutputHelper? output, out FakeTimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(configureServices);
        time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        if (output is not null)
        {
            builder.Logging.AddProvider(new XunitLoggerProvider(output));
        }

        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSwitchboardSilo(o => o.SiloName = "test");
        configureServices(builder.Services);
        return builder.Build();
    }

    /// <summary>Stops the host gracefully (grains get OnDeactivateAsync with ShuttingDown).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _host.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TestWait.DefaultTimeout);
        try
        {
            await StopAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A test left a turn blocked forever; stopping is best effort, like Orleans' deactivation.
        }

        _host.Dispose();
    }
}
