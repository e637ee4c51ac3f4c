using System.Text.Json;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.ServiceDefaults.Delivery;
using SocialDomain.Views;

namespace SocialDomain.Projections;

public sealed class PostgresInbox : IInbox, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly TimeProvider _clock;
    private readonly SignalOptions _options;
    private readonly GroupCommit<IProvisionEvent> _writer;
    private readonly GroupCommit<IHouseholdEvent> _householdWriter;

    public PostgresInbox(string connectionString, string schema, TimeProvider clock, SignalOptions options)
    {
        _dataSource = NpgsqlDataSource.Create(PostgresConnections.Tuned(connectionString, autoPrepare: false));
        (_schema, _clock, _options) = (schema, clock, options);
        // Two transactions at a time: PostgreSQL works on one group while the next is gathered and sent. They are safe
        // side by side as two instances' are (locks taken in one order, see Views), and the events are inserted in id
        // order, so two groups that hold the same redelivered events wait for each other instead of deadlocking.
        _writer = new GroupCommit<IProvisionEvent>(Write, writers: 2);
        // A municipality's membership load arrives as thousands of household events at once: they share commits as
        // provision events do.
        _householdWriter = new GroupCommit<IHouseholdEvent>(WriteHouseholds, writers: 2);
    }

    public async Task<bool> InitializeAsync(CancellationToken ct = default)
    {
        await using (var conn = await _dataSource.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
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
                create index if not exists provision_events_provision on {_schema}.provision_events (provision_id);
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
                create table if not exists {_schema}.provision_timelines (
                    provision_id uuid primary key,
                    bsn text not null,
                    data jsonb not null
                );
                create index if not exists provision_timelines_bsn on {_schema}.provision_timelines (bsn);
                create table if not exists {_schema}.household_list (
                    household_id uuid primary key,
                    gemeente text not null,
                    wijk text,
                    gestapeld boolean not null,
                    signalen integer not null,
                    geldig_tot date,
                    data jsonb not null,
                    state text
                );
                -- Views of version 1 had no state; the rebuild to version 2 fills it.
                alter table {_schema}.household_list add column if not exists state text;
                create index if not exists household_list_order on {_schema}.household_list (gemeente, signalen desc, household_id desc);
                create index if not exists household_list_wijk on {_schema}.household_list (gemeente, wijk, signalen desc, household_id desc);
                create index if not exists household_list_gestapeld on {_schema}.household_list (gemeente, signalen desc, household_id desc) where gestapeld;
                create index if not exists household_list_geldig_tot on {_schema}.household_list (geldig_tot) where geldig_tot is not null;
                create index if not exists household_list_regisseur on {_schema}.household_list (gemeente, ((data -> 'relations') ->> 'regisseur'));
                -- Spread over shards as the progress is (one picked at random per transaction), so a busy gemeente's rows are not
                -- one queue for every transaction that adds a household to it.
                create table if not exists {_schema}.household_list_counts (
                    gemeente text not null,
                    wijk text not null,
                    gestapeld boolean not null,
                    met_signalen boolean not null,
                    shard smallint not null,
                    n bigint not null,
                    primary key (gemeente, wijk, gestapeld, met_signalen, shard)
                );
                create table if not exists {_schema}.view_progress (
                    view text not null,
                    shard smallint not null,
                    version integer not null,
                    applied bigint not null,
                    updated_at timestamptz not null default now(),
                    primary key (view, shard)
                );
                """, conn, tx);
            await cmd.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }
        if (await ProgressAsync(ct) is { Version: ViewMaintenance.Version }) return false;
        await RebuildAsync(ct);
        return true;
    }

    public Task<bool> RecordAsync(IProvisionEvent @event, CancellationToken ct = default) => _writer.Add(@event, ct);

    private Task<bool[]> Write(IReadOnlyList<IProvisionEvent> events) => WriteGroup(events,
        $"""
        insert into {_schema}.provision_events (event_id, bsn, provision_id, law, stream_version, type, data)
        select * from unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::bigint[], $6::text[], $7::jsonb[])
        """,
        [
            events.Select(e => e.EventId).ToArray(), events.Select(e => e.Bsn.Value).ToArray(),
            events.Select(e => e.ProvisionId).ToArray(), events.Select(e => e.Law.ToString()).ToArray(),
            events.Select(e => e.StreamVersion).ToArray(), events.Select(e => e.GetType().Name).ToArray(),
            events.Select(e => JsonSerializer.Serialize(e, e.GetType(), EventSerializer.Json)).ToArray(),
        ],
        (views, added) => ViewMaintenance.ApplyAsync(views, added, [], Today(), _options));

    public Task<bool> RecordHouseholdAsync(IHouseholdEvent @event, CancellationToken ct = default) => _householdWriter.Add(@event, ct);

    private Task<bool[]> WriteHouseholds(IReadOnlyList<IHouseholdEvent> events) => WriteGroup(events,
        $"""
        insert into {_schema}.household_events (event_id, household_id, bsn, gemeente, type, data)
        select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
        """,
        [
            events.Select(e => e.EventId).ToArray(), events.Select(e => e.HouseholdId).ToArray(),
            events.Select(e => Inboxes.MemberOf(e)?.Value).ToArray(), events.Select(e => e.Gemeente.Value).ToArray(),
            events.Select(e => e.GetType().Name).ToArray(),
            events.Select(e => JsonSerializer.Serialize(e, e.GetType(), EventSerializer.Json)).ToArray(),
        ],
        (views, added) => ViewMaintenance.ApplyAsync(views, [], added, Today(), _options));

    /// <summary>
    /// One group commit: inserts the events into the inbox (<paramref name="insert"/> of the arrays in
    /// <paramref name="columns"/>), applies the new ones to the views, and commits.
    /// </summary>
    private async Task<bool[]> WriteGroup<T>(IReadOnlyList<T> events, string insert, object[] columns, Func<Views, List<T>, Task> apply)
        where T : IIntegrationEvent
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        // In event-id order, so two groups that hold the same redelivered events wait for each other instead of deadlocking.
        await using var cmd = new NpgsqlCommand($"{insert} order by 1 on conflict (event_id) do nothing returning event_id", conn, tx);
        foreach (var column in columns) cmd.Parameters.Add(new NpgsqlParameter { Value = column });
        var inserted = new HashSet<Guid>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) inserted.Add(reader.GetGuid(0));
        // The same event twice in one group: only its first occurrence is new.
        var added = events.Select(e => inserted.Remove(e.EventId)).ToArray();
        await apply(new Views(conn, tx, _schema), [.. events.Where((_, i) => added[i])]);
        await tx.CommitAsync();
        return added;
    }

    public async Task<IReadOnlyList<ProvisionTimeline>> TimelinesAsync(IReadOnlyCollection<Bsn> persons, CancellationToken ct = default)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        return await new Views(conn, null, _schema).TimelinesAsync(persons);
    }

    public Task<IReadOnlyList<IProvisionEvent>> ReadPersonAsync(Bsn bsn, CancellationToken ct = default) =>
        Read<IProvisionEvent>($"select type, data::text from {_schema}.provision_events where bsn = $1", bsn.Value, ct);

    public Task<IReadOnlyList<IHouseholdEvent>> ReadHouseholdAsync(Guid householdId, CancellationToken ct = default) =>
        Read<IHouseholdEvent>($"select type, data::text from {_schema}.household_events where household_id = $1", householdId, ct);

    public async Task<HouseholdState?> HouseholdStateAsync(Guid householdId, CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"select state from {_schema}.household_list where household_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = householdId });
        return await cmd.ExecuteScalarAsync(ct) is string state ? HouseholdState.FromJson(state) : null;
    }

    public Task<IReadOnlyList<Guid>> HouseholdsOfAsync(Bsn bsn, CancellationToken ct = default) =>
        Ids($"select distinct household_id from {_schema}.household_events where bsn = $1", bsn.Value, ct);

    public async Task<HouseholdListPage> ListAsync(HouseholdListQuery query, CancellationToken ct = default)
    {
        await RefreshAsync(query.Gemeente, ct);
        var where = $"""
            gemeente = $1 and ($2::boolean is null or gestapeld = $2) and (not $3 or signalen > 0) and ($4::text is null or wijk = $4)
            and ($5::text is null or ((data -> 'relations') ->> 'regisseur') = $5)
            """;
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        var page = new NpgsqlBatchCommand($"""
            select data::text from {_schema}.household_list
            where {where} and ($6::integer is null or (signalen, household_id) < ($6, $7))
            order by signalen desc, household_id desc
            offset $8 limit $9
            """);
        // The counts are kept per gemeente, wijk and flags, not per regisseur; one regisseur's households are few to count.
        // Both commands take the same five parameters, so each names all five.
        var count = new NpgsqlBatchCommand(query.Regisseur is not null
            ? $"select count(*) from {_schema}.household_list where {where}"
            : $"""
                select coalesce(sum(n), 0)::bigint from {_schema}.household_list_counts
                where gemeente = $1 and ($2::boolean is null or gestapeld = $2) and (not $3 or met_signalen) and ($4::text is null or wijk = $4)
                  and $5::text is null
                """);
        foreach (var command in new[] { page, count })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = query.Gemeente.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = query.Gestapeld is { } g ? g : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean });
            command.Parameters.Add(new NpgsqlParameter { Value = query.AlleenSignalen });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Wijk ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Regisseur ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        }
        page.Parameters.Add(new NpgsqlParameter { Value = query.Na is { } na ? na.Signalen : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        page.Parameters.Add(new NpgsqlParameter { Value = query.Na is { } after ? after.HouseholdId : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        page.Parameters.Add(new NpgsqlParameter { Value = query.Skip });
        page.Parameters.Add(new NpgsqlParameter { Value = query.Take });
        batch.BatchCommands.Add(page);
        if (query.Na is null) batch.BatchCommands.Add(count);
        var entries = new List<HouseholdListEntry>();
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) entries.Add(JsonSerializer.Deserialize<HouseholdListEntry>(reader.GetString(0), EventSerializer.Json)!);
        if (query.Na is not null) return new HouseholdListPage(entries, null);
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return new HouseholdListPage(entries, (int)reader.GetInt64(0));
    }

    public async Task<IReadOnlyList<HouseholdListEntry>> EntriesAsync(IReadOnlyCollection<Guid> households, CancellationToken ct = default)
    {
        if (households.Count == 0) return [];
        var ids = households.ToArray();
        await RecomputeAsync(await Ids($"select household_id from {_schema}.household_list where household_id = any($1) and geldig_tot <= $2::date",
            [ids, Today()], ct), ct);
        await using var cmd = _dataSource.CreateCommand($"select data::text from {_schema}.household_list where household_id = any($1)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = ids });
        var entries = new List<HouseholdListEntry>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) entries.Add(JsonSerializer.Deserialize<HouseholdListEntry>(reader.GetString(0), EventSerializer.Json)!);
        return entries;
    }

    public async Task RefreshAsync(Gemeentecode? gemeente, CancellationToken ct = default) =>
        await RecomputeAsync(await Ids($"""
            select household_id from {_schema}.household_list where geldig_tot <= $1::date and ($2::text is null or gemeente = $2)
            """, [Today(), (object?)gemeente?.Value ?? DBNull.Value], ct), ct);

    /// <summary>Recomputes the entries the date has overtaken.</summary>
    private async Task RecomputeAsync(IReadOnlyList<Guid> stale, CancellationToken ct)
    {
        foreach (var chunk in stale.Chunk(1000))
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            await ViewMaintenance.RefreshAsync(new Views(conn, tx, _schema), chunk, Today(), _options);
            await tx.CommitAsync(ct);
        }
    }

    public async Task<ViewProgress?> ProgressAsync(CancellationToken ct = default)
    {
        await using var cmd = _dataSource.CreateCommand($"""
            select min(version), sum(applied)::bigint, max(updated_at) from {_schema}.view_progress where view = $1 having count(*) > 0
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = ViewMaintenance.Name });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new ViewProgress(reader.GetInt32(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2)) : null;
    }

    /// <summary>The tables the views are kept in; a rebuild fills new ones of the same shape and swaps them in.</summary>
    private static readonly string[] ViewTables = ["provision_timelines", "household_list", "household_list_counts"];

    /// <summary>
    /// Folds every view again from the inbox into new tables, in one transaction, and swaps them in at its end. New
    /// events wait (the inbox is locked against writes, and against a second rebuild); readers keep reading the old views until the swap, which
    /// waits for the reads under way. The new tables get their indexes first and are loaded with COPY; the inbox is read
    /// and deserialized ahead on a second connection, and folded in batches beside the writing, so reading, folding and
    /// writing run side by side.
    /// </summary>
    public async Task<RebuildResult> RebuildAsync(CancellationToken ct = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var building = _schema + "_rebuild";
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand($"""
            lock table {_schema}.provision_events, {_schema}.household_events in share row exclusive mode;
            -- Many household states are over the size PostgreSQL compresses: lz4, where the server has it, takes a fraction of
            -- the time of the default (pglz). Values keep the method they were written with, so later writes may use either.
            select set_config('default_toast_compression', 'lz4', true) from pg_settings
            where name = 'default_toast_compression' and 'lz4' = any(enumvals);
            drop schema if exists {building} cascade;
            create schema {building};
            {string.Concat(ViewTables.Select(t => $"create table {building}.{t} (like {_schema}.{t} including defaults);\n"))}
            """, conn, tx))
            await cmd.ExecuteNonQueryAsync(ct);
        // The old tables' indexes, made on the new ones before loading (a primary key as a unique index, then made the key):
        // built after loading, each index would be written and synced to disk on its own at the end, while COPY keeps them
        // up to date on the side as the rows arrive, in order of the primary key.
        var indexes = new List<(string Table, string Name, string Definition, bool Primary)>();
        await using (var cmd = new NpgsqlCommand("""
            select i.tablename, i.indexname, i.indexdef, c.contype is not null
            from pg_indexes i left join pg_constraint c on c.conname = i.indexname and c.contype = 'p' and c.connamespace = $1::regnamespace
            where i.schemaname = $1 and i.tablename = any($2)
            """, conn, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = _schema });
            cmd.Parameters.Add(new NpgsqlParameter { Value = ViewTables });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) indexes.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));
        }

        var indexing = new System.Text.StringBuilder();
        foreach (var index in indexes)
        {
            indexing.Append(index.Definition.Replace($" ON {_schema}.{index.Table} ", $" ON {building}.{index.Table} ", StringComparison.Ordinal)).Append(";\n");
            if (index.Primary) indexing.Append($"alter table {building}.{index.Table} add constraint {index.Name} primary key using index {index.Name};\n");
        }
        await using (var cmd = new NpgsqlCommand(indexing.ToString(), conn, tx))
            await cmd.ExecuteNonQueryAsync(ct);

        // The lock keeps the inbox as it is, so a second connection reads exactly what this transaction sees.
        await using var source = await _dataSource.OpenConnectionAsync(ct);
        var (byProvision, byHousehold) = InboxToFold(source, _schema, ct);
        var counts = await ViewMaintenance.RebuildAsync(new Rebuild(conn, tx, building, _schema), byProvision, byHousehold, Today(), _options);

        await using (var cmd = new NpgsqlCommand($"""
            drop table {string.Join(", ", ViewTables.Select(t => $"{_schema}.{t}"))};
            {string.Concat(ViewTables.Select(t => $"alter table {building}.{t} set schema {_schema};\n"))}
            drop schema {building};
            """, conn, tx))
            await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return new RebuildResult(counts.Events, counts.Households, System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The inbox as a rebuild folds it: the provision events by provision, then the household events by household.</summary>
    internal static (IAsyncEnumerable<IProvisionEvent> ByProvision, IAsyncEnumerable<IHouseholdEvent> ByHousehold) InboxToFold(
        NpgsqlConnection source, string schema, CancellationToken ct) =>
        (ReadAhead<IProvisionEvent>(source, $"select type, data::text from {schema}.provision_events order by provision_id", ct),
            ReadAhead<IHouseholdEvent>(source, $"select type, data::text from {schema}.household_events order by household_id", ct));

    /// <summary>
    /// The events a query returns, read ahead (a bounded number of chunks) and each chunk deserialized on the thread
    /// pool, so that the caller folds and writes while the next events arrive and are deserialized.
    /// </summary>
    private static async IAsyncEnumerable<T> ReadAhead<T>(NpgsqlConnection conn, string sql,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        const int chunk = 512;
        var channel = Channel.CreateBounded<Task<T[]>>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = Task.Run(async () =>
        {
            Exception? failed = null;
            try
            {
                await using var cmd = new NpgsqlCommand(sql, conn);
                await using var reader = await cmd.ExecuteReaderAsync(stop.Token);
                var rows = new List<(string Type, byte[] Data)>(chunk);
                while (await reader.ReadAsync(stop.Token))
                {
                    rows.Add((reader.GetString(0), reader.GetFieldValue<byte[]>(1)));
                    if (rows.Count < chunk) continue;
                    await channel.Writer.WriteAsync(Deserialize(rows), stop.Token);
                    rows = new List<(string, byte[])>(chunk);
                }
                if (rows.Count > 0) await channel.Writer.WriteAsync(Deserialize(rows), stop.Token);
            }
            catch (Exception ex)
            {
                failed = ex;
            }
            channel.Writer.Complete(failed);
        }, CancellationToken.None);
        try
        {
            await foreach (var events in channel.Reader.ReadAllAsync(ct))
                foreach (var e in await events) yield return e;
        }
        finally
        {
            // A caller that stops early (its writing failed) stops the reading too, before the connection goes away.
            await stop.CancelAsync();
            await reading;
        }

        static Task<T[]> Deserialize(List<(string Type, byte[] Data)> rows) =>
            Task.Run(() => rows.Select(r => Inboxes.Deserialize<T>(r.Type, r.Data)).ToArray());
    }

    private static async Task<IReadOnlyList<Guid>> Ids(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    private async Task<IReadOnlyList<T>> Read<T>(string sql, object parameter, CancellationToken ct)
    {
        await using var cmd = _dataSource.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = parameter });
        var events = new List<T>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) events.Add(Inboxes.Deserialize<T>(reader.GetString(0), reader.GetString(1)));
        return events;
    }

    private Task<IReadOnlyList<Guid>> Ids(string sql, object parameter, CancellationToken ct) => Ids(sql, [parameter], ct);

    private async Task<IReadOnlyList<Guid>> Ids(string sql, object[] parameters, CancellationToken ct)
    {
        await using var cmd = _dataSource.CreateCommand(sql);
        foreach (var parameter in parameters) cmd.Parameters.Add(new NpgsqlParameter { Value = parameter });
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

    private DateOnly Today() => Inboxes.Today(_clock);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>The views in PostgreSQL, inside one transaction (or none, to read).</summary>
    private sealed class Views(NpgsqlConnection conn, NpgsqlTransaction? tx, string schema) : IViewTransaction
    {
        private const int ProgressShards = 32;

        // Fewer than the progress: a total sums every shard of every key its filter covers (a gemeente: wijken × 4 × shards).
        private const int CountShards = 8;

        // Transaction-level advisory locks, keyed apart from other uses by a prefix, taken in one sorted order.
        public Task LockPersonsAsync(IReadOnlyCollection<Bsn> persons) => Lock("person:", persons.Select(p => p.Value));

        public Task LockHouseholdsAsync(IReadOnlyCollection<Guid> households) => Lock("household:", households.Select(h => h.ToString()));

        private async Task Lock(string prefix, IEnumerable<string> keys)
        {
            var array = keys.Select(k => prefix + k).ToArray();
            if (array.Length == 0) return;
            await Execute("select count(pg_advisory_xact_lock(k)) from (select distinct hashtextextended(x, 0) k from unnest($1::text[]) x order by 1) keys",
                new object[] { array });
        }

        public async Task<IReadOnlyList<IProvisionEvent>> ProvisionEventsAsync(IReadOnlyCollection<Guid> provisionIds) =>
            await Events<IProvisionEvent>($"select type, data::text from {schema}.provision_events where provision_id = any($1)", provisionIds.ToArray());

        public async Task SaveTimelinesAsync(IReadOnlyCollection<Guid> provisionIds, IReadOnlyList<ProvisionTimeline> timelines)
        {
            await Execute($"delete from {schema}.provision_timelines where provision_id = any($1)", provisionIds.ToArray());
            if (timelines.Count == 0) return;
            await Execute($"""
                insert into {schema}.provision_timelines (provision_id, bsn, data)
                select * from unnest($1::uuid[], $2::text[], $3::jsonb[])
                """, timelines.Select(t => t.ProvisionId).ToArray(), timelines.Select(t => t.Bsn.Value).ToArray(),
                timelines.Select(t => JsonSerializer.Serialize(t, EventSerializer.Json)).ToArray());
        }

        public async Task<IReadOnlyList<ProvisionTimeline>> TimelinesAsync(IReadOnlyCollection<Bsn> persons)
        {
            await using var cmd = new NpgsqlCommand($"select data::text from {schema}.provision_timelines where bsn = any($1)", conn, tx);
            cmd.Parameters.Add(new NpgsqlParameter { Value = persons.Select(p => p.Value).ToArray() });
            var timelines = new List<ProvisionTimeline>();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) timelines.Add(JsonSerializer.Deserialize<ProvisionTimeline>(reader.GetString(0), EventSerializer.Json)!);
            return timelines;
        }

        public async Task<IReadOnlyList<Bsn>> MembersAsync(IReadOnlyCollection<Guid> households)
        {
            if (households.Count == 0) return [];
            await using var cmd = new NpgsqlCommand($"select distinct bsn from {schema}.household_events where household_id = any($1) and bsn is not null",
                conn, tx);
            cmd.Parameters.Add(new NpgsqlParameter { Value = households.ToArray() });
            var members = new List<Bsn>();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) members.Add(Bsn.Parse(reader.GetString(0)));
            return members;
        }

        public async Task<IReadOnlyList<Guid>> HouseholdsOfAsync(IReadOnlyCollection<Bsn> persons)
        {
            await using var cmd = new NpgsqlCommand($"select distinct household_id from {schema}.household_events where bsn = any($1)", conn, tx);
            cmd.Parameters.Add(new NpgsqlParameter { Value = persons.Select(p => p.Value).ToArray() });
            var households = new List<Guid>();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) households.Add(reader.GetGuid(0));
            return households;
        }

        public async Task<IReadOnlyList<IHouseholdEvent>> HouseholdEventsAsync(IReadOnlyCollection<Guid> households) =>
            await Events<IHouseholdEvent>($"select type, data::text from {schema}.household_events where household_id = any($1)", households.ToArray());

        public async Task<IReadOnlyDictionary<Guid, ListKey>> ListKeysAsync(IReadOnlyCollection<Guid> households)
        {
            await using var cmd = new NpgsqlCommand($"""
                select household_id, gemeente, coalesce(wijk, ''), gestapeld, signalen > 0 from {schema}.household_list where household_id = any($1)
                """, conn, tx);
            cmd.Parameters.Add(new NpgsqlParameter { Value = households.ToArray() });
            var keys = new Dictionary<Guid, ListKey>();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                keys[reader.GetGuid(0)] = new ListKey(reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetBoolean(4));
            return keys;
        }

        public Task SaveEntriesAsync(IReadOnlyList<(HouseholdListEntry Entry, HouseholdState State)> entries) => entries.Count == 0
            ? Task.CompletedTask
            : Execute($"""
                insert into {schema}.household_list (household_id, gemeente, wijk, gestapeld, signalen, geldig_tot, data, state)
                select * from unnest($1::uuid[], $2::text[], $3::text[], $4::boolean[], $5::integer[], $6::date[], $7::jsonb[], $8::text[])
                on conflict (household_id) do update set gemeente = excluded.gemeente, wijk = excluded.wijk, gestapeld = excluded.gestapeld,
                    signalen = excluded.signalen, geldig_tot = excluded.geldig_tot, data = excluded.data, state = excluded.state
                """, entries.Select(e => e.Entry.HouseholdId).ToArray(), entries.Select(e => e.Entry.Gemeente.Value).ToArray(),
                entries.Select(e => e.Entry.Wijk).ToArray(), entries.Select(e => e.Entry.Gestapeld).ToArray(),
                entries.Select(e => e.Entry.Signalen.Count).ToArray(), entries.Select(e => e.Entry.GeldigTot).ToArray(),
                entries.Select(e => JsonSerializer.Serialize(e.Entry, EventSerializer.Json)).ToArray(), entries.Select(e => e.State.ToJson()).ToArray());

        public Task AddCountsAsync(IReadOnlyDictionary<ListKey, long> changes)
        {
            if (changes.Count == 0) return Task.CompletedTask;
            var sorted = changes.OrderBy(c => c.Key.Gemeente, StringComparer.Ordinal).ThenBy(c => c.Key.Wijk, StringComparer.Ordinal)
                .ThenBy(c => c.Key.Gestapeld).ThenBy(c => c.Key.MetSignalen).ToArray();
            // In the order given (ordinality), which is the same for every transaction: no two wait on each other's rows.
            return Execute($"""
                insert into {schema}.household_list_counts (gemeente, wijk, gestapeld, met_signalen, shard, n)
                select g, w, s, m, $5, n from unnest($1::text[], $2::text[], $3::boolean[], $4::boolean[], $6::bigint[]) with ordinality as c(g, w, s, m, n, i)
                order by i
                on conflict (gemeente, wijk, gestapeld, met_signalen, shard) do update set n = household_list_counts.n + excluded.n
                """, sorted.Select(c => c.Key.Gemeente).ToArray(), sorted.Select(c => c.Key.Wijk).ToArray(), sorted.Select(c => c.Key.Gestapeld).ToArray(),
                sorted.Select(c => c.Key.MetSignalen).ToArray(), (short)Random.Shared.Next(CountShards), sorted.Select(c => c.Value).ToArray());
        }

        // One row would make every view transaction of every instance wait for the one before it to commit: the count is
        // spread over rows, one picked at random per transaction, and read as their sum.
        public Task RecordProgressAsync(long applied) => Execute($"""
            insert into {schema}.view_progress (view, shard, version, applied) values ($1, $2, $3, $4)
            on conflict (view, shard) do update set applied = view_progress.applied + excluded.applied, updated_at = now()
            """, ViewMaintenance.Name, (short)Random.Shared.Next(ProgressShards), ViewMaintenance.Version, applied);

        private async Task<IReadOnlyList<T>> Events<T>(string sql, Guid[] ids)
        {
            await using var cmd = new NpgsqlCommand(sql, conn, tx);
            cmd.Parameters.Add(new NpgsqlParameter { Value = ids });
            var events = new List<T>();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) events.Add(Inboxes.Deserialize<T>(reader.GetString(0), reader.GetString(1)));
            return events;
        }

        private async Task Execute(string sql, params object?[] parameters)
        {
            await using var cmd = new NpgsqlCommand(sql, conn, tx);
            foreach (var parameter in parameters) cmd.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
            await cmd.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// New, empty view tables in a schema of their own (<paramref name="schema"/>), loaded with COPY inside the rebuild's
    /// transaction; the progress stays in the views' schema (<paramref name="viewSchema"/>).
    /// </summary>
    private sealed class Rebuild(NpgsqlConnection conn, NpgsqlTransaction tx, string schema, string viewSchema) : IViewRebuild
    {
        public async Task WriteTimelinesAsync(IAsyncEnumerable<TimelineRow> timelines)
        {
            await using var copy = await conn.BeginBinaryImportAsync($"copy {schema}.provision_timelines (provision_id, bsn, data) from stdin (format binary)");
            await foreach (var (t, json) in timelines)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(t.ProvisionId, NpgsqlDbType.Uuid);
                await copy.WriteAsync(t.Bsn.Value, NpgsqlDbType.Text);
                await copy.WriteAsync(json, NpgsqlDbType.Jsonb);
            }
            await copy.CompleteAsync();
        }

        public async Task WriteEntriesAsync(IAsyncEnumerable<EntryRow> entries)
        {
            await using var copy = await conn.BeginBinaryImportAsync($"""
                copy {schema}.household_list (household_id, gemeente, wijk, gestapeld, signalen, geldig_tot, data, state) from stdin (format binary)
                """);
            await foreach (var (e, json, state) in entries)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(e.HouseholdId, NpgsqlDbType.Uuid);
                await copy.WriteAsync(e.Gemeente.Value, NpgsqlDbType.Text);
                if (e.Wijk is null) await copy.WriteNullAsync();
                else await copy.WriteAsync(e.Wijk, NpgsqlDbType.Text);
                await copy.WriteAsync(e.Gestapeld, NpgsqlDbType.Boolean);
                await copy.WriteAsync(e.Signalen.Count, NpgsqlDbType.Integer);
                if (e.GeldigTot is not { } until) await copy.WriteNullAsync();
                else await copy.WriteAsync(until, NpgsqlDbType.Date);
                await copy.WriteAsync(json, NpgsqlDbType.Jsonb);
                await copy.WriteAsync(state, NpgsqlDbType.Text);
            }
            await copy.CompleteAsync();
        }

        public async Task AddCountsAsync(IReadOnlyDictionary<ListKey, long> counts)
        {
            await using var cmd = new NpgsqlCommand($"""
                insert into {schema}.household_list_counts (gemeente, wijk, gestapeld, met_signalen, shard, n)
                select g, w, s, m, 0, n from unnest($1::text[], $2::text[], $3::boolean[], $4::boolean[], $5::bigint[]) c(g, w, s, m, n)
                """, conn, tx);
            foreach (var column in new object[]
                     {
                         counts.Keys.Select(k => k.Gemeente).ToArray(), counts.Keys.Select(k => k.Wijk).ToArray(),
                         counts.Keys.Select(k => k.Gestapeld).ToArray(), counts.Keys.Select(k => k.MetSignalen).ToArray(), counts.Values.ToArray(),
                     })
                cmd.Parameters.Add(new NpgsqlParameter { Value = column });
            await cmd.ExecuteNonQueryAsync();
        }

        public async Task ResetProgressAsync(long applied)
        {
            await using var batch = new NpgsqlBatch(conn, tx)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand($"delete from {viewSchema}.view_progress where view = $1") { Parameters = { new() { Value = ViewMaintenance.Name } } },
                    new NpgsqlBatchCommand($"insert into {viewSchema}.view_progress (view, shard, version, applied) values ($1, 0, $2, $3)")
                    {
                        Parameters = { new() { Value = ViewMaintenance.Name }, new() { Value = ViewMaintenance.Version }, new() { Value = applied } },
                    },
                },
            };
            await batch.ExecuteNonQueryAsync();
        }
    }
}
