using System.Text.Json;
using Npgsql;
using SocialDomain.Contracts;
using SocialDomain.EventStore;

namespace SocialDomain.Projections;

public sealed class PostgresInbox(string connectionString, string schema) : IInbox, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            select pg_advisory_xact_lock(hashtext('{schema}.schema'));
            create schema if not exists {schema};
            create table if not exists {schema}.provision_events (
                event_id uuid primary key,
                bsn text not null,
                provision_id uuid not null,
                law text not null,
                stream_version bigint not null,
                type text not null,
                data jsonb not null,
                received_at timestamptz not null default now()
            );
            create index if not exists provision_events_bsn on {schema}.provision_events (bsn);
            """, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task<bool> RecordAsync(IProvisionEvent @event, CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"""
            insert into {schema}.provision_events (event_id, bsn, provision_id, law, stream_version, type, data)
            values ($1, $2, $3, $4, $5, $6, $7::jsonb) on conflict (event_id) do nothing
            """);
        foreach (var value in new object[]
                 {
                     @event.EventId, @event.Bsn.Value, @event.ProvisionId, @event.Law.ToString(), @event.StreamVersion,
                     @event.GetType().Name, JsonSerializer.Serialize(@event, @event.GetType(), EventSerializer.Json),
                 })
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<IReadOnlyList<IProvisionEvent>> ReadPersonAsync(Bsn bsn, CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"select type, data::text from {schema}.provision_events where bsn = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = bsn.Value });
        var events = new List<IProvisionEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            events.Add((IProvisionEvent)JsonSerializer.Deserialize(reader.GetString(1), Inboxes.Serializer.TypeOf(reader.GetString(0)), EventSerializer.Json)!);
        return events;
    }

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"select count(*) from {schema}.provision_events");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
