using Npgsql;
using Switchboard.Runtime.Storage;

namespace Switchboard.Runtime.Tests.Storage;

public sealed class ClusterDatabaseTests
{
    private const string Base = "Host=127.0.0.1;Port=5432;Username=postgres;Database=switchboard";

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_EmptyConnectionString_Throws(string connectionString)
        => Assert.ThrowsAny<ArgumentException>(() => new ClusterDatabase(connectionString));

    [Fact]
    public void WithPoolDefaults_NoPoolSize_BoundedAtDefault()
    {
        var builder = new NpgsqlConnectionStringBuilder(ClusterDatabase.WithPoolDefaults(Base));

        Assert.Equal(ClusterDatabase.DefaultMaxPoolSize, builder.MaxPoolSize);
        Assert.Equal("switchboard", builder.Database);
    }

    [Theory]
    [InlineData("Maximum Pool Size=50", 50)]
    [InlineData("MaxPoolSize=3", 3)]
    [InlineData("maximum pool size=100", 100)]
    public void WithPoolDefaults_ExplicitPoolSize_Kept(string setting, int expected)
    {
        var builder = new NpgsqlConnectionStringBuilder(ClusterDatabase.WithPoolDefaults($"{Base};{setting}"));

        Assert.Equal(expected, builder.MaxPoolSize);
    }

    [Fact]
    public async Task DataSource_UsesTheBoundedConnectionString()
    {
        await using var database = new ClusterDatabase(Base);

        Assert.Equal(ClusterDatabase.DefaultMaxPoolSize, new NpgsqlConnectionStringBuilder(database.DataSource.ConnectionString).MaxPoolSize);
    }
}
