using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.ServiceDefaults.Delivery;
using SocialDomain.Views;

namespace SocialDomain.Projections;

/// <summary>The inbox and its views in one SQLite file, for the embedded host: one process, so one writer at a time.</summary>
public sealed class SqliteInbox : IInbox
{
    private readonly string _connectionString;
    private readonly TimeProvider _clock;
    private readonly SignalOptions _options;
    private readonly GroupCommit<IProvisionEvent> _writer;
    private readonly GroupCommit<IHouseholdEvent> _householdWriter;

    public SqliteInbox(string connectionString, TimeProvider clock, SignalOptions options)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30 };
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (directory is not null) Directory.CreateDirectory(directory);
        _connectionString = builder.ToString();
        (_clock, _options) = (clock, options);
        _writer = new GroupCommit<IProvisionEvent>(Write);
        _householdWriter = new GroupCommit<IHouseholdEvent>(WriteHouseholds);
    }

    public async Task<bool> InitializeAsync(CancellationToken ct = default)
    {
        await using (var conn = await Open(ct))
        await using (var cmd = conn.CreateCommand())
        {
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
                create index if not exists provision_events_provision on provision_events (provision_id);
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
                create table if not exists provision_timelines (
                    provision_id text primary key,
                    bsn text not null,
                    data text not null
                );
                create index if not exists provision_timelines_bsn on provision_timelines (bsn);
                create table if not exists household_list (
                    household_id text primary key,
                    gemeente text not null,
                    wijk text,
                    gestapeld integer not null,
                    signalen integer not null,
                    geldig_tot text,
                    data text not null,
                    state text
                );
                create index if not exists household_list_order on household_list (gemeente, signalen desc, household_id desc);
                create index if not exists household_list_wijk on household_list (gemeente, wijk, signalen desc, household_id desc);
                create index if not exists household_list_geldig_tot on household_list (geldig_tot) where geldig_tot is not null;
                create index if not exists household_list_regisseur on household_list (gemeente, json_extract(data, '$.relations.regisseur'));
                create table if not exists household_list_counts (
                    gemeente text not null,
                    wijk text not null,
                    gestapeld integer not null,
                    met_signalen integer not null,
                    n integer not null,
                    primary key (gemeente, wijk, gestapeld, met_signalen)
                );
                create table if not exists view_progress (
                    view text primary key,
                    version integer not null,
                    applied integer not null,
                    updated_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                );
                """;
            await cmd.ExecuteNonQueryAsync(ct);
            // Views of version 1 had no state (SQLite has no "add column if not exists"); the rebuild to version 2 fills it.
            cmd.CommandText = "select count(*) from pragma_table_info('household_list') where name = 'state'";
            if ((long)(await cmd.ExecuteScalarAsync(ct))! == 0)
            {
                cmd.CommandText = "alter table household_list add column state text";
                await cmd.ExecuteNonQueryAsync(ct);
            }
        }
        if (await ProgressAsync(ct) is { Version: ViewMaintenance.Version }) return false;
        await RebuildAsync(ct);
        return true;
    }

    public Task<bool> RecordAsync(IProvisionEvent @event, CancellationToken ct = default) => _writer.Add(@event, ct);

    private Task<bool[]> Write(IReadOnlyList<IProvisionEvent> events) => WriteGroup(events,
        """
        insert into provision_events (event_id, bsn, provision_id, law, stream_version, type, data)
        values ($id, $bsn, $provision, $law, $version, $type, $data) on conflict (event_id) do nothing
        """,
        ["$id", "$bsn", "$provision", "$law", "$version", "$type", "$data"],
        e => [e.EventId.ToString(), e.Bsn.Value, e.ProvisionId.ToString(), e.Law.ToString(), e.StreamVersion,
            e.GetType().Name, JsonSerializer.Serialize(e, e.GetType(), EventSerializer.Json)],
        (views, added) => ViewMaintenance.ApplyAsync(views, added, [], Today(), _options));

    public Task<IReadOnlyList<IProvisionEvent>> ReadPersonAsync(Bsn bsn, CancellationToken ct = default) =>
        Read<IProvisionEvent>("select type, data from provision_events where bsn = $p", bsn.Value, ct);

    public Task<bool> RecordHouseholdAsync(IHouseholdEvent @event, CancellationToken ct = default) => _householdWriter.Add(@event, ct);

    private Task<bool[]> WriteHouseholds(IReadOnlyList<IHouseholdEvent> events) => WriteGroup(events,
        """
        insert into household_events (event_id, household_id, bsn, gemeente, type, data)
        values ($id, $household, $bsn, $gemeente, $type, $data) on conflict (event_id) do nothing
        """,
        ["$id", "$household", "$bsn", "$gemeente", "$type", "$data"],
        e => [e.EventId.ToString(), e.HouseholdId.ToString(), (object?)Inboxes.MemberOf(e)?.Value ?? DBNull.Value,
            e.Gemeente.Value, e.GetType().Name, JsonSerializer.Serialize(e, e.GetType(), EventSerializer.Json)],
        (views, added) => ViewMaintenance.ApplyAsync(views, [], added, Today(), _options));

    /// <summary>
    /// One group commit: inserts the events into the inbox one statement each (<paramref name="insert"/>, its
    /// parameters named in <paramref name="parameterNames"/>), applies the new ones to the views, and commits.
    /// </summary>
    private async Task<bool[]> WriteGroup<T>(IReadOnlyList<T> events, string insert, string[] parameterNames, Func<T, object[]> values,
        Func<Views, List<T>, Task> apply)
    {
        await using var conn = await Open(CancellationToken.None);
        await using var tx = conn.BeginTransaction(deferred: false);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = insert;
        var parameters = parameterNames.Select(name => cmd.Parameters.Add(name, SqliteType.Text)).ToArray();
        var added = new bool[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var row = values(events[i]);
            for (var p = 0; p < row.Length; p++) parameters[p].Value = row[p];
            added[i] = await cmd.ExecuteNonQueryAsync() == 1;
        }
        await apply(new Views(conn), [.. events.Where((_, i) => added[i])]);
        await tx.CommitAsync();
        return added;
    }

    public Task<IReadOnlyList<IHouseholdEvent>> ReadHouseholdAsync(Guid householdId, CancellationToken ct = default) =>
        Read<IHouseholdEvent>("select type, data from household_events where household_id = $p", householdId.ToString(), ct);

    public async Task<IReadOnlyList<ProvisionTimeline>> TimelinesAsync(IReadOnlyCollection<Bsn> persons, CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        return await new Views(conn).TimelinesAsync(persons);
    }

    public async Task<HouseholdState?> HouseholdStateAsync(Guid householdId, CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "select state from household_list where household_id = $id";
        cmd.Parameters.AddWithValue("$id", householdId.ToString());
        return await cmd.ExecuteScalarAsync(ct) is string state ? HouseholdState.FromJson(state) : null;
    }

    public async Task<IReadOnlyList<Guid>> HouseholdsOfAsync(Bsn bsn, CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        return await new Views(conn).HouseholdsOfAsync([bsn]);
    }

    public async Task<HouseholdListPage> ListAsync(HouseholdListQuery query, CancellationToken ct = default)
    {
        await RefreshAsync(query.Gemeente, ct);
        const string Where = """
            gemeente = $gemeente and ($gestapeld is null or gestapeld = $gestapeld) and (not $signalen or signalen > 0) and ($wijk is null or wijk = $wijk)
            and ($regisseur is null or json_extract(data, '$.relations.regisseur') = $regisseur)
            """;
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"""
            select data from household_list
            where {Where} and ($na is null or (signalen, household_id) < ($na, $na_id))
            order by signalen desc, household_id desc
            limit $take offset $skip;
            {(query.Na is not null ? "" : query.Regisseur is not null ? $"""
                select count(*) from household_list where {Where};
                """ : """
                select coalesce(sum(n), 0) from household_list_counts
                where gemeente = $gemeente and ($gestapeld is null or gestapeld = $gestapeld) and (not $signalen or met_signalen) and ($wijk is null or wijk = $wijk);
                """)}
            """;
        cmd.Parameters.AddWithValue("$gemeente", query.Gemeente.Value);
        cmd.Parameters.AddWithValue("$gestapeld", query.Gestapeld is { } g ? g : DBNull.Value);
        cmd.Parameters.AddWithValue("$signalen", query.AlleenSignalen);
        cmd.Parameters.AddWithValue("$wijk", (object?)query.Wijk ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$regisseur", (object?)query.Regisseur ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$na", query.Na is { } na ? na.Signalen : DBNull.Value);
        cmd.Parameters.AddWithValue("$na_id", query.Na is { } after ? after.HouseholdId.ToString() : DBNull.Value);
        cmd.Parameters.AddWithValue("$take", query.Take);
        cmd.Parameters.AddWithValue("$skip", query.Skip);
        var entries = new List<HouseholdListEntry>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) entries.Add(JsonSerializer.Deserialize<HouseholdListEntry>(reader.GetString(0), EventSerializer.Json)!);
        if (query.Na is not null) return new HouseholdListPage(entries, null);
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return new HouseholdListPage(entries, reader.GetInt32(0));
    }

    public async Task<IReadOnlyList<HouseholdListEntry>> EntriesAsync(IReadOnlyCollection<Guid> households, CancellationToken ct = default)
    {
        if (households.Count == 0) return [];
        var ids = JsonSerializer.Serialize(households.Select(h => h.ToString()));
        await RecomputeAsync("household_id in (select value from json_each($keys))", ids, ct);
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "select data from household_list where household_id in (select value from json_each($keys))";
        cmd.Parameters.AddWithValue("$keys", ids);
        var entries = new List<HouseholdListEntry>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) entries.Add(JsonSerializer.Deserialize<HouseholdListEntry>(reader.GetString(0), EventSerializer.Json)!);
        return entries;
    }

    public Task RefreshAsync(Gemeentecode? gemeente, CancellationToken ct = default) =>
        RecomputeAsync("($keys is null or gemeente = $keys)", gemeente?.Value, ct);

    /// <summary>Recomputes the entries (among those the condition picks) that the date has overtaken.</summary>
    private async Task RecomputeAsync(string condition, string? keys, CancellationToken ct)
    {
        var today = Today();
        await using var conn = await Open(ct);
        var stale = new List<Guid>();
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = $"select household_id from household_list where geldig_tot <= $today and {condition}";
            cmd.Parameters.AddWithValue("$today", today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$keys", (object?)keys ?? DBNull.Value);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) stale.Add(Guid.Parse(reader.GetString(0)));
        }
        foreach (var chunk in stale.Chunk(1000))
        {
            await using var tx = conn.BeginTransaction(deferred: false);
            await ViewMaintenance.RefreshAsync(new Views(conn), chunk, today, _options);
            await tx.CommitAsync(ct);
        }
    }

    public async Task<ViewProgress?> ProgressAsync(CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "select version, applied, updated_at from view_progress where view = $view";
        cmd.Parameters.AddWithValue("$view", ViewMaintenance.Name);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new ViewProgress(reader.GetInt32(0), reader.GetInt64(1), DateTimeOffset.Parse(reader.GetString(2), System.Globalization.CultureInfo.InvariantCulture))
            : null;
    }

    /// <summary>
    /// Folds every view again in one write transaction: new events wait for it (SQLite has one writer), and readers
    /// keep seeing the old views (write-ahead log) until it commits.
    /// </summary>
    public async Task<RebuildResult> RebuildAsync(CancellationToken ct = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var conn = await Open(ct);
        await using var tx = conn.BeginTransaction(deferred: false);
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "delete from provision_timelines; delete from household_list; delete from household_list_counts;";
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var counts = await ViewMaintenance.RebuildAsync(new Views(conn),
            Events<IProvisionEvent>(conn, "select type, data from provision_events order by provision_id", ct),
            Events<IHouseholdEvent>(conn, "select type, data from household_events order by household_id", ct), Today(), _options);
        await tx.CommitAsync(ct);
        return new RebuildResult(counts.Events, counts.Households, System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    private static async IAsyncEnumerable<T> Events<T>(SqliteConnection conn, string sql,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return Inboxes.Deserialize<T>(reader.GetString(0), reader.GetString(1));
    }

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

    private DateOnly Today() => Inboxes.Today(_clock);

    private async Task<SqliteConnection> Open(CancellationToken ct)
    {
        var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "pragma synchronous = full;";
        await cmd.ExecuteNonQueryAsync(ct);
        return conn;
    }

    /// <summary>
    /// The views in SQLite, on a connection whose write transaction (if any) is already open: SQLite lets one
    /// transaction write at a time, so the locks are not needed.
    /// </summary>
    private sealed class Views(SqliteConnection conn) : IViewTransaction, IViewRebuild
    {
        public Task LockPersonsAsync(IReadOnlyCollection<Bsn> persons) => Task.CompletedTask;

        public Task LockHouseholdsAsync(IReadOnlyCollection<Guid> households) => Task.CompletedTask;

        public Task<IReadOnlyList<IProvisionEvent>> ProvisionEventsAsync(IReadOnlyCollection<Guid> provisionIds) =>
            Events<IProvisionEvent>("select type, data from provision_events where provision_id in (select value from json_each($p))",
                provisionIds.Select(id => id.ToString()));

        public async Task SaveTimelinesAsync(IReadOnlyCollection<Guid> provisionIds, IReadOnlyList<ProvisionTimeline> timelines)
        {
            await using (var delete = Command("delete from provision_timelines where provision_id in (select value from json_each($p))"))
            {
                delete.Parameters.AddWithValue("$p", JsonSerializer.Serialize(provisionIds.Select(id => id.ToString())));
                await delete.ExecuteNonQueryAsync();
            }
            await WriteTimelinesAsync(timelines.Select(t => new TimelineRow(t, JsonSerializer.SerializeToUtf8Bytes(t, EventSerializer.Json)))
                .ToAsyncEnumerable());
        }

        public async Task WriteTimelinesAsync(IAsyncEnumerable<TimelineRow> timelines)
        {
            await using var insert = Command("insert into provision_timelines (provision_id, bsn, data) values ($id, $bsn, $data)");
            var (id, bsn, data) = (insert.Parameters.Add("$id", SqliteType.Text), insert.Parameters.Add("$bsn", SqliteType.Text),
                insert.Parameters.Add("$data", SqliteType.Text));
            await foreach (var (t, json) in timelines)
            {
                (id.Value, bsn.Value, data.Value) = (t.ProvisionId.ToString(), t.Bsn.Value, Encoding.UTF8.GetString(json));
                await insert.ExecuteNonQueryAsync();
            }
        }

        public async Task<IReadOnlyList<ProvisionTimeline>> TimelinesAsync(IReadOnlyCollection<Bsn> persons)
        {
            await using var cmd = Command("select data from provision_timelines where bsn in (select value from json_each($p))");
            cmd.Parameters.AddWithValue("$p", JsonSerializer.Serialize(persons.Select(p => p.Value)));
            var timelines = new List<ProvisionTimeline>();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) timelines.Add(JsonSerializer.Deserialize<ProvisionTimeline>(reader.GetString(0), EventSerializer.Json)!);
            return timelines;
        }

        public async Task<IReadOnlyList<Bsn>> MembersAsync(IReadOnlyCollection<Guid> households) =>
            [.. (await Strings("select distinct bsn from household_events where bsn is not null and household_id in (select value from json_each($p))",
                households.Select(h => h.ToString()))).Select(Bsn.Parse)];

        public async Task<IReadOnlyList<Guid>> HouseholdsOfAsync(IReadOnlyCollection<Bsn> persons) =>
            [.. (await Strings("select distinct household_id from household_events where bsn in (select value from json_each($p))",
                persons.Select(p => p.Value))).Select(Guid.Parse)];

        public Task<IReadOnlyList<IHouseholdEvent>> HouseholdEventsAsync(IReadOnlyCollection<Guid> households) =>
            Events<IHouseholdEvent>("select type, data from household_events where household_id in (select value from json_each($p))",
                households.Select(h => h.ToString()));

        public async Task<IReadOnlyDictionary<Guid, ListKey>> ListKeysAsync(IReadOnlyCollection<Guid> households)
        {
            await using var cmd = Command("""
                select household_id, gemeente, coalesce(wijk, ''), gestapeld, signalen > 0 from household_list
                where household_id in (select value from json_each($p))
                """);
            cmd.Parameters.AddWithValue("$p", JsonSerializer.Serialize(households.Select(h => h.ToString())));
            var keys = new Dictionary<Guid, ListKey>();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                keys[Guid.Parse(reader.GetString(0))] = new ListKey(reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetBoolean(4));
            return keys;
        }

        public Task SaveEntriesAsync(IReadOnlyList<(HouseholdListEntry Entry, HouseholdState State)> entries) =>
            WriteEntriesAsync(entries.Select(e => new EntryRow(e.Entry, JsonSerializer.SerializeToUtf8Bytes(e.Entry, EventSerializer.Json),
                e.State.ToUtf8Json())).ToAsyncEnumerable());

        public async Task WriteEntriesAsync(IAsyncEnumerable<EntryRow> entries)
        {
            await using var cmd = Command("""
                insert into household_list (household_id, gemeente, wijk, gestapeld, signalen, geldig_tot, data, state)
                values ($id, $gemeente, $wijk, $gestapeld, $signalen, $geldig_tot, $data, $state)
                on conflict (household_id) do update set gemeente = excluded.gemeente, wijk = excluded.wijk, gestapeld = excluded.gestapeld,
                    signalen = excluded.signalen, geldig_tot = excluded.geldig_tot, data = excluded.data, state = excluded.state
                """);
            await foreach (var (e, json, state) in entries)
            {
                cmd.Parameters.Clear();
                cmd.Parameters.AddWithValue("$id", e.HouseholdId.ToString());
                cmd.Parameters.AddWithValue("$gemeente", e.Gemeente.Value);
                cmd.Parameters.AddWithValue("$wijk", (object?)e.Wijk ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$gestapeld", e.Gestapeld);
                cmd.Parameters.AddWithValue("$signalen", e.Signalen.Count);
                cmd.Parameters.AddWithValue("$geldig_tot",
                    (object?)e.GeldigTot?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$data", Encoding.UTF8.GetString(json));
                cmd.Parameters.AddWithValue("$state", Encoding.UTF8.GetString(state));
                await cmd.ExecuteNonQueryAsync();
            }
        }

        public async Task AddCountsAsync(IReadOnlyDictionary<ListKey, long> changes)
        {
            await using var cmd = Command("""
                insert into household_list_counts (gemeente, wijk, gestapeld, met_signalen, n) values ($gemeente, $wijk, $gestapeld, $signalen, $n)
                on conflict (gemeente, wijk, gestapeld, met_signalen) do update set n = household_list_counts.n + excluded.n
                """);
            foreach (var (key, n) in changes)
            {
                cmd.Parameters.Clear();
                cmd.Parameters.AddWithValue("$gemeente", key.Gemeente);
                cmd.Parameters.AddWithValue("$wijk", key.Wijk);
                cmd.Parameters.AddWithValue("$gestapeld", key.Gestapeld);
                cmd.Parameters.AddWithValue("$signalen", key.MetSignalen);
                cmd.Parameters.AddWithValue("$n", n);
                await cmd.ExecuteNonQueryAsync();
            }
        }

        public Task RecordProgressAsync(long applied) => Progress("""
            insert into view_progress (view, version, applied) values ($view, $version, $applied)
            on conflict (view) do update set applied = view_progress.applied + excluded.applied,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            """, applied);

        public Task ResetProgressAsync(long applied) => Progress("""
            insert into view_progress (view, version, applied) values ($view, $version, $applied)
            on conflict (view) do update set version = excluded.version, applied = excluded.applied,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            """, applied);

        private async Task Progress(string sql, long applied)
        {
            await using var cmd = Command(sql);
            cmd.Parameters.AddWithValue("$view", ViewMaintenance.Name);
            cmd.Parameters.AddWithValue("$version", ViewMaintenance.Version);
            cmd.Parameters.AddWithValue("$applied", applied);
            await cmd.ExecuteNonQueryAsync();
        }

        private async Task<IReadOnlyList<T>> Events<T>(string sql, IEnumerable<string> keys)
        {
            await using var cmd = Command(sql);
            cmd.Parameters.AddWithValue("$p", JsonSerializer.Serialize(keys));
            var events = new List<T>();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) events.Add(Inboxes.Deserialize<T>(reader.GetString(0), reader.GetString(1)));
            return events;
        }

        private async Task<List<string>> Strings(string sql, IEnumerable<string> keys)
        {
            await using var cmd = Command(sql);
            cmd.Parameters.AddWithValue("$p", JsonSerializer.Serialize(keys));
            var values = new List<string>();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) values.Add(reader.GetString(0));
            return values;
        }

        private SqliteCommand Command(string sql)
        {
            var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            return cmd;
        }
    }
}
