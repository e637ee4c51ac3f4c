using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace SocialDomain.EventStore;

/// <summary>
/// The event store on PostgreSQL, one schema per owning service.
/// <para>
/// Why the log is ordered by (transaction id, position) and not by position alone: a position comes from a
/// sequence when the row is inserted, long before its transaction commits. Two writers can take positions 6 and 7,
/// and the one holding 7 can commit first. A reader that had already moved its checkpoint past 7 would never see 6.
/// So every row also records the id of the transaction that wrote it, and a reader only looks at rows of
/// transactions older than the oldest one still running (<c>pg_snapshot_xmin</c>). Those transactions have all
/// ended, so no row can ever appear before a position a reader has passed. The price: a long-running transaction
/// anywhere on the server delays (never breaks) the log until it ends.
/// </para>
/// </summary>
public sealed partial class PostgresEventStore : IEventStore, IParkedEvents, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    /// <summary>The append's statement by [one event alone, expected versions to check, tags to store].</summary>
    private readonly string[,,] _insert = new string[2, 2, 2];

    public PostgresEventStore(string connectionString, string schema)
    {
        if (!SchemaName().IsMatch(schema))
            throw new ArgumentException("A schema name is lower-case letters, digits and underscores.", nameof(schema));
        _schema = schema;
        foreach (var single in new[] { false, true })
            foreach (var checks in new[] { false, true })
                foreach (var tags in new[] { false, true })
                    _insert[single ? 1 : 0, checks ? 1 : 0, tags ? 1 : 0] = InsertSql(single, checks, tags);
        _dataSource = NpgsqlDataSource.Create(PostgresConnections.Tuned(connectionString, autoPrepare: true));
    }

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Several instances of a service may start at once; CREATE ... IF NOT EXISTS alone still races on the catalog.
        await Execute(conn, $"select pg_advisory_xact_lock(hashtext('{_schema}.schema'))", ct);
        await Execute(conn, EventsTable(_schema) + $"""
            create table if not exists {_schema}.checkpoints (
                name text primary key,
                transaction_id bigint not null,
                position bigint not null,
                updated_at timestamptz not null default now()
            );
            create table if not exists {_schema}.parked_events (
                event_id uuid primary key references {_schema}.events (event_id),
                reason text not null,
                parked_at timestamptz not null default now()
            );
            """ + TagsTable(_schema), ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The streams' tags (<see cref="StreamAppend.Tags"/>), as the store creates them: also for the benchmarks' raw inserts.</summary>
    public static string TagsTable(string schema) => $"""
        create table if not exists {schema}.stream_tags (
            tag text not null,
            stream_id text not null,
            primary key (tag, stream_id)
        );
        """;

    /// <summary>
    /// The schema and the events table with its keys and index, as the store creates them: for benchmarks that
    /// compare the store with raw inserts into the very same table.
    /// </summary>
    public static string EventsTable(string schema)
    {
        if (!SchemaName().IsMatch(schema))
            throw new ArgumentException("A schema name is lower-case letters, digits and underscores.", nameof(schema));
        return $"""
            create schema if not exists {schema};
            create table if not exists {schema}.events (
                position bigint generated always as identity primary key,
                transaction_id bigint not null default (pg_current_xact_id()::text::bigint),
                event_id uuid not null,
                stream_id text not null,
                version bigint not null,
                type text not null,
                data jsonb not null,
                metadata jsonb not null,
                created_at timestamptz not null default now(),
                constraint events_event_id_key unique (event_id),
                constraint events_stream_version_key unique (stream_id, version)
            );
            create index if not exists events_log_order on {schema}.events (transaction_id, position);

            """;
    }

    /// <summary>
    /// From this many events on, an append goes in by binary COPY: at 5,000 and 20,000 rows, as a municipality's bulk
    /// load sends them, twice the rate of the one INSERT ... FROM unnest or more (docs/benchmarks.md (c)). Below it the
    /// INSERT's single round trip (COPY takes four) matters more than the rate.
    /// </summary>
    public const int CopyFrom = 1_000;

    public async Task AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct = default)
    {
        var count = appends.Sum(a => a.Events.Count);
        using var activity = StoreTelemetry.StartAppend(_schema, count);
        if (count >= CopyFrom)
        {
            await CopyAsync(appends, ct);
            StoreTelemetry.Appended(_schema, count);
            return;
        }
        var ids = new Guid[count];
        var streams = new string[count];
        var versions = new long[count];
        var types = new string[count];
        var data = new string[count];
        var metadata = new string[count];
        var i = 0;
        foreach (var append in appends)
        {
            Streams.Validate(append);
            var version = append.ExpectedVersion;
            foreach (var e in append.Events)
            {
                ids[i] = e.EventId;
                streams[i] = append.StreamId;
                versions[i] = ++version;
                types[i] = e.Type;
                data[i] = e.Data;
                metadata[i] = e.Metadata;
                i++;
            }
        }
        var existing = appends.Where(a => a.ExpectedVersion > 0).ToArray();
        var tags = appends.SelectMany(a => (a.Tags ?? []).Select(t => (Tag: t, a.StreamId))).ToArray();
        var single = count == 1;

        // One statement in its own (implicit) transaction: one round trip, prepared after its second use (see the
        // constructor), typed parameters. A version already taken fails on the unique key; the other way to be wrong,
        // expecting more events than a stream has, would leave a hole in its versions, so then nothing is inserted.
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(_insert[single ? 1 : 0, existing.Length > 0 ? 1 : 0, tags.Length > 0 ? 1 : 0], conn);
        if (single)
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = ids[0], NpgsqlDbType = NpgsqlDbType.Uuid });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streams[0], NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = versions[0], NpgsqlDbType = NpgsqlDbType.Bigint });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = types[0], NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = data[0], NpgsqlDbType = NpgsqlDbType.Jsonb });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = metadata[0], NpgsqlDbType = NpgsqlDbType.Jsonb });
            if (tags.Length > 0)
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. tags.Select(t => t.Tag)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        }
        else
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = streams, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = versions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = types, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = metadata, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            if (existing.Length > 0)
            {
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. existing.Select(a => a.StreamId)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                cmd.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. existing.Select(a => a.ExpectedVersion)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            }
            if (tags.Length > 0)
            {
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. tags.Select(t => t.Tag)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. tags.Select(t => t.StreamId)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            }
        }
        try
        {
            if (await cmd.ExecuteNonQueryAsync(ct) == count)
            {
                StoreTelemetry.Appended(_schema, count);
                return;
            }
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "events_stream_version_key" })
        {
            throw await VersionTaken(conn, appends, ex, ct);
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "events_event_id_key" })
        {
            throw new DuplicateEventException(ex);
        }
        var behind = await StreamBehindExpectedVersion(conn, existing, ct) ?? existing[0];
        throw new WrongExpectedVersionException(behind.StreamId, behind.ExpectedVersion);
    }

    /// <summary>
    /// A large append in one transaction: first whether every existing stream is at its expected version (it cannot go
    /// back, since events are never removed), then the events by binary COPY, where a version another writer took
    /// meanwhile fails on the unique key as in the INSERT, then the tags, of which a stream may have some already.
    /// </summary>
    private async Task CopyAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct)
    {
        foreach (var append in appends) Streams.Validate(append);
        var existing = appends.Where(a => a.ExpectedVersion > 0).ToArray();
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            if (existing.Length > 0 && await StreamBehindExpectedVersion(conn, existing, ct) is { } behind)
                throw new WrongExpectedVersionException(behind.StreamId, behind.ExpectedVersion);
            try
            {
                await using (var events = await conn.BeginBinaryImportAsync(
                                 $"copy {_schema}.events (event_id, stream_id, version, type, data, metadata) from stdin (format binary)", ct))
                {
                    foreach (var append in appends)
                    {
                        var version = append.ExpectedVersion;
                        foreach (var e in append.Events)
                        {
                            await events.StartRowAsync(ct);
                            await events.WriteAsync(e.EventId, NpgsqlDbType.Uuid, ct);
                            await events.WriteAsync(append.StreamId, NpgsqlDbType.Text, ct);
                            await events.WriteAsync(++version, NpgsqlDbType.Bigint, ct);
                            await events.WriteAsync(e.Type, NpgsqlDbType.Text, ct);
                            await events.WriteAsync(e.Data, NpgsqlDbType.Jsonb, ct);
                            await events.WriteAsync(e.Metadata, NpgsqlDbType.Jsonb, ct);
                        }
                    }
                    await events.CompleteAsync(ct);
                }
                var tags = appends.SelectMany(a => (a.Tags ?? []).Select(t => (Tag: t, a.StreamId))).ToArray();
                if (tags.Length > 0)
                {
                    await using var tagging = new NpgsqlCommand(
                        $"insert into {_schema}.stream_tags (tag, stream_id) select * from unnest($1::text[], $2::text[]) on conflict do nothing", conn, tx);
                    tagging.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. tags.Select(t => t.Tag)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                    tagging.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. tags.Select(t => t.StreamId)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                    await tagging.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                return;
            }
            catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "events_event_id_key" })
            {
                throw new DuplicateEventException(ex);
            }
            catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "events_stream_version_key" })
            {
                await tx.RollbackAsync(CancellationToken.None);
                throw await VersionTaken(conn, appends, ex, ct);
            }
        }
    }

    /// <summary>
    /// The append as one statement. The tags go in from a data-modifying CTE of the same statement, so they commit or
    /// fail with the events; both inserts test the same expected versions, as the CTE cannot see whether the events went in.
    /// One event alone (most appends of the API) binds plain values: no arrays to build, send and unnest.
    /// </summary>
    private string InsertSql(bool single, bool atExpectedVersions, bool tagged)
    {
        var atVersions = !atExpectedVersions ? "" : single
            ? $"""

                where exists (select 1 from {_schema}.events e where e.stream_id = $2 and e.version = $3 - 1)
                """
            : $"""

                where not exists (
                    select 1 from unnest($7::text[], $8::bigint[]) as x(stream_id, version)
                    where not exists (select 1 from {_schema}.events e where e.stream_id = x.stream_id and e.version = x.version))
                """;
        var taggedRows = single
            ? "select t, $2 from unnest($7::text[]) as t"
            : atExpectedVersions ? "select * from unnest($9::text[], $10::text[])" : "select * from unnest($7::text[], $8::text[])";
        var tagging = tagged ? $"""
            with tagged as (
                insert into {_schema}.stream_tags (tag, stream_id)
                {taggedRows}{atVersions}
                on conflict do nothing)

            """ : "";
        var rows = single ? "select $1, $2, $3, $4, $5, $6" : "select * from unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::jsonb[], $6::jsonb[])";
        return tagging + $"""
            insert into {_schema}.events (event_id, stream_id, version, type, data, metadata)
            {rows}
            """ + atVersions;
    }

    /// <summary>The first of the streams that has not got the event its append expects to be its last.</summary>
    private async Task<StreamAppend?> StreamBehindExpectedVersion(NpgsqlConnection conn, IReadOnlyList<StreamAppend> existing, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            select x.n from unnest($1::text[], $2::bigint[]) with ordinality as x(stream_id, version, n)
            where not exists (select 1 from {_schema}.events e where e.stream_id = x.stream_id and e.version = x.version)
            order by x.n
            limit 1
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = existing.Select(a => a.StreamId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = existing.Select(a => a.ExpectedVersion).ToArray() });
        return await cmd.ExecuteScalarAsync(ct) is long n ? existing[(int)n - 1] : null;
    }

    /// <summary>
    /// The concurrency error for a version another writer took. The database error's Detail names the key, but Npgsql
    /// redacts it unless the connection string says "Include Error Detail". A unique violation is only raised once the
    /// conflicting row is committed, so it is visible now: ask which stream has moved past its expected version.
    /// </summary>
    private async Task<WrongExpectedVersionException> VersionTaken(NpgsqlConnection conn, IReadOnlyList<StreamAppend> appends,
        PostgresException error, CancellationToken ct)
    {
        var stream = await StreamPastExpectedVersion(conn, appends, ct) ?? appends[0];
        return new WrongExpectedVersionException(stream.StreamId, stream.ExpectedVersion, error);
    }

    private async Task<StreamAppend?> StreamPastExpectedVersion(NpgsqlConnection conn, IReadOnlyList<StreamAppend> appends, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            select x.n from unnest($1::text[], $2::bigint[]) with ordinality as x(stream_id, version, n)
            where exists (select 1 from {_schema}.events e where e.stream_id = x.stream_id and e.version > x.version)
            order by x.n
            limit 1
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = appends.Select(a => a.StreamId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = appends.Select(a => a.ExpectedVersion).ToArray() });
        return await cmd.ExecuteScalarAsync(ct) is long n ? appends[(int)n - 1] : null;
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"""
            select {Columns} from {_schema}.events where stream_id = $1 order by version
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = streamId });
        return await ReadEvents(cmd, ct);
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadStreamsAsync(IReadOnlyCollection<string> streamIds, CancellationToken ct = default)
    {
        // One index lookup per stream. Not "where stream_id = any($1)": given a few thousand streams the planner expects
        // thousands of rows and scans the whole table instead, a cost that grows with the store. The lookups' estimated
        // cost grows with the number of streams too, and past jit_above_cost PostgreSQL would spend longer compiling the
        // query than running it, so JIT is off for this one transaction (docs/benchmarks.md, bulk ingest).
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(conn, tx);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("set local jit = off"));
        // No ORDER BY over the whole answer: Streams.Group puts each stream in version order, and sorting thousands of
        // events with their JSON spilled to disk past work_mem (docs/benchmarks.md, ingest cost as the store grows).
        // OFFSET 0 keeps the lateral subquery from being flattened into a plain join: flattened, the planner chose for a
        // table of some 100,000 records a scan of the whole table, sorted and merge-joined (7,500 streams: 680 ms against
        // 140 ms for the lookups), a cost that grows with the store.
        batch.BatchCommands.Add(Command($"""
            select e.* from unnest($1::text[]) as s(id)
            cross join lateral (select {Columns} from {_schema}.events x where x.stream_id = s.id offset 0) as e
            """, (object)streamIds.Distinct().ToArray()));
        IReadOnlyList<StoredEvent> events;
        // The reader skips the SET, which returns no rows.
        await using (var reader = await batch.ExecuteReaderAsync(ct))
            events = await ReadEvents(reader, ct);
        await tx.CommitAsync(ct);
        return Streams.Group(events);
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadTaggedStreamsAsync(string tag, CancellationToken ct = default)
    {
        // OFFSET 0, as in ReadStreamsAsync: one index lookup per tagged stream, never a scan of the events.
        await using var cmd = _dataSource.CreateCommand($"""
            select e.* from {_schema}.stream_tags t
            cross join lateral (select {Columns} from {_schema}.events x where x.stream_id = t.stream_id offset 0) as e
            where t.tag = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tag });
        return Streams.Group(await ReadEvents(cmd, ct));
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadAllAsync(LogPosition after, int max, CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"""
            select {Columns} from {_schema}.events
            where (transaction_id, position) > ($1, $2)
              and transaction_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
            order by transaction_id, position
            limit $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = after.TransactionId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = after.Sequence });
        cmd.Parameters.Add(new NpgsqlParameter { Value = max });
        return await ReadEvents(cmd, ct);
    }

    public async Task<LogPosition> ReadCheckpointAsync(string name, CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"select transaction_id, position from {_schema}.checkpoints where name = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new LogPosition(reader.GetInt64(0), reader.GetInt64(1)) : LogPosition.Start;
    }

    /// <summary>
    /// Moves the checkpoint forward only: a relay that lost its leadership in the middle of a round, or any late
    /// writer, cannot take it back over positions another instance already published.
    /// </summary>
    public async Task SaveCheckpointAsync(string name, LogPosition position, CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"""
            insert into {_schema}.checkpoints (name, transaction_id, position) values ($1, $2, $3)
            on conflict (name) do update set transaction_id = excluded.transaction_id, position = excluded.position, updated_at = now()
            where (checkpoints.transaction_id, checkpoints.position) < (excluded.transaction_id, excluded.position)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = position.TransactionId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = position.Sequence });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task ParkAsync(StoredEvent stored, string reason, CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"""
            insert into {_schema}.parked_events (event_id, reason) values ($1, $2) on conflict (event_id) do nothing
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = stored.EventId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = reason });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<ParkedEvent>> ReadParkedAsync(CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"""
            select {Columns}, p.reason, p.parked_at from {_schema}.parked_events p join {_schema}.events using (event_id)
            order by transaction_id, position
            """);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var parked = new List<ParkedEvent>();
        while (await reader.ReadAsync(ct))
            parked.Add(new ParkedEvent(new StoredEvent(
                reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), new LogPosition(reader.GetInt64(7), reader.GetInt64(8))),
                reader.GetString(9), reader.GetFieldValue<DateTimeOffset>(10)));
        return parked;
    }

    public async Task UnparkAsync(Guid eventId, CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"delete from {_schema}.parked_events where event_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = eventId });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private const string Columns = "event_id, stream_id, version, type, data::text, metadata::text, created_at, transaction_id, position";

    private static async Task<IReadOnlyList<StoredEvent>> ReadEvents(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await ReadEvents(reader, ct);
    }

    private static async Task<IReadOnlyList<StoredEvent>> ReadEvents(NpgsqlDataReader reader, CancellationToken ct)
    {
        var events = new List<StoredEvent>();
        while (await reader.ReadAsync(ct))
            events.Add(new StoredEvent(
                reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), new LogPosition(reader.GetInt64(7), reader.GetInt64(8))));
        return events;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var value in values) cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        return cmd;
    }

    private static async Task Execute(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
