using System.Text.Json;
using Microsoft.Data.Sqlite;
using SocialDomain.Contracts;
using SocialDomain.EventStore;

namespace SocialDomain.Projections;

public sealed class SqliteInbox : IInbox
{
    private readonly string _connectionString;
    private readonly GroupCommit<IProvisionEvent> _writer;

    public SqliteInbox(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30 };
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (directory is not null) Directory.CreateDirectory(directory);
        _connectionString = builder.ToString();
        _writer = new GroupCommit<IProvisionEvent>(Write);
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

    public Task<bool> RecordAsync(IProvisionEvent @event, CancellationToken ct = default) => _writer.Add(@event, ct);

    private async Task<bool[]> Write(IReadOnlyList<IProvisionEvent> events)
    {
        await using var conn = await Open(CancellationToken.None);
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            insert into provision_events (event_id, bsn, provision_id, law, stream_version, type, data)
            values ($id, $bsn, $provision, $law, $version, $type, $data) on conflict (event_id) do nothing
            """;
        var parameters = new[] { "$id", "$bsn", "$provision", "$law", "$version", "$type", "$data" }
            .Select(name => cmd.Parameters.Add(name, SqliteType.Text)).ToArray();
        var added = new bool[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            object[] values = [e.EventId.ToString(), e.Bsn.Value, e.ProvisionId.ToString(), e.Law.ToString(), e.StreamVersion,
                e.GetType().Name, JsonSerializer.Serialize(e, e.GetType(), EventSerializer.Json)];
            for (var p = 0; p < values.Length; p++) parameters[p].Value = values[p];
            added[i] = await cmd.ExecuteNonQueryAsync() == 1;
        }
        await tx.CommitAsync();
        return added;
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
