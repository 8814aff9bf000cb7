namespace Switchboard.Postgres;
public static class PostgresClusterExtensions
{
    public static Orleans.Hosting.ISiloBuilder UsePostgresCluster(this Orleans.Hosting.ISiloBuilder silo, string connectionString, string storageName) => throw new NotImplementedException();
    public static Orleans.Hosting.IClientBuilder UsePostgresCluster(this Orleans.Hosting.IClientBuilder client, string connectionString) => throw new NotImplementedException();
}
