using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Switchboard.Silo.Hosting;

namespace Switchboard.Silo.Tests.Hosting;

/// <summary>The embedded-mode host exactly as <c>dotnet run --project src/Silo</c> builds it, on an ephemeral loopback port.</summary>
internal sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedSilo(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri MediaStreamUrl => new($"{(BaseAddress.Scheme == "https" ? "wss" : "ws")}://{BaseAddress.Authority}/twilio/media-stream");

    public Uri AppStreamUrl => new($"{(BaseAddress.Scheme == "https" ? "wss" : "ws")}://{BaseAddress.Authority}/app/stream");

    public IServiceProvider Services => _app.Services;

    public static Task<EmbeddedSilo> StartAsync(IDictionary<string, string?>? settings = null, params string[] args) =>
        StartAsync(settings, configure: null, args);

    /// <summary>Starts the host; <paramref name="configure"/> runs after the settings are added (extra log providers, services).</summary>
    public static async Task<EmbeddedSilo> StartAsync(IDictionary<string, string?>? settings, Action<WebApplicationBuilder>? configure, params string[] args)
    {
        var app = SiloHost.Build(
            args,
            builder =>
            {
                var values = new Dictionary<string, string?>
                {
                    ["Gateway:Port"] = "0",
                    ["Gateway:BindAddress"] = "127.0.0.1",
                    ["Logging:MinimumLevel"] = "Warning",
                };
                foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
                {
                    values[key] = value;
                }

                builder.Configuration.AddInMemoryCollection(values);
                configure?.Invoke(builder);
            });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmbeddedSilo(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
