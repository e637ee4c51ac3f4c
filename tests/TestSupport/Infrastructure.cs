using DotNet.Testcontainers.Containers;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace SocialDomain.TestSupport;

/// <summary>
/// Where the tests find PostgreSQL and RabbitMQ: <c>SDP_POSTGRES</c> / <c>SDP_RABBITMQ</c> when set (./test.sh sets
/// them), otherwise containers of this test run's own, started through Testcontainers at first use and removed when
/// the run ends (<see cref="ContainersLifetime"/>). Tests never skip for want of them: they fail and say what to do.
/// </summary>
public static class Infrastructure
{
    /// <summary>The images are configurable: the default names are the ones infra/docker.sh builds locally.</summary>
    public static string PostgresImage => Environment.GetEnvironmentVariable("SDP_POSTGRES_IMAGE") is { Length: > 0 } image ? image : "sdp-local/postgres:15";

    public static string RabbitMqImage => Environment.GetEnvironmentVariable("SDP_RABBITMQ_IMAGE") is { Length: > 0 } image ? image : "sdp-local/rabbitmq:3.10";

    private const string HowTo =
        "Set SDP_POSTGRES and SDP_RABBITMQ (./test.sh does, with infra/start.sh), or run Docker so the tests start their own " +
        "containers: `eval \"$(infra/docker.sh)\"` builds the local images sdp-local/postgres:15 and sdp-local/rabbitmq:3.10; " +
        "with an image registry, SDP_POSTGRES_IMAGE=postgres:15 and SDP_RABBITMQ_IMAGE=rabbitmq:3 work too (see infra/README.md).";

    private static readonly Lazy<PostgreSqlContainer> PostgresContainer = new(() => Start(() =>
        new PostgreSqlBuilder(PostgresImage).WithUsername("platform").WithPassword("platform").WithDatabase("platform")
            // The tests open many connection pools at once.
            .WithCommand("-c", "max_connections=300").Build(), "PostgreSQL", PostgresImage));

    private static readonly Lazy<RabbitMqContainer> RabbitMqContainer = new(() => Start(() =>
        new RabbitMqBuilder(RabbitMqImage).WithUsername("guest").WithPassword("guest").Build(), "RabbitMQ", RabbitMqImage));

    /// <summary>A connection string of a role that may create databases.</summary>
    public static string Postgres => Environment.GetEnvironmentVariable("SDP_POSTGRES") is { Length: > 0 } given
        ? given
        : PostgresContainer.Value.GetConnectionString();

    /// <summary>An amqp:// URI of a virtual host for tests.</summary>
    public static string RabbitMq => Environment.GetEnvironmentVariable("SDP_RABBITMQ") is { Length: > 0 } given
        ? given
        : RabbitMqContainer.Value.GetConnectionString();

    /// <summary>A database of its own for one test, dropped when disposed.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(string prefix = "sdp_test_")
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(Postgres))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new TestDatabase(name, new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString);
    }

    private static T Start<T>(Func<T> build, string what, string image) where T : IContainer
    {
        try
        {
            // Building already fails when no Docker engine answers.
            var container = build();
            // Blocking once, at first use: the properties are read in plain expressions all over the tests.
            container.StartAsync().GetAwaiter().GetResult();
            return container;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"No {what} given and no {what} container could be started from the image {image} ({e.GetType().Name}: {e.Message}). " + HowTo, e);
        }
    }

    /// <summary>Removes the containers this run started (only those: given infrastructure is left alone).</summary>
    internal static async ValueTask DisposeContainersAsync()
    {
        if (PostgresContainer.IsValueCreated) await PostgresContainer.Value.DisposeAsync();
        if (RabbitMqContainer.IsValueCreated) await RabbitMqContainer.Value.DisposeAsync();
    }
}

/// <summary>
/// Register in each test assembly as <c>[assembly: AssemblyFixture(typeof(ContainersLifetime))]</c>: when the run
/// ends, the containers it started are removed (the reaper container is not used, see infra/README.md).
/// </summary>
public sealed class ContainersLifetime : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Infrastructure.DisposeContainersAsync();
}

/// <summary>A database of one test's own, dropped when disposed.</summary>
public sealed record TestDatabase(string Name, string ConnectionString) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(Infrastructure.Postgres);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists {Name} with (force)", admin);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            // An autovacuum worker in the database runs as the superuser, whom a role without superuser rights may not
            // terminate (PostgreSQL before 17): the worker is done with a database this small within moments.
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 50)
            {
                await Task.Delay(200);
            }
        }
    }
}
