using Npgsql;
using Orleans.Messaging;

namespace Switchboard.Postgres;

/// <summary>
/// Wraps Orleans' <c>AdoNetGatewayListProvider</c> so a client applies the schema before the provider loads its
/// queries. A client lifecycle participant would run too late: <c>ClusterClient.StartAsync</c> starts the gateway
/// manager (which initialises this provider) before it runs the client lifecycle, and without the tables the
/// provider fails the client's start with "relation orleansquery does not exist" and does not retry.
/// </summary>
internal sealed class PostgresGatewayListProvider(IGatewayListProvider inner, PostgresSchema schema, NpgsqlDataSource dataSource)
    : IGatewayListProvider
{
    public TimeSpan MaxStaleness => inner.MaxStaleness;

    // Still an interface member in 10.4.2, though obsolete: Orleans treats every provider as updatable.
    [Obsolete("Unused by Orleans 10; kept because IGatewayListProvider still declares it.")]
    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => InitializeGatewayListProviderAsync(CancellationToken.None);

    public async Task InitializeGatewayListProviderAsync(CancellationToken cancellationToken)
    {
        await schema.ApplyAsync(dataSource, cancellationToken).ConfigureAwait(false);
        await inner.InitializeGatewayListProviderAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<IList<Uri>> GetGateways() => inner.GetGateways();

    public Task<IList<Uri>> GetGatewaysAsync(CancellationToken cancellationToken) => inner.GetGatewaysAsync(cancellationToken);
}
