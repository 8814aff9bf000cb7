using Npgsql;

namespace Switchboard.Postgres.Tests;

public sealed class PostgresDataSourceTests
{
    [Fact]
    public void Create_MalformedConnectionString_ThrowsWithoutEchoingIt()
    {
        var failure = Assert.Throws<ArgumentException>(() => PostgresDataSource.Create("Host=db;Password=s3cret;Frobnicate=1"));

        Assert.Contains("not valid", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_EmptyConnectionString_Throws() =>
        Assert.Throws<ArgumentException>(() => PostgresDataSource.Create(" "));

    [Fact]
    public void Create_NoPoolSize_CapsAtTen()
    {
        using var dataSource = PostgresDataSource.Create("Host=127.0.0.1;Username=postgres");

        Assert.Equal(PostgresDataSource.DefaultMaxPoolSize, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize);
    }

    [Theory]
    [InlineData("Maximum Pool Size=3", 3)]
    [InlineData("MaxPoolSize=25", 25)]
    [InlineData("maxpoolsize=40", 40)]
    public void Create_PoolSizeSet_KeepsIt(string setting, int expected)
    {
        using var dataSource = PostgresDataSource.Create($"Host=127.0.0.1;Username=postgres;{setting}");

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize);
    }

    [Fact]
    public void Create_MinimumPoolSizeAboveTen_RaisesTheCapToIt()
    {
        using var dataSource = PostgresDataSource.Create("Host=127.0.0.1;Username=postgres;Minimum Pool Size=12");

        Assert.Equal(12, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize);
    }
}
