using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Jeugdwet;
using SocialDomain.Population;
using SocialDomain.Projections;
using SocialDomain.Provisions;
using SocialDomain.Relay;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.Benchmarks;

/// <summary>One batch through the law service's batch path, split as the store probe sees it, in microseconds per record.</summary>
public sealed record GrowthRun(double Read, double Decide, double Append, double Raw)
{
    public double Service => Read + Decide + Append;
}

/// <summary>
/// The repetitions at one fill level: <paramref name="Stored"/> records already in the store when the first was sent;
/// <paramref name="Load"/> the machine's 1-minute load average after its repetitions (mean); <paramref name="Server"/> what
/// PostgreSQL did meanwhile (null on SQLite).
/// </summary>
public sealed record GrowthLevel(long Stored, IReadOnlyList<GrowthRun> Runs, double Load = 0, ServerWork? Server = null)
{
    public Sample Service => new([.. Runs.Select(r => r.Service)]);
    public Sample Raw => new([.. Runs.Select(r => r.Raw)]);
    public Sample ServiceToRaw => new([.. Runs.Select(r => r.Service / r.Raw)]);
    public double Median(Func<GrowthRun, double> f) => new Sample([.. Runs.Select(f)]).Median;
}

/// <summary>
/// What the PostgreSQL server did during a level's measured batches, service and raw together, per record sent: bytes of
/// write-ahead log, of which full-page images (the first change of a page after a checkpoint logs the whole page), buffers
/// a backend had to write out itself to make room (shared_buffers full of dirty pages), and checkpoints begun.
/// </summary>
public sealed record ServerWork(double WalBytes, double FullPageImages, double BackendWrites, long Checkpoints)
{
    private const string Query = """
        select w.wal_bytes::float8, w.wal_fpi, b.buffers_backend, b.checkpoints_timed + b.checkpoints_req
        from pg_stat_wal w, pg_stat_bgwriter b
        """;

    public static async Task<(double, long, long, long)> Counters(NpgsqlDataSource source, CancellationToken ct)
    {
        await using var cmd = source.CreateCommand(Query);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetDouble(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>The counters' growth over the given intervals, per record sent in them.</summary>
    public static ServerWork Sum(IEnumerable<((double Wal, long Fpi, long Backend, long Checkpoints) From, (double Wal, long Fpi, long Backend, long Checkpoints) To)> intervals,
        long records)
    {
        var all = intervals.ToList();
        return new(all.Sum(i => i.To.Wal - i.From.Wal) / records, (double)all.Sum(i => i.To.Fpi - i.From.Fpi) / records,
            (double)all.Sum(i => i.To.Backend - i.From.Backend) / records, all.Sum(i => i.To.Checkpoints - i.From.Checkpoints));
    }
}

/// <summary>
/// One store's curve: its levels, and the cost of every fill batch on the way (records stored before it, µs per record,
/// the machine's 1-minute load average after it).
/// </summary>
public sealed record GrowthCurve(string Store, IReadOnlyList<GrowthLevel> Levels, IReadOnlyList<(long Stored, double PerStart, double Load)> Fill);

public sealed record GrowthResult(int BatchStarts, int FillBatchStarts, IReadOnlyList<GrowthCurve> Curves);

/// <summary>
/// Whether ingest slows as the store grows. The Jeugdwet law service's batch path (<see cref="ProvisionService.Process"/>
/// with all-or-nothing, as POST /provisions/batch calls it: validate, read the streams, decide, one multi-stream append)
/// on a real store, SQLite file and PostgreSQL, filled through that same path to each level (10,000, 100,000 and 1,000,000
/// records); at each level, in turns, batches through the service and the rows the service would write for another such
/// batch inserted raw into the same table. Every batch has the same mix (see <see cref="Batch"/>), so each level's work is
/// the same and only the store's size differs. The embedded host is measured the same way over HTTP (<see cref="Embedded"/>).
/// </summary>
public sealed class IngestGrowthBenchmark(string postgres, BenchmarkOptions options, TextWriter log)
{
    private const string SchemaPrefix = "bench_growth_";
    private const string WarmUpSchema = "bench_growth_warm_up";
    private static readonly LawDefinition Law = JeugdwetLaw.Definition;
    private static readonly string[] Categorieen = ["45", "41", "43", "54", "32", "35"];

    // BSNs below the 999 test range: this benchmark writes only into a database and a file it creates and removes.
    private readonly SyntheticBsn _clients = new(beyondTestRange: true);
    private readonly Random _random = new(12);
    // What the store being written holds (each level of a curve has a store of its own).
    private Contents _contents = new();
    private int _nextToewijzing;

    public async Task<GrowthResult> RunAsync(CancellationToken ct)
    {
        var curves = new List<GrowthCurve>();
        if (options.GrowthStores.Contains("sqlite"))
        {
            var directory = Directory.CreateTempSubdirectory("sdp-growth-");
            try
            {
                var warmUp = Path.Combine(directory.FullName, "warm-up.db");
                await WarmUp(new SqliteEventStore($"Data Source={warmUp}"), new SqliteRaw(warmUp), ct);
                curves.Add(await Curve("SQLite", level =>
                {
                    var file = Path.Combine(directory.FullName, $"jeugdwet-{level}.db");
                    return Task.FromResult<(IEventStore, IRawInsert)>((new SqliteEventStore($"Data Source={file}"), new SqliteRaw(file)));
                }, null, ct));
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                directory.Delete(recursive: true);
            }
        }
        if (options.GrowthStores.Contains("postgres"))
        {
            await using var source = NpgsqlDataSource.Create(postgres);
            await Drop(source, WarmUpSchema, ct);
            await using (var warmUpStore = new PostgresEventStore(postgres, WarmUpSchema))
            await using (var warmUpRaw = new PostgresRaw(postgres, WarmUpSchema))
                await WarmUp(warmUpStore, warmUpRaw, ct);
            await Drop(source, WarmUpSchema, ct);
            var opened = new List<IAsyncDisposable>();
            try
            {
                curves.Add(await Curve("PostgreSQL", async level =>
                {
                    var schema = $"{SchemaPrefix}{level}";
                    await Drop(source, schema, ct);
                    var store = new PostgresEventStore(postgres, schema);
                    var raw = new PostgresRaw(postgres, schema);
                    opened.AddRange([store, raw]);
                    return (store, raw);
                }, source, ct));
            }
            finally
            {
                foreach (var o in opened) await o.DisposeAsync();
            }
        }
        if (options.GrowthStores.Contains("embedded")) curves.Add(await Embedded(ct));
        return new GrowthResult(options.GrowthBatch, options.GrowthFillBatch, curves);
    }

    /// <summary>
    /// The embedded host as <c>dotnet run --project services/Embedded</c> runs it (SQLite files, in-memory bus, every
    /// relay and the projection in one process), called over HTTP: POST /api/v1/jeugdwet/provisions/batch. The time of a
    /// batch is its request's latency; after each level's batches the projection is let catch up before the next fill,
    /// and how far it lagged (events published but not yet applied) is logged.
    /// </summary>
    private async Task<GrowthCurve> Embedded(CancellationToken ct)
    {
        Forget();
        var directory = Directory.CreateTempSubdirectory("sdp-growth-embedded-");
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var app = SocialDomain.Embedded.EmbeddedHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production", "--Auth:SigningKey", key,
            "--Store:DataDirectory", directory.FullName, "--Limits:JsonBodyBytes", "67108864", "--RateLimiting:WritesPerMinute", "1000000",
            "--Logging:LogLevel:Default", "Warning"]);
        await app.StartAsync(ct);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(10) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                Tokens.Issue(key, "bench", Roles.Beheerder, null, TimeSpan.FromHours(4)));
            var relay = app.Services.GetRequiredKeyedService<EventRelay>(Law.Service);
            var projection = app.Services.GetRequiredService<ProjectionMetrics>();
            async Task<double> Post(int size)
            {
                var batch = Batch(size);
                var body = new BatchRequest([.. batch.Select(c => c switch
                {
                    StartCommand start => new BatchRecord("start", c.Key.Bsn, c.Key.Gemeente, c.Key.Productcategorie, c.Key.ProductCode,
                        c.Key.ToewijzingNummer, c.Key.Begindatum, start.Geboortedatum, null, null),
                    StopCommand stop => new BatchRecord("stop", c.Key.Bsn, c.Key.Gemeente, c.Key.Productcategorie, c.Key.ProductCode,
                        c.Key.ToewijzingNummer, c.Key.Begindatum, null, stop.Einddatum, stop.RedenBeeindiging),
                    _ => throw new InvalidOperationException(),
                })]);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync("/api/v1/jeugdwet/provisions/batch", body, ct);
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                Stored(batch);
                return Stopwatch.GetElapsedTime(started).TotalMicroseconds / size;
            }
            async Task CatchUp(long stored)
            {
                var clock = Stopwatch.StartNew();
                while (projection.AppliedCount < stored) await Task.Delay(50, ct);
                log.WriteLine($"  embedded: projection caught up with {stored:N0} records {clock.Elapsed.TotalSeconds:F1} s after the last batch; GC heap {GC.GetTotalMemory(false) / 1e6:F0} MB");
            }
            long stored = 0;
            var fill = new List<(long, double, double)>();
            var levels = new List<GrowthLevel>();
            foreach (var level in options.GrowthLevels)
            {
                while (stored < level - options.GrowthBatch)
                {
                    var size = (int)Math.Min(options.GrowthFillBatch, level - options.GrowthBatch - stored);
                    fill.Add((stored, await Post(size), OneMinuteLoad()));
                    stored += size;
                    log.WriteLine($"  embedded: filled {stored:N0} records, last batch {fill[^1].Item2:F1} µs per record; " +
                        $"relay published {relay.Published:N0} rows, projection applied {projection.AppliedCount:N0}");
                }
                // Warm-up, not measured: the first level would otherwise pay for JIT compilation and cold caches.
                await Post(options.GrowthBatch);
                stored += options.GrowthBatch;
                await CatchUp(stored);
                var at = stored;
                var runs = new List<GrowthRun>();
                for (var rep = 0; rep < options.GrowthRepetitions; rep++)
                {
                    Settle();
                    var perStart = await Post(options.GrowthBatch);
                    runs.Add(new GrowthRun(0, 0, perStart, 0));
                    stored += options.GrowthBatch;
                    await CatchUp(stored);
                }
                var result = new GrowthLevel(at, runs, OneMinuteLoad());
                levels.Add(result);
                log.WriteLine($"Embedded host at {at:N0} records stored: {result.Service.Median:F1} µs per record over HTTP " +
                    $"(reps {string.Join(", ", runs.Select(r => r.Service.ToString("F1", CultureInfo.InvariantCulture)))})");
            }
            return new GrowthCurve("Embedded host (SQLite, in-memory bus, relay and projection)", levels, fill);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Service and raw a few rounds on a store of their own, thrown away: the first level would otherwise be measured
    /// while .NET still runs the code unoptimized (tiered compilation) and before the connection pools are full.
    /// </summary>
    private async Task WarmUp(IEventStore store, IRawInsert raw, CancellationToken ct)
    {
        Forget();
        await store.InitializeAsync(ct);
        var service = new ProvisionService(Law, store, TimeProvider.System);
        var metadata = new EventMetadata(Law.Service, Actor: "bench");
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < WarmUpRounds; round++)
        {
            var batch = Batch(options.GrowthBatch);
            await Accept(service, batch, metadata, ct);
            Stored(batch);
            var rawBatch = Batch(options.GrowthBatch);
            await raw.InsertAsync(await RowsOf(store, rawBatch, metadata, ct), ct);
            Stored(rawBatch);
        }
        log.WriteLine($"  warm-up: {WarmUpRounds} rounds of service and raw on a scratch store, {clock.Elapsed.TotalSeconds:F1} s");
    }

    private const int WarmUpRounds = 4;

    private static async Task Drop(NpgsqlDataSource source, string schema, CancellationToken ct)
    {
        await using var drop = source.CreateCommand($"drop schema if exists {schema} cascade");
        await drop.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// One store per level, each filled to its level first; then the levels' batches are measured in turns (the order
    /// rotating per repetition), so a change in the machine's load while measuring hits every level alike, and no fill
    /// runs while anything is measured.
    /// </summary>
    private async Task<GrowthCurve> Curve(string name, Func<long, Task<(IEventStore Store, IRawInsert Raw)>> open, NpgsqlDataSource? server,
        CancellationToken ct)
    {
        var metadata = new EventMetadata(Law.Service, Actor: "bench");
        var fill = new List<(long, double, double)>();
        var levels = new List<LevelStore>();
        foreach (var target in options.GrowthLevels)
        {
            Forget();
            var (store, raw) = await open(target);
            await store.InitializeAsync(ct);
            var probe = new StoreProbe();
            var level = new LevelStore(new ProvisionService(Law, new ProbedStore(store, probe), TimeProvider.System), store, raw, probe, _contents);
            var fills = new List<(long, double, double)>();
            // Filled to the level less one batch, which brings it to the level unmeasured (its pages are then as recently
            // touched as the measured batches will find them).
            while (level.Stored < target - options.GrowthBatch)
            {
                var size = (int)Math.Min(options.GrowthFillBatch, target - options.GrowthBatch - level.Stored);
                var batch = Batch(size);
                var clock = Stopwatch.GetTimestamp();
                await Accept(level.Service, batch, metadata, ct);
                Stored(batch);
                fills.Add((level.Stored, Stopwatch.GetElapsedTime(clock).TotalMicroseconds / size, OneMinuteLoad()));
                level.Stored += size;
                if (fills.Count % 10 == 0) log.WriteLine($"  {name}: filled {level.Stored:N0} records, last batch {fills[^1].Item2:F1} µs per record");
            }
            var warmUp = Batch(options.GrowthBatch);
            await Accept(level.Service, warmUp, metadata, ct);
            Stored(warmUp);
            level.Stored += options.GrowthBatch;
            level.At = level.Stored;
            levels.Add(level);
            // The fill of the largest store passes every band of the fill table.
            if (target == options.GrowthLevels.Max()) fill = fills;
            log.WriteLine($"  {name}: store of level {target:N0} filled");
        }

        for (var rep = 0; rep < options.GrowthRepetitions; rep++)
            for (var k = 0; k < levels.Count; k++)
            {
                var level = levels[(k + rep) % levels.Count];
                _contents = level.Contents;
                // Service and raw take turns, so drift on a shared machine hits both alike.
                async Task<GrowthRun> Service()
                {
                    Settle();
                    level.Probe.Reset();
                    var batch = Batch(options.GrowthBatch);
                    var started = Stopwatch.GetTimestamp();
                    await Accept(level.Service, batch, metadata, ct);
                    Stored(batch);
                    double Us(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMicroseconds / options.GrowthBatch;
                    var probe = level.Probe;
                    // A batch of new provisions only is decided without a read (ProvisionService.AssumeNewFrom).
                    var (readStart, readEnd) = probe.Reads > 0 ? (probe.ReadStart, probe.ReadEnd) : (started, started);
                    return new GrowthRun(Us(readStart, readEnd), Us(readEnd, probe.AppendStart) + Us(started, readStart),
                        Us(probe.AppendStart, probe.AppendEnd), 0);
                }
                async Task<double> Raw()
                {
                    var batch = Batch(options.GrowthBatch);
                    var rowsOf = await RowsOf(level.Store, batch, metadata, ct);
                    Settle();
                    var started = Stopwatch.GetTimestamp();
                    await level.Raw.InsertAsync(rowsOf, ct);
                    Stored(batch);
                    return Stopwatch.GetElapsedTime(started).TotalMicroseconds / options.GrowthBatch;
                }
                var before = server is null ? default : await ServerWork.Counters(server, ct);
                GrowthRun run;
                if (rep % 2 == 0)
                {
                    var s = await Service();
                    run = s with { Raw = await Raw() };
                }
                else
                {
                    var r = await Raw();
                    run = await Service() with { Raw = r };
                }
                if (server is not null) level.Server.Add((before, await ServerWork.Counters(server, ct)));
                level.Runs.Add(run);
                level.Loads.Add(OneMinuteLoad());
                level.Stored += 2 * options.GrowthBatch;
            }

        var results = new List<GrowthLevel>();
        foreach (var level in levels)
        {
            var work = server is null ? null : ServerWork.Sum(level.Server, level.Stored - level.At);
            var result = new GrowthLevel(level.At, level.Runs, level.Loads.Average(), work);
            results.Add(result);
            if (work is not null)
                log.WriteLine($"  {name}: per record {work.WalBytes:F0} bytes of WAL, {work.FullPageImages:F2} full-page images, " +
                    $"{work.BackendWrites:F2} buffers written by the backend; {work.Checkpoints} checkpoint(s)");
            log.WriteLine($"{name} at {level.At:N0} records stored: service {result.Service.Median:F1} µs per record " +
                $"(read {result.Median(r => r.Read):F1}, decide {result.Median(r => r.Decide):F1}, append {result.Median(r => r.Append):F1}; " +
                $"reps {string.Join(", ", level.Runs.Select(r => r.Service.ToString("F1", CultureInfo.InvariantCulture)))}), " +
                $"raw {result.Raw.Median:F1} µs ({string.Join(", ", level.Runs.Select(r => r.Raw.ToString("F1", CultureInfo.InvariantCulture)))})");
        }
        log.WriteLine($"  {name}: load average {MachineInfo.LoadAverage()} at the end");
        return new GrowthCurve(name, results, fill);
    }

    /// <summary>One level's store while its curve is measured.</summary>
    private sealed class LevelStore(ProvisionService service, IEventStore store, IRawInsert raw, StoreProbe probe, Contents contents)
    {
        public ProvisionService Service { get; } = service;
        public IEventStore Store { get; } = store;
        public IRawInsert Raw { get; } = raw;
        public StoreProbe Probe { get; } = probe;
        public Contents Contents { get; } = contents;
        public long Stored { get; set; }
        public long At { get; set; }
        public List<GrowthRun> Runs { get; } = [];
        public List<double> Loads { get; } = [];
        public List<((double, long, long, long) Before, (double, long, long, long) After)> Server { get; } = [];
    }

    private static async Task Accept(ProvisionService service, IReadOnlyList<ProvisionCommand> batch, EventMetadata metadata, CancellationToken ct)
    {
        var outcomes = await service.Process(batch, allOrNothing: true, metadata, ct);
        if (outcomes.Any(o => !o.Accepted))
            throw new InvalidOperationException($"{outcomes.Count(o => !o.Accepted)} records were refused: {outcomes.First(o => !o.Accepted).Message}");
    }

    /// <summary>The rows the service would write for these records: decided on the store as it is, appended nowhere.</summary>
    private static async Task<IReadOnlyList<StreamAppend>> RowsOf(IEventStore store, IReadOnlyList<ProvisionCommand> batch, EventMetadata metadata, CancellationToken ct)
    {
        var dry = new DryRun(store);
        await Accept(new ProvisionService(Law, dry, TimeProvider.System), batch, metadata, ct);
        return dry.Captured;
    }

    /// <summary>Reads from the store, keeps what would be appended.</summary>
    private sealed class DryRun(IEventStore inner) : IEventStore
    {
        public IReadOnlyList<StreamAppend> Captured { get; private set; } = [];

        public Task InitializeAsync(CancellationToken ct = default) => Task.CompletedTask;

        public Task AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct = default)
        {
            Captured = appends;
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, CancellationToken ct = default) => inner.ReadStreamAsync(streamId, ct);

        public Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadStreamsAsync(IReadOnlyCollection<string> streamIds, CancellationToken ct = default) =>
            inner.ReadStreamsAsync(streamIds, ct);

        public Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadTaggedStreamsAsync(string tag, CancellationToken ct = default) =>
            inner.ReadTaggedStreamsAsync(tag, ct);

        public Task<IReadOnlyList<StoredEvent>> ReadAllAsync(LogPosition after, int max, CancellationToken ct = default) => inner.ReadAllAsync(after, max, ct);

        public Task<LogPosition> ReadCheckpointAsync(string name, CancellationToken ct = default) => inner.ReadCheckpointAsync(name, ct);

        public Task SaveCheckpointAsync(string name, LogPosition position, CancellationToken ct = default) => throw new NotSupportedException();
    }

    /// <summary>
    /// A batch as a municipality's loader sends it once the store holds something: half of it starts of new clients (two
    /// each), a quarter further provisions of clients already stored (their index stream exists: an expected version
    /// above 0), a quarter stops of stored provisions (an existing provision stream), each picked at random over
    /// everything stored so far. Into an empty store: only new clients.
    /// </summary>
    private List<ProvisionCommand> Batch(int count)
    {
        var batch = new List<ProvisionCommand>(count);
        var bsn = "";
        for (var i = 0; batch.Count < count; i++)
        {
            // Per four records: a new client's two starts, a start for a client stored already, a stop.
            switch (_contents.Clients.Count == 0 ? i % 2 : i % 4)
            {
                case 0:
                    bsn = _clients.Next().Value;
                    batch.Add(Start(bsn));
                    break;
                case 1:
                    batch.Add(Start(bsn));
                    break;
                case 2:
                    batch.Add(Start(_contents.Clients[_random.Next(_contents.Clients.Count)]));
                    break;
                default:
                    var j = _random.Next(_contents.Open.Count);
                    var start = _contents.Open[j];
                    (_contents.Open[j], _contents.Open[^1]) = (_contents.Open[^1], _contents.Open[j]);
                    _contents.Open.RemoveAt(_contents.Open.Count - 1);
                    batch.Add(new StopCommand(start.Key, start.Key.Begindatum!.Value.AddDays(90), "31"));
                    break;
            }
        }
        return batch;
    }

    private StartCommand Start(string bsn)
    {
        var n = _nextToewijzing++;
        var categorie = Categorieen[n % Categorieen.Length];
        return new StartCommand(new ProvisionKey(bsn, BulkStart.Gemeente, categorie, $"{categorie}A{n % 100:D2}",
            (100_000_000 + n).ToString(CultureInfo.InvariantCulture), new DateOnly(2026, 1, 1).AddDays(n % 365)),
            new DateOnly(2009, 1, 1).AddDays(n % 3650));
    }

    /// <summary>A new store: nothing to stop or add to yet.</summary>
    private void Forget() => _contents = new Contents();

    /// <summary>The provisions still open and the clients stored in one store: what later batches stop and add to.</summary>
    private sealed class Contents
    {
        public readonly List<StartCommand> Open = [];
        public readonly List<string> Clients = [];
        public readonly HashSet<string> Known = [];
    }

    /// <summary>What an accepted batch leaves for later batches to stop and to add to.</summary>
    private void Stored(IEnumerable<ProvisionCommand> batch)
    {
        foreach (var start in batch.OfType<StartCommand>())
        {
            _contents.Open.Add(start);
            if (_contents.Known.Add(start.Key.Bsn!)) _contents.Clients.Add(start.Key.Bsn!);
        }
    }

    private static double OneMinuteLoad() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : 0;

    /// <summary>Each measurement pays for its own garbage only.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    private interface IRawInsert
    {
        Task InsertAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct);
    }

    /// <summary>
    /// The same rows into the store's own table, the plain SQLite way, on a connection set up as the store sets up its own:
    /// one prepared insert per row in one transaction, no checks.
    /// </summary>
    private sealed class SqliteRaw(string file) : IRawInsert
    {
        public async Task InsertAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct)
        {
            await using var conn = new SqliteConnection($"Data Source={file}");
            await conn.OpenAsync(ct);
            await using (var sync = conn.CreateCommand())
            {
                sync.CommandText = SqliteEventStore.ConnectionPragmas;
                await sync.ExecuteNonQueryAsync(ct);
            }
            await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct);
            await using var insert = conn.CreateCommand();
            insert.CommandText = """
                insert into events (event_id, stream_id, version, type, data, metadata, created_at)
                values ($id, $stream, $version, $type, $data, $metadata, $created)
                """;
            var p = new[] { "$id", "$stream", "$version", "$type", "$data", "$metadata", "$created" }.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
            p[6].Value = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            insert.Prepare();
            await using var tagging = conn.CreateCommand();
            tagging.CommandText = "insert into stream_tags (tag, stream_id) values ($tag, $stream)";
            tagging.Parameters.Add("$tag", SqliteType.Text);
            tagging.Parameters.Add("$stream", SqliteType.Text);
            tagging.Prepare();
            foreach (var append in appends)
            {
                var version = append.ExpectedVersion;
                foreach (var e in append.Events)
                {
                    (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value, p[5].Value) =
                        (e.EventId.ToString(), append.StreamId, ++version, e.Type, e.Data, e.Metadata);
                    await insert.ExecuteNonQueryAsync(ct);
                }
                foreach (var tag in append.Tags ?? [])
                {
                    (tagging.Parameters[0].Value, tagging.Parameters[1].Value) = (tag, append.StreamId);
                    await tagging.ExecuteNonQueryAsync(ct);
                }
            }
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>The same rows into the store's own table by one INSERT ... SELECT FROM unnest of typed arrays, then COMMIT; no checks.</summary>
    private sealed class PostgresRaw(string postgres, string schema) : IRawInsert, IAsyncDisposable
    {
        private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(postgres);

        public async Task InsertAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct)
        {
            var rows = appends.SelectMany(a => a.Events.Select((e, i) => (a.StreamId, Version: a.ExpectedVersion + i + 1, e))).ToArray();
            await using var conn = await _source.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using var cmd = new NpgsqlCommand($"""
                insert into {schema}.events (event_id, stream_id, version, type, data, metadata)
                select * from unnest($1, $2, $3, $4, $5, $6)
                """, conn, tx);
            cmd.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.e.EventId).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.StreamId).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Version).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.e.Type).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.e.Data).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            cmd.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.e.Metadata).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            await cmd.ExecuteNonQueryAsync(ct);
            var tags = appends.SelectMany(a => (a.Tags ?? []).Select(t => (Tag: t, a.StreamId))).ToArray();
            await using var tagging = new NpgsqlCommand($"insert into {schema}.stream_tags (tag, stream_id) select * from unnest($1, $2)", conn, tx);
            tagging.Parameters.Add(new NpgsqlParameter { Value = tags.Select(t => t.Tag).ToArray() });
            tagging.Parameters.Add(new NpgsqlParameter { Value = tags.Select(t => t.StreamId).ToArray() });
            await tagging.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }

        public ValueTask DisposeAsync() => _source.DisposeAsync();
    }
}
