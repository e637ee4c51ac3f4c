using Npgsql;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// Where the real PostgreSQL and RabbitMQ are. Tests never skip for want of them: they fail and say how to start them.
/// </summary>
public static class TestInfrastructure
{
    private const string HowTo =
        "or run ./test.sh, which installs and starts PostgreSQL and RabbitMQ on loopback (see infra/README.md).";

    public static string Postgres => Environment.GetEnvironmentVariable("SDP_POSTGRES")
        ?? throw new InvalidOperationException("Set SDP_POSTGRES to a PostgreSQL connection string, " + HowTo);

    public static string RabbitMq => Environment.GetEnvironmentVariable("SDP_RABBITMQ")
        ?? throw new InvalidOperationException("Set SDP_RABBITMQ to an amqp:// URI of a RabbitMQ virtual host for tests, " + HowTo);

    /// <summary>A database of its own for one test, dropped when disposed.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync()
    {
        var name = "sdp_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(Postgres))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new TestDatabase(name, new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString);
    }
}

public sealed record TestDatabase(string Name, string ConnectionString) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestInfrastructure.Postgres);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists {Name} with (force)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
