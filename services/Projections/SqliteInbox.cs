using System.Text.Json;
using Microsoft.Data.Sqlite;
using SocialDomain.Contracts;
using SocialDomain.EventStore;

namespace SocialDomain.Projections;

public sealed class SqliteInbox : IInbox
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public SqliteInbox(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30 };
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (directory is not null) Directory.CreateDirectory(directory);
        _connectionString = builder.ToString();
    }

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            pragma journal_mode = wal;
            create table if not exists provision_events (
                event_id text primary key,
                bsn text not null,
                provision_id text not null,
                law text not null,
                stream_version integer not null,
                type text not null,
                data text not null,
                received_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            );
            create index if not exists provision_events_bsn on provision_events (bsn);
            """;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<bool> RecordAsync(IProvisionEvent @event, CancellationToken ct = default)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            await using var conn = await Open(ct);
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = """
                insert into provision_events (event_id, bsn, provision_id, law, stream_version, type, data)
                values ($id, $bsn, $provision, $law, $version, $type, $data) on conflict (event_id) do nothing
                """;
            cmd.Parameters.AddWithValue("$id", @event.EventId.ToString());
            cmd.Parameters.AddWithValue("$bsn", @event.Bsn.Value);
            cmd.Parameters.AddWithValue("$provision", @event.ProvisionId.ToString());
            cmd.Parameters.AddWithValue("$law", @event.Law.ToString());
            cmd.Parameters.AddWithValue("$version", @event.StreamVersion);
            cmd.Parameters.AddWithValue("$type", @event.GetType().Name);
            cmd.Parameters.AddWithValue("$data", JsonSerializer.Serialize(@event, @event.GetType(), EventSerializer.Json));
            return await cmd.ExecuteNonQueryAsync(ct) == 1;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<IReadOnlyList<IProvisionEvent>> ReadPersonAsync(Bsn bsn, CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "select type, data from provision_events where bsn = $bsn";
        cmd.Parameters.AddWithValue("$bsn", bsn.Value);
        var events = new List<IProvisionEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            events.Add((IProvisionEvent)JsonSerializer.Deserialize(reader.GetString(1), Inboxes.Serializer.TypeOf(reader.GetString(0)), EventSerializer.Json)!);
        return events;
    }

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "select count(*) from provision_events";
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private async Task<SqliteConnection> Open(CancellationToken ct)
    {
        var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "pragma synchronous = full;";
        await cmd.ExecuteNonQueryAsync(ct);
        return conn;
    }
}
