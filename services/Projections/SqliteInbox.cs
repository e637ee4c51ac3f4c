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
            create table if not exists household_events (
                event_id text primary key,
                household_id text not null,
                bsn text,
                gemeente text not null,
                type text not null,
                data text not null
            );
            create index if not exists household_events_household on household_events (household_id);
            create index if not exists household_events_bsn on household_events (bsn);
            create index if not exists household_events_gemeente on household_events (gemeente);
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

    public Task<IReadOnlyList<IProvisionEvent>> ReadPersonAsync(Bsn bsn, CancellationToken ct = default) => ReadPersonsAsync([bsn], ct);

    public Task<IReadOnlyList<IProvisionEvent>> ReadPersonsAsync(IReadOnlyCollection<Bsn> bsns, CancellationToken ct = default) =>
        Read<IProvisionEvent>("select type, data from provision_events where bsn in (select value from json_each($p))",
            JsonSerializer.Serialize(bsns.Select(b => b.Value)), ct);

    public async Task<bool> RecordHouseholdAsync(IHouseholdEvent @event, CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            insert into household_events (event_id, household_id, bsn, gemeente, type, data)
            values ($id, $household, $bsn, $gemeente, $type, $data) on conflict (event_id) do nothing
            """;
        cmd.Parameters.AddWithValue("$id", @event.EventId.ToString());
        cmd.Parameters.AddWithValue("$household", @event.HouseholdId.ToString());
        cmd.Parameters.AddWithValue("$bsn", (object?)Inboxes.MemberOf(@event)?.Value ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$gemeente", @event.Gemeente.Value);
        cmd.Parameters.AddWithValue("$type", @event.GetType().Name);
        cmd.Parameters.AddWithValue("$data", JsonSerializer.Serialize(@event, @event.GetType(), EventSerializer.Json));
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public Task<IReadOnlyList<IHouseholdEvent>> ReadHouseholdAsync(Guid householdId, CancellationToken ct = default) =>
        Read<IHouseholdEvent>("select type, data from household_events where household_id = $p", householdId.ToString(), ct);

    public Task<IReadOnlyList<Guid>> HouseholdsOfAsync(Bsn bsn, CancellationToken ct = default) =>
        Ids("select distinct household_id from household_events where bsn = $p", bsn.Value, ct);

    public Task<IReadOnlyList<Guid>> HouseholdsInAsync(Gemeentecode gemeente, CancellationToken ct = default) =>
        Ids("select distinct household_id from household_events where gemeente = $p", gemeente.Value, ct);

    private async Task<IReadOnlyList<T>> Read<T>(string sql, string parameter, CancellationToken ct)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$p", parameter);
        var events = new List<T>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) events.Add(Inboxes.Deserialize<T>(reader.GetString(0), reader.GetString(1)));
        return events;
    }

    private async Task<IReadOnlyList<Guid>> Ids(string sql, string parameter, CancellationToken ct)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$p", parameter);
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(Guid.Parse(reader.GetString(0)));
        return ids;
    }

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "select count(*) from provision_events";
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task PingAsync(CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "select 1";
        await cmd.ExecuteScalarAsync(ct);
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
