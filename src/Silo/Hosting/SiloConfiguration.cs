using System.Net;
using Orleans.Configuration;
using Orleans.Dashboard;
using Switchboard.Gateway.Hosting;
using Switchboard.Grains;
using Switchboard.Grains.Connection;
using Switchboard.Postgres;

namespace Switchboard.Silo.Hosting;

/// <summary>
/// The Orleans silo both modes run: cluster id, endpoints, membership, grain storage for connection checkpoints, the
/// dashboard, and Switchboard's grain services. Embedded mode: localhost clustering and in-memory storage, no client
/// port. Cluster mode: Orleans' ADO.NET clustering and storage on PostgreSQL (our own schema, <c>src/Postgres</c>),
/// tuned failure detection (<see cref="FailureDetection"/>) and the distributed grain directory unless
/// <c>Cluster:GrainDirectory=Default</c>.
/// </summary>
/// <remarks>
/// Why the distributed directory (experimental in 10.4.2, ORLEANSEXP003): with Orleans' default directory, a silo that
/// dies or shuts down makes the others deactivate their own activations whose directory entry it held
/// (<c>DirectoryFailure</c>), so calls on silos that never failed restart. The distributed directory does not do that.
/// Its <c>RangeLeaseDuration</c> keeps a crashed silo's grains unavailable until the lease ends (30 s by default, counted
/// from the estimated failure time); <see cref="DirectoryLease"/> is set so that it has run out by the time the silo is
/// declared dead. A lease that short gives up protection against a partitioned "dead" silo that still serves; the
/// connection grain's ETag step-down is the guard left (docs/cluster.md).
/// </remarks>
internal static class SiloConfiguration
{
    /// <summary>The distributed directory's range lease.</summary>
    public static readonly TimeSpan DirectoryLease = TimeSpan.FromSeconds(2);

    /// <summary>Configures <paramref name="silo"/> for <paramref name="cluster"/>'s mode.</summary>
    public static void Configure(ISiloBuilder silo, IConfiguration configuration, ClusterModeOptions cluster, string? connectionString, SiloEndpointOptions endpoints)
    {
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ClusterId));
        silo.Configure<SiloOptions>(o => o.SiloName = endpoints.SiloName);
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = FailureDetection.SiloResponseTimeout);
        if (cluster.Membership == MembershipKind.Postgres)
        {
            silo.Configure<EndpointOptions>(o =>
            {
                o.AdvertisedIPAddress = ParseAddress(endpoints.AdvertisedAddress, "Silo:AdvertisedAddress");
                o.SiloPort = endpoints.Port;
                o.GatewayPort = endpoints.GatewayPort;
                var listen = ParseAddress(endpoints.ListenAddress, "Silo:ListenAddress");
                o.SiloListeningEndpoint = new IPEndPoint(listen, endpoints.Port);
                o.GatewayListeningEndpoint = new IPEndPoint(listen, endpoints.GatewayPort);
            });
            silo.UsePostgresCluster(connectionString!, ConnectionGrain.StorageName);
            silo.Configure<ClusterMembershipOptions>(FailureDetection.Configure);
            silo.Services.AddSingleton<MembershipStoreProbe>();
            if (cluster.GrainDirectory == GrainDirectoryKind.Distributed)
            {
#pragma warning disable ORLEANSEXP003 // Experimental in 10.4.2; chosen for the reason in the remarks above.
                silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
                silo.Configure<GrainDirectoryOptions>(o => o.RangeLeaseDuration = DirectoryLease);
            }
        }
        else
        {
            // No client port: the gateway runs in this process and calls grains directly.
            silo.UseLocalhostClustering(siloPort: endpoints.Port, gatewayPort: 0, serviceId: cluster.ClusterId, clusterId: cluster.ClusterId);
            silo.AddMemoryGrainStorage(ConnectionGrain.StorageName);
        }

        if (endpoints.DashboardPort > 0)
        {
            silo.AddDashboard();
        }

        silo.Services.AddSwitchboardGrains(configuration);
        silo.Services.AddHostedService<SiloHealthReporter>();
        silo.Services.AddHostedService<ThreadPoolDelayMonitor>();
    }

    /// <summary>Maps the dashboard, behind Basic authentication when credentials are set. Which port serves it is
    /// <see cref="UseDashboardPortSeparation"/>'s business: not <c>RequireHost</c>, which matches the request's Host
    /// header, so a dashboard published under another port (docker-compose maps 8090 to the container's 8080) answered
    /// 404, and a client that wrote <c>Host: x:8080</c> got the dashboard from the gateway's public port.</summary>
    public static void MapDashboard(WebApplication app, SiloEndpointOptions endpoints, DashboardCredentials credentials)
    {
        if (endpoints.DashboardPort <= 0)
        {
            return;
        }

        var dashboard = app.MapOrleansDashboard().WithMetadata(DashboardEndpointMetadata.Instance);
        if (credentials.IsSet)
        {
            dashboard.AddEndpointFilter(new DashboardAuthenticationFilter(credentials));
        }
    }

    /// <summary>
    /// For a host that serves the gateway and the dashboard (embedded mode): the dashboard's endpoints answer only on
    /// the port the connection came in on being <c>Silo:DashboardPort</c>, and every other endpoint (the gateway's
    /// webhook, media streams, /health) only on the other ports; the wrong port gets 404 as if the route did not exist.
    /// Decided by the connection's local port, which a client cannot change. Runs after routing (WebApplication routes
    /// first), before the gateway's middleware, so a refused request costs no upgrade admission.
    /// </summary>
    public static void UseDashboardPortSeparation(WebApplication app, SiloEndpointOptions endpoints)
    {
        if (endpoints.DashboardPort <= 0)
        {
            return;
        }

        app.Use((context, next) =>
        {
            var endpoint = context.GetEndpoint();
            var isDashboard = endpoint?.Metadata.GetMetadata<DashboardEndpointMetadata>() is not null;
            if (endpoint is null || isDashboard == (context.Connection.LocalPort == endpoints.DashboardPort))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    /// <summary>Reads the <c>Silo</c> section.</summary>
    public static SiloEndpointOptions ReadEndpoints(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection(SiloEndpointOptions.SectionName).Get<SiloEndpointOptions>() ?? new SiloEndpointOptions();
        CheckPort(endpoints.Port, "Silo:Port", allowZero: false);
        CheckPort(endpoints.GatewayPort, "Silo:GatewayPort", allowZero: false);
        CheckPort(endpoints.DashboardPort, "Silo:DashboardPort", allowZero: true);
        return endpoints;
    }

    private static void CheckPort(int port, string key, bool allowZero)
    {
        if (port < (allowZero ? 0 : 1) || port > 65535)
        {
            throw new InvalidOperationException($"{key} must be a TCP port ({(allowZero ? 0 : 1)}-65535), but was {port}.");
        }
    }

    private static IPAddress ParseAddress(string value, string key)
    {
        if (IPAddress.TryParse(value, out var address))
        {
            return address;
        }

        // A host name (a container's, in docker-compose): the first IPv4 address it resolves to.
        var resolved = Dns.GetHostAddresses(value).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
        return resolved ?? throw new InvalidOperationException($"{key} must be an IP address or a resolvable host name, but was '{value}'.");
    }
}
