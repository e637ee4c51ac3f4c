using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Projections;
using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Access;
using SocialDomain.Views;

namespace SocialDomain.Benchmarks;

public sealed record ViewLoad(int Households, int MainGemeente, long HouseholdEvents, long ProvisionEvents, int Parallelism, TimeSpan Elapsed, CpuUsage Cpu)
{
    public long Events => HouseholdEvents + ProvisionEvents;
    public double Rate => Events / Elapsed.TotalSeconds;
}

/// <summary>One gemeente-list request, over HTTP and as the raw queries behind it, and the plan PostgreSQL chose for it.</summary>
public sealed record ListCase(string Label, string Query, LatencyResult Http, LatencyResult Raw, LatencyResult RawPageOnly, string Plan);

public sealed record RawRead(long Events, TimeSpan Elapsed, CpuUsage Cpu)
{
    public double Rate => Events / Elapsed.TotalSeconds;
}

/// <param name="FoldAlone">The rebuild's work in this process alone, without its writes: read, deserialize, fold, serialize.</param>
public sealed record ViewRebuild(long Events, int Households, TimeSpan Elapsed, CpuUsage Cpu, IReadOnlyList<RawRead> RawReads, RawRead FoldAlone)
{
    public double Rate => Events / Elapsed.TotalSeconds;
    public Sample Raw => new([.. RawReads.Select(r => r.Rate)]);
    public double Ratio => Rate / Raw.Median;
}

public sealed record ViewsResult(
    ViewLoad Load,
    int ViewTargets,
    LatencyResult HouseholdHttp,
    LatencyResult HouseholdRaw,
    LatencyResult HouseholdRawWithLog,
    string HouseholdPlan,
    IReadOnlyList<ListCase> Lists,
    LatencyResult Lag,
    LatencyResult? BrokerLatency,
    ViewRebuild Rebuild);

/// <summary>
/// The persisted views of the projection on PostgreSQL with a large gemeente in them: loading them through the inbox,
/// reading them over HTTP from a running projection host at a fixed offered rate, the lag from an event's delivery
/// to its view, and a rebuild; each beside the raw PostgreSQL (or RabbitMQ) doing the same work in the same run.
/// </summary>
public sealed class ViewsBenchmark(string postgres, Uri rabbitMq, BenchmarkOptions options, TextWriter log)
{
    private const string Schema = ProjectionsService.Name;

    /// <summary>HTTP connections of the load generator to the host.</summary>
    public const int HttpConnections = 128;

    /// <summary>
    /// Npgsql's pool size for the host's data sources and for the raw baselines alike: both queue beyond it. Below the
    /// default of 100 because the host has two data sources (inbox, access log) and the PostgreSQL server is shared.
    /// </summary>
    public const int PoolSize = 50;
    private static readonly string SigningKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));

    private readonly List<(Guid Id, Gemeentecode Gemeente, WijkCode Wijk, Bsn[] Members, string? Regisseur)> _households = [];

    public async Task<ViewsResult> RunAsync(CancellationToken ct)
    {
        // The end-to-end part's projection used the same schema in this database: in a full run its inbox (820,000
        // events of other persons in the last one) was still there, so the views were loaded, read and rebuilt on top of it.
        await using (var admin = NpgsqlDataSource.Create(postgres))
            await Execute(admin, $"drop schema if exists {Schema} cascade", ct);
        var inbox = (PostgresInbox)Inboxes.Create(new EventStoreSettings(StoreProvider.Postgres, postgres, Schema));
        await using var _ = inbox;
        var load = await LoadAsync(inbox, ct);
        // The loader's 64 idle connections would only take server slots from the host from now on.
        NpgsqlConnection.ClearAllPools();
        var pooled = new NpgsqlConnectionStringBuilder(postgres) { MaxPoolSize = PoolSize }.ConnectionString;
        await using var raw = NpgsqlDataSource.Create(pooled);
        await Execute(raw, $"vacuum analyze {Schema}.household_list; vacuum analyze {Schema}.household_events; vacuum analyze {Schema}.provision_timelines", ct);

        var (app, address) = await StartHostAsync(pooled, ct);
        LatencyResult http, rawGet, rawGetWithLog, lag;
        LatencyResult? broker = null;
        string householdPlan;
        var lists = new List<ListCase>();
        List<Guid> targets;
        try
        {
            // Connections are capped as a real client or proxy caps them; a request beyond the cap waits for one, and that
            // wait counts in its latency (from its scheduled start), so nothing is hidden. Without the cap a slow moment
            // opens a connection per request until the system runs out of file handles.
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = HttpConnections, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
            {
                BaseAddress = address,
                Timeout = TimeSpan.FromSeconds(30),
            };
            // The household view as its regisseur reads it: households of the large gemeente that have one.
            var withRegisseur = _households.Where(h => h.Regisseur is not null && h.Gemeente == ViewPopulation.Main).ToList();
            targets = [.. withRegisseur.Select(h => h.Id)];
            var tokens = Enumerable.Range(0, ViewPopulation.Regisseurs).ToDictionary(ViewPopulation.RegisseurId,
                n => Tokens.Issue(SigningKey, ViewPopulation.RegisseurId(n), Roles.Regisseur, ViewPopulation.Main.Value, TimeSpan.FromHours(2)));
            var rng = new Random(5);
            var order = Enumerable.Range(0, (int)(options.ViewGetRate * (options.ViewGetDuration.TotalSeconds + 10)))
                .Select(_ => withRegisseur[rng.Next(withRegisseur.Count)]).ToArray();

            Task Get(int i, CancellationToken c)
            {
                var h = order[i % order.Length];
                return Send(client, $"{HostingExtensions.BasePath}/households/{h.Id}", tokens[h.Regisseur!], c);
            }
            Task RawGet(int i, CancellationToken c) => RawHousehold(raw, order[i % order.Length].Id, null, c);
            Task RawGetWithLog(int i, CancellationToken c)
            {
                var h = order[i % order.Length];
                return RawHousehold(raw, h.Id, h.Regisseur, c);
            }

            log.WriteLine($"views: household view GET, {withRegisseur.Count:N0} households with a regisseur; warm-up");
            await OpenLoop.RunAsync("warm-up", options.ViewGetRate, TimeSpan.FromSeconds(5), Get, ct);
            await OpenLoop.RunAsync("warm-up", options.ViewGetRate, TimeSpan.FromSeconds(3), RawGet, ct);
            http = await Measure("household view over HTTP", options.ViewGetRate, options.ViewGetDuration, Get, ct);
            rawGet = await Measure("raw PostgreSQL, the state by id", options.ViewGetRate, options.ViewGetDuration, RawGet, ct);
            rawGetWithLog = await Measure("raw PostgreSQL, the state by id + access-log insert", options.ViewGetRate, options.ViewGetDuration, RawGetWithLog, ct);
            householdPlan = await Explain(raw, $"select state from {Schema}.household_list where household_id = '{targets[0]}'", ct);

            lists.AddRange(await ListCasesAsync(client, raw, ct));
            lag = await LagAsync(app, ct);
            broker = await RawBrokerLatency.MeasureAsync(rabbitMq, options.LagRate, options.LagDuration, log, ct);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }

        var rebuild = await RebuildAsync(inbox, raw, ct);
        return new ViewsResult(load, targets.Count, http, rawGet, rawGetWithLog, householdPlan, lists, lag, broker, rebuild);
    }

    /// <summary>Every household's events through the inbox API, many households at once so the provision events commit in groups.</summary>
    private async Task<ViewLoad> LoadAsync(PostgresInbox inbox, CancellationToken ct)
    {
        var count = options.ViewHouseholds;
        log.WriteLine($"views: loading {count:N0} households through the inbox ({options.ViewLoadParallelism} at once)");
        await inbox.InitializeAsync(ct);
        var bsns = ViewPopulation.Bsns(count * 4);
        var generated = new (Guid, Gemeentecode, WijkCode, Bsn[], string?)[count];
        long householdEvents = 0, provisionEvents = 0;
        var next = -1;
        var cpu = CpuSample.Start();
        var clock = Stopwatch.StartNew();
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var h = ViewPopulation.Household(i, n => bsns[n]);
                foreach (var e in h.HouseholdEvents) await inbox.RecordHouseholdAsync(e, ct);
                await Task.WhenAll(h.ProvisionEvents.Select(e => inbox.RecordAsync(e, ct)));
                Interlocked.Add(ref householdEvents, h.HouseholdEvents.Count);
                Interlocked.Add(ref provisionEvents, h.ProvisionEvents.Count);
                generated[i] = (h.Id, h.Gemeente, h.Wijk, [.. h.Members], h.Regisseur);
                if ((i + 1) % 10_000 == 0)
                    log.WriteLine($"  {i + 1:N0} households, {Format.Rate((Interlocked.Read(ref householdEvents) + Interlocked.Read(ref provisionEvents)) / clock.Elapsed.TotalSeconds)} events/s");
            }
        }
        await Task.WhenAll(Enumerable.Range(0, options.ViewLoadParallelism).Select(_ => Task.Run(Worker, ct)));
        var result = new ViewLoad(count, generated.Count(g => g.Item2 == ViewPopulation.Main), householdEvents, provisionEvents,
            options.ViewLoadParallelism, clock.Elapsed, cpu.Stop());
        _households.AddRange(generated);
        log.WriteLine($"  loaded {result.Events:N0} events ({result.HouseholdEvents:N0} household, {result.ProvisionEvents:N0} provision) in " +
                      $"{Format.Seconds(result.Elapsed)}: {Format.Rate(result.Rate)} events/s; {result.Cpu}");
        return result;
    }

    private static async Task<(WebApplication App, Uri Address)> StartHostAsync(string postgres, CancellationToken ct)
    {
        var app = ProjectionsService.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production", "--Auth:SigningKey", SigningKey],
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Store:Provider"] = "Postgres",
                ["Bus:Transport"] = "InMemory",
                ["ConnectionStrings:Postgres"] = postgres,
                ["Logging:LogLevel:Default"] = "Warning",
            }));
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return (app, new Uri(address));
    }

    private async Task<LatencyResult> Measure(string label, double rate, TimeSpan duration, Func<int, CancellationToken, Task> request,
        CancellationToken ct)
    {
        var result = await OpenLoop.RunAsync(label, rate, duration, request, ct);
        log.WriteLine($"  {result}");
        return result;
    }

    private static async Task Send(HttpClient client, string path, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add(AccessExtensions.DoelbindingHeader, "benchmark");
        using var response = await client.SendAsync(request, ct);
        await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{path}: {(int)response.StatusCode}");
    }

    /// <summary>
    /// The read the household view makes, without the service around it: the household's state (its events and its
    /// members' timelines, kept with its list entry) by id, on a connection from the pool as the inbox does; with a
    /// regisseur, also the access-log row the endpoint writes for every answered read.
    /// </summary>
    private static async Task RawHousehold(NpgsqlDataSource raw, Guid household, string? reader, CancellationToken ct)
    {
        await using (var state = raw.CreateCommand($"select state from {Schema}.household_list where household_id = $1"))
        {
            state.Parameters.Add(new NpgsqlParameter { Value = household });
            _ = ((string)(await state.ExecuteScalarAsync(ct))!).Length;
        }
        if (reader is null) return;
        await using var access = raw.CreateCommand($"""
            insert into {Schema}.access_log (at, user_id, role, service, resource, bsn, household_id, doelbinding, uitkomst)
            values (now(), $1, 'regisseur', 'bench', $2, null, $3, 'benchmark', 'toegestaan')
            """);
        foreach (var value in new object[] { reader, $"households/{household}", household }) access.Parameters.Add(new NpgsqlParameter { Value = value });
        await access.ExecuteNonQueryAsync(ct);
    }

    private async Task<IReadOnlyList<ListCase>> ListCasesAsync(HttpClient client, NpgsqlDataSource raw, CancellationToken ct)
    {
        var teamleider = Tokens.Issue(SigningKey, "teamleider-bench", Roles.Teamleider, ViewPopulation.Main.Value, TimeSpan.FromHours(2));
        var gemeente = ViewPopulation.Main;
        var depth = Math.Min(50_000, _households.Count(h => h.Gemeente == gemeente) / 2);
        // The cursor a client holds after paging down to that depth, as the list hands it out (signals:household id).
        HouseholdListCursor deep;
        await using (var cmd = raw.CreateCommand($"""
            select signalen, household_id from {Schema}.household_list where gemeente = $1 order by signalen desc, household_id desc offset $2 limit 1
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = gemeente.Value });
            cmd.Parameters.Add(new NpgsqlParameter { Value = depth - 1 });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            deep = new HouseholdListCursor(reader.GetInt32(0), reader.GetGuid(1));
        }
        var cursor = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.ASCII.GetBytes($"{deep.Signalen}:{deep.HouseholdId:N}"));
        var wijk = ViewPopulation.WijkOf(gemeente, 1).Value;
        var path = $"{HostingExtensions.BasePath}/gemeenten/{gemeente}/households";
        (string Label, string Query, HouseholdListQuery Raw)[] cases =
        [
            ("first page", "", new(gemeente, null, false, null, null, 0, 21)),
            ($"a deep page by cursor ({depth:N0} entries down)", $"?cursor={cursor}", new(gemeente, null, false, null, deep, 0, 21)),
            ($"filtered: gestapeld=true, wijk={wijk}", $"?gestapeld=true&wijk={wijk}", new(gemeente, true, false, wijk, null, 0, 21)),
        ];
        var results = new List<ListCase>();
        foreach (var (label, query, rawQuery) in cases)
        {
            log.WriteLine($"views: gemeente list, {label}; warm-up");
            Task Http(int _, CancellationToken c) => Send(client, path + query, teamleider, c);
            Task Raw(int _, CancellationToken c) => RawList(raw, rawQuery, withCount: true, c);
            Task PageOnly(int _, CancellationToken c) => RawList(raw, rawQuery, withCount: false, c);
            await OpenLoop.RunAsync("warm-up", options.ListRate, TimeSpan.FromSeconds(3), Http, ct);
            var http = await Measure($"list, {label}, over HTTP", options.ListRate, options.ListDuration, Http, ct);
            var rawResult = await Measure($"list, {label}, raw PostgreSQL (refresh check, page + count)", options.ListRate, options.ListDuration, Raw, ct);
            var pageOnly = await Measure($"list, {label}, raw PostgreSQL, page alone", options.ListRate, options.ListDuration, PageOnly, ct);
            results.Add(new ListCase(label, query, http, rawResult, pageOnly, await ExplainList(raw, rawQuery, ct)));
        }
        return results;
    }

    private const string ListWhere = """
        gemeente = $1 and ($2::boolean is null or gestapeld = $2) and (not $3 or signalen > 0) and ($4::text is null or wijk = $4)
        """;

    private static readonly string PageSql = $"""
        select data::text from {Schema}.household_list
        where {ListWhere} and ($5::integer is null or (signalen, household_id) < ($5, $6))
        order by signalen desc, household_id desc
        offset $7 limit $8
        """;

    private static readonly string CountSql = $"""
        select coalesce(sum(n), 0)::bigint from {Schema}.household_list_counts
        where gemeente = $1 and ($2::boolean is null or gestapeld = $2) and (not $3 or met_signalen) and ($4::text is null or wijk = $4)
        """;

    /// <summary>What <c>PostgresInbox.ListAsync</c> sends: the check for entries the date made stale, then page and count in one batch.</summary>
    private static async Task RawList(NpgsqlDataSource raw, HouseholdListQuery query, bool withCount, CancellationToken ct)
    {
        await using var conn = await raw.OpenConnectionAsync(ct);
        if (withCount)
        {
            await using var stale = new NpgsqlCommand($"""
                select household_id from {Schema}.household_list where geldig_tot <= $1::date and ($2::text is null or gemeente = $2)
                """, conn);
            stale.Parameters.Add(new NpgsqlParameter { Value = DateOnly.FromDateTime(DateTime.Today) });
            stale.Parameters.Add(new NpgsqlParameter { Value = query.Gemeente.Value });
            await using var rows = await stale.ExecuteReaderAsync(ct);
            while (await rows.ReadAsync(ct)) _ = rows.GetGuid(0);
        }
        await using var batch = new NpgsqlBatch(conn);
        foreach (var sql in withCount ? new[] { PageSql, CountSql } : [PageSql])
        {
            var command = new NpgsqlBatchCommand(sql);
            AddListParameters(command.Parameters, query, page: sql == PageSql);
            batch.BatchCommands.Add(command);
        }
        await using var reader = await batch.ExecuteReaderAsync(ct);
        do
        {
            while (await reader.ReadAsync(ct)) _ = reader.GetValue(0);
        }
        while (await reader.NextResultAsync(ct));
    }

    private static void AddListParameters(NpgsqlParameterCollection parameters, HouseholdListQuery query, bool page)
    {
        parameters.Add(new NpgsqlParameter { Value = query.Gemeente.Value });
        parameters.Add(new NpgsqlParameter { Value = query.Gestapeld is { } g ? g : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean });
        parameters.Add(new NpgsqlParameter { Value = query.AlleenSignalen });
        parameters.Add(new NpgsqlParameter { Value = (object?)query.Wijk ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        if (!page) return;
        parameters.Add(new NpgsqlParameter { Value = query.Na is { } na ? na.Signalen : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter { Value = query.Na is { } after ? after.HouseholdId : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter { Value = query.Skip });
        parameters.Add(new NpgsqlParameter { Value = query.Take });
    }

    private static async Task<string> ExplainList(NpgsqlDataSource raw, HouseholdListQuery query, CancellationToken ct)
    {
        var plans = new List<string>();
        foreach (var sql in new[] { PageSql, CountSql })
        {
            await using var cmd = raw.CreateCommand("explain (analyze, buffers, costs off) " + sql);
            AddListParameters(cmd.Parameters, query, page: sql == PageSql);
            plans.Add(await ReadPlan(cmd, ct));
        }
        return string.Join("\n", plans);
    }

    private static async Task<string> Explain(NpgsqlDataSource raw, string sql, CancellationToken ct)
    {
        await using var cmd = raw.CreateCommand("explain (analyze, buffers, costs off) " + sql);
        return await ReadPlan(cmd, ct);
    }

    private static async Task<string> ReadPlan(NpgsqlCommand cmd, CancellationToken ct)
    {
        var lines = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) lines.Add(reader.GetString(0));
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>
    /// New provision starts for members of the loaded households, published on the host's in-memory bus at a fixed
    /// rate; each counts as applied when the projection's consumer has finished with it, which is after the inbox
    /// transaction that changed its views committed.
    /// </summary>
    private async Task<LatencyResult> LagAsync(WebApplication app, CancellationToken ct)
    {
        var bus = app.Services.GetRequiredService<IBusControl>();
        var observer = new AppliedObserver();
        using var handle = bus.ConnectConsumeObserver(observer);
        var rng = new Random(11);
        Task Offer(int i, CancellationToken c)
        {
            var h = _households[rng.Next(_households.Count)];
            var e = ViewPopulation.NewStart(rng, h.Gemeente, h.Members[rng.Next(h.Members.Length)]);
            var applied = observer.Expect(e.EventId);
            return Task.WhenAll(bus.Publish(e, c), applied);
        }
        log.WriteLine($"views: projection lag at {Format.Rate(options.LagRate)} events/s offered on the in-memory bus; warm-up");
        await OpenLoop.RunAsync("warm-up", options.LagRate, TimeSpan.FromSeconds(3), Offer, ct);
        return await Measure("lag, publish → applied in the views", options.LagRate, options.LagDuration, Offer, ct);
    }

    private sealed class AppliedObserver : IConsumeObserver
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, TaskCompletionSource> _waiting = new();

        public Task Expect(Guid eventId)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting[eventId] = done;
            return done.Task;
        }

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (context.Message is IProvisionEvent e && _waiting.TryRemove(e.EventId, out var done)) done.TrySetResult();
            return Task.CompletedTask;
        }

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
        {
            if (context.Message is IProvisionEvent e && _waiting.TryRemove(e.EventId, out var done)) done.TrySetException(exception);
            return Task.CompletedTask;
        }
    }

    /// <summary>The rebuild of every view, between two raw reads of the inbox it reads.</summary>
    private async Task<ViewRebuild> RebuildAsync(PostgresInbox inbox, NpgsqlDataSource raw, CancellationToken ct)
    {
        log.WriteLine("views: rebuild of all views, between two raw reads of the inbox");
        var reads = new List<RawRead> { await RawReadAsync(raw, ct) };
        var cpu = CpuSample.Start();
        var result = await inbox.RebuildAsync(ct);
        var usage = cpu.Stop();
        log.WriteLine($"  rebuild: {result.Events:N0} events, {result.Households:N0} households in {Format.Seconds(result.Duration)}: " +
                      $"{Format.Rate(result.Events / result.Duration.TotalSeconds)} events/s; {usage}");
        reads.Add(await RawReadAsync(raw, ct));
        var rebuild = new ViewRebuild(result.Events, result.Households, result.Duration, usage, reads, await FoldAloneAsync(raw, ct));
        log.WriteLine($"  rebuild / raw read: {Format.Percent(rebuild.Ratio)}");
        return rebuild;
    }

    /// <summary>
    /// The rebuild's own work without its writes, to tell the two apart: <see cref="ViewMaintenance.RebuildAsync"/> on
    /// the inbox read as the rebuild reads it, into views that take every row (folded and serialized) and drop it.
    /// </summary>
    private async Task<RawRead> FoldAloneAsync(NpgsqlDataSource raw, CancellationToken ct)
    {
        var cpu = CpuSample.Start();
        var clock = Stopwatch.StartNew();
        await using var conn = await raw.OpenConnectionAsync(ct);
        var (byProvision, byHousehold) = PostgresInbox.InboxToFold(conn, Schema, ct);
        var (events, _) = await ViewMaintenance.RebuildAsync(new DroppedViews(), byProvision, byHousehold, Inboxes.Today(TimeProvider.System),
            new SignalOptions());
        var fold = new RawRead(events, clock.Elapsed, cpu.Stop());
        log.WriteLine($"  what-if, the rebuild's fold alone (no writes): {Format.Rate(fold.Rate)} events/s; {fold.Cpu}");
        return fold;
    }

    /// <summary>Views that take what a rebuild writes and keep nothing.</summary>
    private sealed class DroppedViews : IViewRebuild
    {
        public async Task WriteTimelinesAsync(IAsyncEnumerable<TimelineRow> timelines)
        {
            await foreach (var _ in timelines) { }
        }

        public async Task WriteEntriesAsync(IAsyncEnumerable<EntryRow> entries)
        {
            await foreach (var _ in entries) { }
        }

        public Task AddCountsAsync(IReadOnlyDictionary<ListKey, long> counts) => Task.CompletedTask;

        public Task ResetProgressAsync(long applied) => Task.CompletedTask;
    }

    /// <summary>What the rebuild reads, read raw: every provision event in provision order, then every household event, as text.</summary>
    private async Task<RawRead> RawReadAsync(NpgsqlDataSource raw, CancellationToken ct)
    {
        var cpu = CpuSample.Start();
        var clock = Stopwatch.StartNew();
        long events = 0;
        await using var conn = await raw.OpenConnectionAsync(ct);
        foreach (var sql in new[] { $"select type, data::text from {Schema}.provision_events order by provision_id", $"select type, data::text from {Schema}.household_events" })
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                _ = reader.GetString(0).Length + reader.GetString(1).Length;
                events++;
            }
        }
        var read = new RawRead(events, clock.Elapsed, cpu.Stop());
        log.WriteLine($"  raw read: {events:N0} events in {Format.Seconds(read.Elapsed)}: {Format.Rate(read.Rate)} events/s; {read.Cpu}");
        return read;
    }

    private static async Task Execute(NpgsqlDataSource raw, string sql, CancellationToken ct)
    {
        foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await using var cmd = raw.CreateCommand(statement);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}
