using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using SocialDomain.EventStore;

namespace SocialDomain.Benchmarks;

/// <summary>One append figure: events per commit, concurrent writers, and whether commits go to new or existing streams.</summary>
public sealed record AppendCase(int BatchSize, int Writers, bool ExistingStreams)
{
    public string Streams => ExistingStreams ? "existing (expected version n)" : "new (expected version 0)";
}

/// <summary>What writes: the event store as shipped, or raw Npgsql.</summary>
public enum AppendSubject
{
    Store,
    Raw,
}

public sealed record AppendResult(AppendCase Case, Sample Store, Sample Raw, CpuUsage StoreCpu, CpuUsage RawCpu)
{
    public double Ratio => Store.Median / Raw.Median;
}

/// <summary>
/// Append throughput of <see cref="PostgresEventStore"/> beside the fastest reasonable raw Npgsql insert of the same
/// rows into a table with the same columns, keys and indexes, at the same batch size and concurrency.
/// </summary>
public sealed class AppendBenchmark(string connectionString, BenchmarkOptions options, TextWriter log) : IAsyncDisposable
{
    private const string StoreSchema = "bench_store";
    private const string RawSchema = "bench_raw";

    /// <summary>Streams each writer owns in the existing-streams cases; commits go round-robin over them.</summary>
    private const int StreamsPerWriter = 64;

    /// <summary>
    /// Events of other streams a table holds before an existing-streams repetition: appending to a stream that has
    /// events is what a store in use does. Analyzed at 64 rows, the table looked so small that PostgreSQL's generic plan for the
    /// expected-version check read it whole, on every commit, while it grew (docs/benchmarks.md (a)).
    /// </summary>
    public const int History = 50_000;

    private readonly NpgsqlDataSource _admin = NpgsqlDataSource.Create(connectionString);
    private readonly NpgsqlDataSource _raw = NpgsqlDataSource.Create(connectionString);
    private readonly PostgresEventStore _store = new(connectionString, StoreSchema);
    private readonly EventData[] _pool = Workload.Pool(4096);

    public double AverageDataBytes => _pool.Average(e => System.Text.Encoding.UTF8.GetByteCount(e.Data));
    public double AverageMetadataBytes => _pool.Average(e => System.Text.Encoding.UTF8.GetByteCount(e.Metadata));

    public static IReadOnlyList<AppendCase> Cases =>
    [
        .. from batch in new[] { 1, 100 }
           from existing in new[] { false, true }
           from writers in new[] { 1, 8 }
           select new AppendCase(batch, writers, existing),
    ];

    public async Task<IReadOnlyList<AppendResult>> RunAsync(CancellationToken ct)
    {
        await _store.InitializeAsync(ct);
        await Execute(PostgresEventStore.EventsTable(RawSchema), ct);

        var results = new List<AppendResult>();
        foreach (var c in Cases)
        {
            log.WriteLine($"append: {c.BatchSize} event(s)/commit, {c.Writers} writer(s), {c.Streams} streams");
            AppendSubject[] subjects = [AppendSubject.Store, AppendSubject.Raw];
            foreach (var subject in subjects) await Measure(c, subject, options.AppendWarmup, ct);
            var measured = subjects.ToDictionary(s => s, _ => new List<(double Rate, CpuUsage Cpu)>());
            for (var rep = 0; rep < options.Repetitions; rep++)
            {
                // Each repetition starts with another subject, so a drift in the machine's state hits all alike.
                for (var i = 0; i < subjects.Length; i++)
                {
                    var subject = subjects[(rep + i) % subjects.Length];
                    measured[subject].Add(await Measure(c, subject, options.AppendDuration, ct));
                }
            }
            Sample Rates(AppendSubject s) => new([.. measured[s].Select(m => m.Rate)]);
            CpuUsage Cpu(AppendSubject s) => CpuUsage.Median([.. measured[s].Select(m => m.Cpu)]);
            var result = new AppendResult(c, Rates(AppendSubject.Store), Rates(AppendSubject.Raw), Cpu(AppendSubject.Store), Cpu(AppendSubject.Raw));
            log.WriteLine($"  store {result.Store}   raw {result.Raw}   ratio {Format.Percent(result.Ratio)}");
            results.Add(result);
        }
        return results;
    }

    /// <summary>Runs the writers for <paramref name="duration"/> on an emptied table and returns events per second.</summary>
    private async Task<(double Rate, CpuUsage Cpu)> Measure(AppendCase c, AppendSubject subject, TimeSpan duration, CancellationToken ct)
    {
        var schema = subject == AppendSubject.Raw ? RawSchema : StoreSchema;
        // Cascade: the store's parked_events refers to its events (and is empty here).
        await Execute($"truncate {schema}.events restart identity cascade", ct);
        if (c.ExistingStreams) await SeedHistory(schema, ct);
        var writers = new List<Writer>();
        for (var w = 0; w < c.Writers; w++)
        {
            var streams = c.ExistingStreams ? await Seed(schema, w, ct) : null;
            writers.Add(subject switch
            {
                AppendSubject.Store => new StoreWriter(_store, _pool, c.BatchSize, streams, w),
                _ => await RawWriter.Open(_raw, _pool, c.BatchSize, streams, w, ct),
            });
        }
        if (c.ExistingStreams) await Execute($"analyze {schema}.events", ct);

        try
        {
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var clock = new Stopwatch();
            var runs = writers.Select(w => Task.Run(async () =>
            {
                await go.Task;
                var events = 0L;
                while (clock.Elapsed < duration) events += await w.CommitAsync(ct);
                return events;
            }, ct)).ToArray();
            var cpu = CpuSample.Start();
            clock.Start();
            go.SetResult();
            var total = (await Task.WhenAll(runs)).Sum();
            clock.Stop();
            return (total / clock.Elapsed.TotalSeconds, cpu.Stop());
        }
        finally
        {
            foreach (var w in writers) await w.DisposeAsync();
        }
    }

    /// <summary>Gives a writer streams that already hold one event each, written outside the timed part.</summary>
    private async Task<OwnedStream[]> Seed(string schema, int writer, CancellationToken ct)
    {
        var streams = Enumerable.Range(0, StreamsPerWriter).Select(i => new OwnedStream($"provision-{Guid.NewGuid()}", 1)).ToArray();
        await using var cmd = _admin.CreateCommand($"""
            insert into {schema}.events (event_id, stream_id, version, type, data, metadata)
            select x.id, x.stream, 1, x.type, x.data::jsonb, x.metadata::jsonb
            from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) as x(id, stream, type, data, metadata)
            """);
        var events = streams.Select((_, i) => _pool[(writer * StreamsPerWriter + i) % _pool.Length]).ToArray();
        cmd.Parameters.Add(new NpgsqlParameter { Value = streams.Select(_ => Guid.CreateVersion7()).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => s.Id).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Type).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Data).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Metadata).ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
        return streams;
    }

    private async Task SeedHistory(string schema, CancellationToken ct)
    {
        var e = _pool[0];
        await using var cmd = _admin.CreateCommand($"""
            insert into {schema}.events (event_id, stream_id, version, type, data, metadata)
            select gen_random_uuid(), 'provision-' || gen_random_uuid(), 1, $1, $2::jsonb, $3::jsonb from generate_series(1, {History})
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = e.Type });
        cmd.Parameters.Add(new NpgsqlParameter { Value = e.Data });
        cmd.Parameters.Add(new NpgsqlParameter { Value = e.Metadata });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task Execute(string sql, CancellationToken ct)
    {
        await using var cmd = _admin.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        await _raw.DisposeAsync();
        await _admin.DisposeAsync();
    }

    private sealed class OwnedStream(string id, long version)
    {
        public string Id { get; } = id;
        public long Version { get; set; } = version;
    }

    private abstract class Writer(EventData[] pool, int batchSize, OwnedStream[]? streams, int index) : IAsyncDisposable
    {
        private int _next = index * 7919;
        private int _stream;

        protected int BatchSize => batchSize;

        /// <summary>Commits one batch; returns how many events it held.</summary>
        public abstract Task<int> CommitAsync(CancellationToken ct);

        public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

        /// <summary>The stream of the next commit and the version it holds now: a new one at 0, or the next of the writer's own.</summary>
        protected (string StreamId, long ExpectedVersion, OwnedStream? Existing) NextStream()
        {
            if (streams is null) return ($"provision-{Guid.NewGuid()}", 0, null);
            var stream = streams[_stream++ % streams.Length];
            return (stream.Id, stream.Version, stream);
        }

        /// <summary>The next batch: payloads from the pool, each with a fresh event id as the law service gives it.</summary>
        protected EventData[] NextEvents()
        {
            var events = new EventData[batchSize];
            for (var i = 0; i < batchSize; i++)
            {
                var payload = pool[_next++ % pool.Length];
                events[i] = payload with { EventId = Guid.CreateVersion7() };
            }
            return events;
        }
    }

    private sealed class StoreWriter(IEventStore store, EventData[] pool, int batchSize, OwnedStream[]? streams, int index)
        : Writer(pool, batchSize, streams, index)
    {
        public override async Task<int> CommitAsync(CancellationToken ct)
        {
            var (streamId, expected, existing) = NextStream();
            var events = NextEvents();
            await store.AppendAsync(streamId, expected, events, ct);
            if (existing is not null) existing.Version += events.Length;
            return events.Length;
        }
    }

    /// <summary>
    /// The raw baseline: one connection per writer, a prepared statement, typed parameters, autocommit (one round
    /// trip per commit). One row: a plain INSERT ... VALUES. Many rows: one INSERT ... SELECT FROM unnest(arrays).
    /// </summary>
    private sealed class RawWriter : Writer
    {
        private readonly NpgsqlConnection _conn;
        private readonly NpgsqlCommand _cmd;

        private RawWriter(NpgsqlConnection conn, NpgsqlCommand cmd, EventData[] pool, int batchSize, OwnedStream[]? streams, int index)
            : base(pool, batchSize, streams, index) => (_conn, _cmd) = (conn, cmd);

        public static async Task<RawWriter> Open(NpgsqlDataSource dataSource, EventData[] pool, int batchSize, OwnedStream[]? streams, int index, CancellationToken ct)
        {
            var conn = await dataSource.OpenConnectionAsync(ct);
            NpgsqlCommand cmd;
            if (batchSize == 1)
            {
                cmd = new NpgsqlCommand($"""
                    insert into {RawSchema}.events (event_id, stream_id, version, type, data, metadata)
                    values ($1, $2, $3, $4, $5, $6)
                    """, conn);
                cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid });
                cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text });
                cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint });
                cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text });
                cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb });
                cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb });
            }
            else
            {
                cmd = new NpgsqlCommand($"""
                    insert into {RawSchema}.events (event_id, stream_id, version, type, data, metadata)
                    select * from unnest($1, $2, $3, $4, $5, $6)
                    """, conn);
                cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
                cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
                cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
                cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            }
            await cmd.PrepareAsync(ct);
            return new RawWriter(conn, cmd, pool, batchSize, streams, index);
        }

        public override async Task<int> CommitAsync(CancellationToken ct)
        {
            var (streamId, expected, existing) = NextStream();
            var events = NextEvents();
            if (BatchSize == 1)
            {
                var e = events[0];
                _cmd.Parameters[0].Value = e.EventId;
                _cmd.Parameters[1].Value = streamId;
                _cmd.Parameters[2].Value = expected + 1;
                _cmd.Parameters[3].Value = e.Type;
                _cmd.Parameters[4].Value = e.Data;
                _cmd.Parameters[5].Value = e.Metadata;
            }
            else
            {
                _cmd.Parameters[0].Value = events.Select(e => e.EventId).ToArray();
                _cmd.Parameters[1].Value = events.Select(_ => streamId).ToArray();
                _cmd.Parameters[2].Value = events.Select((_, i) => expected + 1 + i).ToArray();
                _cmd.Parameters[3].Value = events.Select(e => e.Type).ToArray();
                _cmd.Parameters[4].Value = events.Select(e => e.Data).ToArray();
                _cmd.Parameters[5].Value = events.Select(e => e.Metadata).ToArray();
            }
            await _cmd.ExecuteNonQueryAsync(ct);
            if (existing is not null) existing.Version += events.Length;
            return events.Length;
        }

        public override async ValueTask DisposeAsync()
        {
            await _cmd.DisposeAsync();
            await _conn.DisposeAsync();
        }
    }
}
