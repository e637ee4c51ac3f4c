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

    public async Task<IReadOnlyList<IProvisionEvent>> ReadPersonAsync(Bsn bsn, CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"select type, data::text from {_schema}.provision_events where bsn = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = bsn.Value });
        var events = new List<IProvisionEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            events.Add((IProvisionEvent)JsonSerializer.Deserialize(reader.GetString(1), Inboxes.Serializer.TypeOf(reader.GetString(0)), EventSerializer.Json)!);
        return events;
    }

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"select count(*) from {_schema}.provision_events");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
