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
/// <c>Bus:ClusterNodes</c> (the nodes of a RabbitMQ cluster, <c>host:port</c> separated by commas),
/// <c>Bus:HeartbeatSeconds</c>, <c>Relay:EventsPerMessage</c>.
/// </summary>
public sealed record PlatformSettings(StoreProvider Store, string DataDirectory, string Postgres, BusTransport Bus, Uri RabbitMq)
{
    /// <summary>
    /// The nodes of a RabbitMQ cluster, tried in turn when the connection breaks; empty for one broker. The user,
    /// password and virtual host still come from <c>ConnectionStrings:RabbitMq</c>.
    /// </summary>
    public IReadOnlyList<string> RabbitMqClusterNodes { get; init; } = [];

    /// <summary>
    /// How often the broker connection proves it is alive. A node that hangs or drops off the network without closing
    /// its connections is noticed only by missed heartbeats (two, per RabbitMQ): with the client's 60 s default, a
    /// relay and a consumer kept using the dead node for about two minutes before they moved to another.
    /// </summary>
    public TimeSpan RabbitMqHeartbeat { get; init; } = DefaultHeartbeat;

    public static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many events a relay sends in one message; 1 (the default) sends one message per event, of the event's own
    /// type, which every subscriber takes. Above 1 the relay sends <see cref="Contracts.IntegrationEventBatch"/>, which only
    /// subscribers that know it take: raise it once all of them do (docs/relay.md).
    /// </summary>
    public int RelayEventsPerMessage { get; init; } = 1;

    public const int MaxEventsPerMessage = 1_000;

    /// <summary>The development credentials that <c>infra/start.sh</c> sets up on loopback.</summary>
    public const string LocalPostgres = "Host=127.0.0.1;Port=5432;Username=platform;Password=platform;Database=platform";
    public const string LocalRabbitMq = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>The embedded default: SQLite files and an in-process bus; needs nothing but the .NET SDK.</summary>
    public static readonly PlatformSettings Embedded =
        new(StoreProvider.Sqlite, "data", LocalPostgres, BusTransport.InMemory, new Uri(LocalRabbitMq));

    /// <summary>One service among others: PostgreSQL and RabbitMQ.</summary>
    public static readonly PlatformSettings Distributed =
        new(StoreProvider.Postgres, "data", LocalPostgres, BusTransport.RabbitMq, new Uri(LocalRabbitMq));

    /// <summary>The settings in <paramref name="configuration"/>, or every problem with them at once.</summary>
    /// <exception cref="PlatformConfigurationException">A setting is missing or wrong; one line each.</exception>
    public static PlatformSettings From(IConfiguration configuration, PlatformSettings defaults)
    {
        var problems = new List<string>();
        var store = OneOf("Store:Provider", configuration["Store:Provider"], defaults.Store, problems);
        var bus = OneOf("Bus:Transport", configuration["Bus:Transport"], defaults.Bus, problems);
        var dataDirectory = configuration["Store:DataDirectory"] ?? defaults.DataDirectory;
        if (store == StoreProvider.Sqlite && string.IsNullOrWhiteSpace(dataDirectory))
            problems.Add("Store:DataDirectory is empty: name the folder for the SQLite files.");
        var postgres = configuration.GetConnectionString("Postgres") ?? defaults.Postgres;
        if (store == StoreProvider.Postgres) CheckPostgres(postgres, problems);
        var rabbitMq = RabbitMqUri(configuration.GetConnectionString("RabbitMq"), defaults.RabbitMq, check: bus == BusTransport.RabbitMq, problems);
        var nodes = (configuration["Bus:ClusterNodes"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var node in nodes.Where(n => !IsHostAndPort(n)))
            problems.Add($"Bus:ClusterNodes: '{node}' is not host:port (the nodes of a RabbitMQ cluster, separated by commas).");
        var heartbeat = Heartbeat(configuration["Bus:HeartbeatSeconds"], problems);
        var perMessage = EventsPerMessage(configuration["Relay:EventsPerMessage"], problems);
        if (problems.Count > 0) throw new PlatformConfigurationException(problems);
        return new PlatformSettings(store, dataDirectory, postgres, bus, rabbitMq)
        {
            RabbitMqClusterNodes = nodes, RabbitMqHeartbeat = heartbeat, RelayEventsPerMessage = perMessage,
        };
    }

    private static T OneOf<T>(string setting, string? value, T fallback, List<string> problems) where T : struct, Enum
    {
        if (value is null) return fallback;
        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)) return parsed;
        problems.Add($"{setting}: '{value}' is not one of {string.Join(", ", Enum.GetNames<T>())}.");
        return fallback;
    }

    /// <summary>Only the parser's complaint is repeated: the connection string itself may hold a password.</summary>
    private static void CheckPostgres(string connectionString, List<string> problems)
    {
        try
        {
            if (string.IsNullOrWhiteSpace(new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Host))
                problems.Add("ConnectionStrings:Postgres names no Host.");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            problems.Add($"ConnectionStrings:Postgres is not an Npgsql connection string: {e.Message}");
        }
    }

    /// <summary>The broker's URI; a wrong one is a problem only when the bus is RabbitMQ. Never repeated: it may hold a password.</summary>
    private static Uri RabbitMqUri(string? value, Uri fallback, bool check, List<string> problems)
    {
        if (value is null) return fallback;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" && uri.Host.Length > 0) return uri;
        if (check) problems.Add("ConnectionStrings:RabbitMq is not an amqp:// or amqps:// URI with a host (amqp://user:pass@host:port/vhost).");
        return fallback;
    }

    private static TimeSpan Heartbeat(string? value, List<string> problems)
    {
        if (value is null) return DefaultHeartbeat;
        if (int.TryParse(value, out var seconds) && seconds is >= 1 and <= 600) return TimeSpan.FromSeconds(seconds);
        problems.Add($"Bus:HeartbeatSeconds: '{value}' is not a whole number of seconds from 1 to 600.");
        return DefaultHeartbeat;
    }

    private static int EventsPerMessage(string? value, List<string> problems)
    {
        if (value is null) return 1;
        if (int.TryParse(value, out var events) && events is >= 1 and <= MaxEventsPerMessage) return events;
        problems.Add($"Relay:EventsPerMessage: '{value}' is not a whole number from 1 to {MaxEventsPerMessage} (events the relay sends in one message).");
        return 1;
    }

    private static bool IsHostAndPort(string node)
    {
        var colon = node.LastIndexOf(':');
        return colon > 0 && int.TryParse(node[(colon + 1)..], out var port) && port is > 0 and < 65536;
    }

    /// <summary>The store of one service: its own PostgreSQL schema, or its own SQLite file.</summary>
    public EventStoreSettings StoreFor(string service) => Store switch
    {
        StoreProvider.Postgres => new EventStoreSettings(Store, Postgres, service),
        _ => new EventStoreSettings(Store, $"Data Source={Path.Combine(DataDirectory, service + ".db")}", service),
    };
}
