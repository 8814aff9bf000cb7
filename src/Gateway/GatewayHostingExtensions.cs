using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Configuration;
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
/// must register an <see cref="Runtime.IGrainFactory"/> (the runtime's client).
/// </summary>
public static class GatewayHostingExtensions
{
    /// <summary>Voice webhook path.</summary>
    public const string VoicePath = "/twilio/voice";

    /// <summary>Media stream WebSocket path.</summary>
    public const string MediaStreamPath = PublicUrlResolver.MediaStreamPath;

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
        services.TryAddSingleton<MediaStreamHandler>();
        services.TryAddSingleton<VoiceWebhookHandler>();
        services.TryAddSingleton<HealthEndpoint>();
        services.AddHostedService<GatewayStartupLogger>();
        services.AddHostedService<GatewayHealthReporter>();
        services.TryAddSingleton<GatewayDrainState>();
        services.AddHostedService<GatewayDrainService>();
        return services;
    }

    /// <summary>Adds the ping-timing hook and the WebSocket middleware. Must run before any other <c>UseWebSockets</c>.</summary>
    public static IApplicationBuilder UseSwitchboardGateway(this IApplicationBuilder app)
    {
        app.UseMiddleware<PingTimingMiddleware>();
        app.UseWebSockets();
        return app;
    }

    /// <summary>Maps <c>POST /twilio/voice</c>, <c>GET /twilio/media-stream</c> (and its trailing-slash form) and <c>GET /health</c>.</summary>
    public static IEndpointRouteBuilder MapSwitchboardGateway(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(VoicePath, static context => context.RequestServices.GetRequiredService<VoiceWebhookHandler>().HandleAsync(context));
        // The route also matches the trailing-slash form Twilio's docs mention.
        endpoints.MapGet(MediaStreamPath, static context => context.RequestServices.GetRequiredService<MediaStreamHandler>().HandleAsync(context));
        endpoints.MapGet(HealthPath, static context => context.RequestServices.GetRequiredService<HealthEndpoint>().HandleAsync(context));
        return endpoints;
    }

    private static string? FirstSet(string? primary, string? fallback) => string.IsNullOrWhiteSpace(primary) ? fallback : primary;
}
