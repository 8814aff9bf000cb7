using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.AppStreams;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.Edge;
using Switchboard.Gateway.Health;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Gateway.Security;
using Switchboard.Gateway.Twilio;

namespace Switchboard.Gateway;

/// <summary>
/// Hosts the gateway in any ASP.NET Core application (the silo in embedded mode, the gateway-only host in cluster
/// mode). Call, in this order: <see cref="AddSwitchboardGateway"/> on the services; <see cref="UseSwitchboardGateway"/>
/// on the app before any other <c>UseWebSockets</c>; <see cref="MapSwitchboardGateway"/> for the endpoints. The host
/// must register an <see cref="IGrainFactory"/> (the runtime's client).
/// </summary>
public static class GatewayHostingExtensions
{
    /// <summary>Voice webhook path.</summary>
    public const string VoicePath = "/twilio/voice";

    /// <summary>Media stream WebSocket path.</summary>
    public const string MediaStreamPath = PublicUrlResolver.MediaStreamPath;

    /// <summary>WebSocket path of application (non-Twilio) clients, authenticated with a JWT.</summary>
    public const string AppStreamPath = AppStreamHandler.Path;

    /// <summary>Health path.</summary>
    public const string HealthPath = "/health";

    /// <summary>Registers the gateway's options (section <c>Gateway</c>, plus <c>PUBLIC_URL</c>, <c>TWILIO_AUTH_TOKEN</c>,
    /// <c>TWILIO_ACCOUNT_SID</c>), validated at start-up, its services and the health reporter.</summary>
    public static IServiceCollection AddSwitchboardGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GatewayOptions>()
            .Bind(configuration.GetSection(GatewayOptions.SectionName))
            .PostConfigure(options =>
            {
                // The plain environment names are what operators set (docker-compose, Twilio console docs).
                options.PublicUrl = FirstSet(options.PublicUrl, configuration[GatewayOptions.PublicUrlVariable]);
                options.TwilioAuthToken = FirstSet(options.TwilioAuthToken, configuration[GatewayOptions.TwilioAuthTokenVariable]);
                options.TwilioAccountSid = FirstSet(options.TwilioAccountSid, configuration[GatewayOptions.TwilioAccountSidVariable]);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GatewayIdentity>();
        services.AddMetrics();
        services.TryAddSingleton<MediaStreamTracker>();
        services.TryAddSingleton<MediaStreamInstruments>();
        services.TryAddSingleton<OriginPolicy>();
        services.TryAddSingleton<PublicUrlResolver>();
        services.TryAddSingleton<TwilioRequestAuthenticator>();
        services.TryAddSingleton<StreamTickets>();
        services.TryAddSingleton<MediaStreamHandler>();
        services.TryAddSingleton<VoiceWebhookHandler>();
        services.TryAddSingleton<HealthEndpoint>();
        services.AddHostedService<GatewayStartupLogger>();
        services.AddHostedService<GatewayHealthReporter>();
        services.TryAddSingleton<GatewayDrainState>();
        services.AddHostedService<GatewayDrainService>();
        AddEdge(services, configuration);
        return services;
    }

    /// <summary>Adds, in order: forwarded headers from <c>Gateway:KnownProxies</c> (only when some are listed), the ping-timing
    /// hook, the WebSocket middleware and the upgrade admission (TLS in Production, per-address rate, connection limit).
    /// Must run before any other <c>UseWebSockets</c>.</summary>
    public static IApplicationBuilder UseSwitchboardGateway(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // ASP.NET Core's forwarded-headers middleware trusts every peer when its proxy lists are empty: run it only when
        // proxies are listed. The predicate is evaluated per request, after start-up validation.
        app.UseWhen(static context => !context.RequestServices.GetRequiredService<KnownProxyList>().IsEmpty, static branch => branch.UseForwardedHeaders());
        app.UseMiddleware<PingTimingMiddleware>();
        app.UseWebSockets();
        app.UseMiddleware<UpgradeAdmissionMiddleware>();
        return app;
    }

    /// <summary>Maps <c>POST /twilio/voice</c>, <c>GET /twilio/media-stream</c> (and its trailing-slash form), <c>GET /app/stream</c>
    /// and <c>GET /health</c>.</summary>
    public static IEndpointRouteBuilder MapSwitchboardGateway(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(VoicePath, static context => context.RequestServices.GetRequiredService<VoiceWebhookHandler>().HandleAsync(context));
        // The route also matches the trailing-slash form Twilio's docs mention.
        endpoints.MapGet(MediaStreamPath, static context => context.RequestServices.GetRequiredService<MediaStreamHandler>().HandleAsync(context));
        endpoints.MapGet(AppStreamPath, static context => context.RequestServices.GetRequiredService<AppStreamHandler>().HandleAsync(context));
        endpoints.MapGet(HealthPath, static context => context.RequestServices.GetRequiredService<HealthEndpoint>().HandleAsync(context));
        return endpoints;
    }

    /// <summary>Edge limits (<c>Gateway:MaxConnections</c>, <c>Gateway:UpgradeRateLimit</c>, <c>Gateway:Http</c>, <c>Gateway:Tls</c>,
    /// <c>Gateway:KnownProxies</c>) and application authentication (<c>Gateway:Auth</c>), all validated at start-up.</summary>
    private static void AddEdge(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EdgeOptions>()
            .Bind(configuration.GetSection(EdgeOptions.SectionName))
            .PostConfigure(options =>
            {
                // One environment variable (Gateway__KnownProxies="10.0.0.5,172.16.0.0/12") as well as indexed entries.
                var scalar = configuration[$"{EdgeOptions.SectionName}:{nameof(EdgeOptions.KnownProxies)}"];
                if (!string.IsNullOrWhiteSpace(scalar))
                {
                    options.KnownProxies.Add(scalar);
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EdgeOptions>, EdgeOptionsValidator>());
        services.AddOptions<AppAuthOptions>()
            .Bind(configuration.GetSection(AppAuthOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AppAuthOptions>, AppAuthOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(static sp =>
        {
            KnownProxyList.TryParse(sp.GetRequiredService<IOptions<EdgeOptions>>().Value.KnownProxies, out var list, out _);
            return list;
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<ForwardedHeadersOptions>, ForwardedHeadersSetup>());
        services.TryAddSingleton<ConnectionLimiter>();
        services.TryAddSingleton<UpgradeRateLimiter>();
        services.TryAddSingleton<EdgeInstruments>();
        services.TryAddSingleton<IncompleteRequestMonitor>();
        services.TryAddSingleton<AppTokenValidator>();
        services.TryAddSingleton<AppStreamHandler>();
        services.AddHostedService<EdgeStartupLogger>();
    }

    private static string? FirstSet(string? primary, string? fallback) => string.IsNullOrWhiteSpace(primary) ? fallback : primary;
}
