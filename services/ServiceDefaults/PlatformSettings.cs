using Microsoft.Extensions.Configuration;
using SocialDomain.EventStore;

namespace SocialDomain.ServiceDefaults;

public enum BusTransport
{
    InMemory,
    RabbitMq,
}

/// <summary>
/// How a host reaches its infrastructure, read from configuration (environment variables with "__" work too):
/// <c>Store:Provider</c> (Sqlite | Postgres), <c>Store:DataDirectory</c> for SQLite files,
/// <c>ConnectionStrings:Postgres</c>, <c>Bus:Transport</c> (InMemory | RabbitMq), <c>ConnectionStrings:RabbitMq</c>,
/// <c>Bus:ClusterNodes</c> (the nodes of a RabbitMQ cluster, <c>host:port</c> separated by commas).
/// </summary>
public sealed record PlatformSettings(StoreProvider Store, string DataDirectory, string Postgres, BusTransport Bus, Uri RabbitMq)
{
    /// <summary>
    /// The nodes of a RabbitMQ cluster, tried in turn when the connection breaks; empty for one broker. The user,
    /// password and virtual host still come from <c>ConnectionStrings:RabbitMq</c>.
    /// </summary>
    public IReadOnlyList<string> RabbitMqClusterNodes { get; init; } = [];

    /// <summary>The development credentials that <c>infra/start.sh</c> sets up on loopback.</summary>
    public const string LocalPostgres = "Host=127.0.0.1;Port=5432;Username=platform;Password=platform;Database=platform";
    public const string LocalRabbitMq = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>The embedded default: SQLite files and an in-process bus; needs nothing but the .NET SDK.</summary>
    public static readonly PlatformSettings Embedded =
        new(StoreProvider.Sqlite, "data", LocalPostgres, BusTransport.InMemory, new Uri(LocalRabbitMq));

    /// <summary>One service among others: PostgreSQL and RabbitMQ.</summary>
    public static readonly PlatformSettings Distributed =
        new(StoreProvider.Postgres, "data", LocalPostgres, BusTransport.RabbitMq, new Uri(LocalRabbitMq));

    public static PlatformSettings From(IConfiguration configuration, PlatformSettings defaults) => new(
        configuration.GetValue("Store:Provider", defaults.Store),
        configuration.GetValue("Store:DataDirectory", defaults.DataDirectory)!,
        configuration.GetConnectionString("Postgres") ?? defaults.Postgres,
        configuration.GetValue("Bus:Transport", defaults.Bus),
        new Uri(configuration.GetConnectionString("RabbitMq") ?? defaults.RabbitMq.ToString()))
    {
        RabbitMqClusterNodes = (configuration["Bus:ClusterNodes"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    };

    /// <summary>The store of one service: its own PostgreSQL schema, or its own SQLite file.</summary>
    public EventStoreSettings StoreFor(string service) => Store switch
    {
        StoreProvider.Postgres => new EventStoreSettings(Store, Postgres, service),
        _ => new EventStoreSettings(Store, $"Data Source={Path.Combine(DataDirectory, service + ".db")}", service),
    };
}
