namespace SocialDomain.EventStore;

public enum StoreProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Where a service keeps its events. Each service owns its schema (PostgreSQL) or its file (SQLite).</summary>
/// <param name="ConnectionString">A Npgsql connection string, or a SQLite one such as "Data Source=data/wmo.db".</param>
/// <param name="Schema">The PostgreSQL schema of the owning service, e.g. "wmo". Ignored by SQLite.</param>
public sealed record EventStoreSettings(StoreProvider Provider, string ConnectionString, string Schema)
{
    public IEventStore Create() => Provider switch
    {
        StoreProvider.Postgres => new PostgresEventStore(ConnectionString, Schema),
        StoreProvider.Sqlite => new SqliteEventStore(ConnectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(Provider)),
    };
}
