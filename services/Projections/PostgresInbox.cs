using System.Text.Json;
using Npgsql;
using SocialDomain.Contracts;
using SocialDomain.EventStore;

namespace SocialDomain.Projections;

public sealed class PostgresInbox : IInbox, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly GroupCommit<IProvisionEvent> _writer;

    public PostgresInbox(string connectionString, string schema)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _schema = schema;
        _writer = new GroupCommit<IProvisionEvent>(Write);
    }

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            select pg_advisory_xact_lock(hashtext('{_schema}.schema'));
            create schema if not exists {_schema};
            create table if not exists {_schema}.provision_events (
                event_id uuid primary key,
                bsn text not null,
                provision_id uuid not null,
                law text not null,
                stream_version bigint not null,
                type text not null,
                data jsonb not null,
                received_at timestamptz not null default now()
            );
            create index if not exists provision_events_bsn on {_schema}.provision_events (bsn);
            create table if not exists {_schema}.household_events (
                event_id uuid primary key,
                household_id uuid not null,
                bsn text,
                gemeente text not null,
                type text not null,
                data jsonb not null,
                received_at timestamptz not null default now()
            );
            create index if not exists household_events_household on {_schema}.household_events (household_id);
            create index if not exists household_events_bsn on {_schema}.household_events (bsn);
            create index if not exists household_events_gemeente on {_schema}.household_events (gemeente);
            """, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    public Task<bool> RecordAsync(IProvisionEvent @event, CancellationToken ct = default) => _writer.Add(@event, ct);

    private async Task<bool[]> Write(IReadOnlyList<IProvisionEvent> events)
    {
        await using var cmd = _dataSource.CreateCommand($"""
            insert into {_schema}.provision_events (event_id, bsn, provision_id, law, stream_version, type, data)
            select * from unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::bigint[], $6::text[], $7::jsonb[])
            on conflict (event_id) do nothing
            returning event_id
            """);
        foreach (var column in new object[]
                 {
                     events.Select(e => e.EventId).ToArray(), events.Select(e => e.Bsn.Value).ToArray(),
                     events.Select(e => e.ProvisionId).ToArray(), events.Select(e => e.Law.ToString()).ToArray(),
                     events.Select(e => e.StreamVersion).ToArray(), events.Select(e => e.GetType().Name).ToArray(),
                     events.Select(e => JsonSerializer.Serialize(e, e.GetType(), EventSerializer.Json)).ToArray(),
                 })
            cmd.Parameters.Add(new NpgsqlParameter { Value = column });
        var inserted = new HashSet<Guid>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) inserted.Add(reader.GetGuid(0));
        // The same event twice in one batch: only its first occurrence is new.
        return [.. events.Select(e => inserted.Remove(e.EventId))];
    }

    public Task<IReadOnlyList<IProvisionEvent>> ReadPersonAsync(Bsn bsn, CancellationToken ct = default) => ReadPersonsAsync([bsn], ct);

    public Task<IReadOnlyList<IProvisionEvent>> ReadPersonsAsync(IReadOnlyCollection<Bsn> bsns, CancellationToken ct = default) =>
        Read<IProvisionEvent>($"select type, data::text from {_schema}.provision_events where bsn = any($1)", bsns.Select(b => b.Value).ToArray(), ct);

    public async Task<bool> RecordHouseholdAsync(IHouseholdEvent @event, CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"""
            insert into {_schema}.household_events (event_id, household_id, bsn, gemeente, type, data)
            values ($1, $2, $3, $4, $5, $6::jsonb) on conflict (event_id) do nothing
            """);
        foreach (var value in new object?[] { @event.EventId, @event.HouseholdId, Inboxes.MemberOf(@event)?.Value, @event.Gemeente.Value,
                     @event.GetType().Name, JsonSerializer.Serialize(@event, @event.GetType(), EventSerializer.Json) })
            cmd.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public Task<IReadOnlyList<IHouseholdEvent>> ReadHouseholdAsync(Guid householdId, CancellationToken ct = default) =>
        Read<IHouseholdEvent>($"select type, data::text from {_schema}.household_events where household_id = $1", householdId, ct);

    public Task<IReadOnlyList<Guid>> HouseholdsOfAsync(Bsn bsn, CancellationToken ct = default) =>
        Ids($"select distinct household_id from {_schema}.household_events where bsn = $1", bsn.Value, ct);

    public Task<IReadOnlyList<Guid>> HouseholdsInAsync(Gemeentecode gemeente, CancellationToken ct = default) =>
        Ids($"select distinct household_id from {_schema}.household_events where gemeente = $1", gemeente.Value, ct);

    private async Task<IReadOnlyList<T>> Read<T>(string sql, object parameter, CancellationToken ct)
    {
        await using var cmd = _dataSource.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = parameter });
        var events = new List<T>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) events.Add(Inboxes.Deserialize<T>(reader.GetString(0), reader.GetString(1)));
        return events;
    }

    private async Task<IReadOnlyList<Guid>> Ids(string sql, object parameter, CancellationToken ct)
    {
        await using var cmd = _dataSource.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = parameter });
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"select count(*) from {_schema}.provision_events");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task PingAsync(CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand("select 1");
        await cmd.ExecuteScalarAsync(ct);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
