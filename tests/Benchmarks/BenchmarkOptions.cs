using System.Globalization;

namespace SocialDomain.Benchmarks;

/// <summary>
/// How long and how often to measure. The defaults keep a full run under about five minutes; each can be changed
/// with an environment variable (see <see cref="FromEnvironment"/>).
/// </summary>
public sealed record BenchmarkOptions
{
    /// <summary>Measured repetitions of every append figure and its baseline (SDP_BENCH_REPS).</summary>
    public int Repetitions { get; init; } = 5;

    /// <summary>How long the writers run in one append repetition (SDP_BENCH_APPEND_SECONDS).</summary>
    public TimeSpan AppendDuration { get; init; } = TimeSpan.FromSeconds(0.8);

    public TimeSpan AppendWarmup { get; init; } = TimeSpan.FromSeconds(0.4);

    /// <summary>N: events per end-to-end repetition, and messages per raw broker repetition (SDP_BENCH_EVENTS).</summary>
    public int EndToEndEvents { get; init; } = 30_000;

    public int EndToEndWarmupEvents { get; init; } = 10_000;

    /// <summary>Measured end-to-end repetitions (SDP_BENCH_E2E_REPS).</summary>
    public int EndToEndRepetitions { get; init; } = 5;

    /// <summary>Prefetch of the raw broker baseline's consumer.</summary>
    public ushort RawPrefetch { get; init; } = 100;

    /// <summary>Messages the raw baseline publishes before awaiting their confirms; the relay's default batch.</summary>
    public int RawPublishBatch { get; init; } = 500;

    /// <summary>
    /// Consumer prefetch counts to try on the projection besides the shipped one, as a what-if (SDP_BENCH_PREFETCH,
    /// comma-separated; empty for none).
    /// </summary>
    public IReadOnlyList<ushort> PrefetchVariants { get; init; } = [];

    /// <summary>Relay batch sizes to try besides the shipped one, as a what-if (SDP_BENCH_RELAY_BATCH, comma-separated; empty for none).</summary>
    public IReadOnlyList<int> RelayBatchVariants { get; init; } = [2000];

    /// <summary>
    /// Events per message to try besides the shipped one (<c>Relay:EventsPerMessage</c> = 1), each as a pipeline of its
    /// own (SDP_BENCH_EVENTS_PER_MESSAGE, comma-separated; empty for none).
    /// </summary>
    public IReadOnlyList<int> EventsPerMessageVariants { get; init; } = [50];

    /// <summary>Starts per request to the JSON batch endpoint, one case each (SDP_BENCH_BULK_SIZES, comma-separated).</summary>
    public IReadOnlyList<int> BulkBatchSizes { get; init; } = [5_000, 20_000];

    /// <summary>StartProducts in the large JW305 message (SDP_BENCH_BULK_PRODUCTS).</summary>
    public int BulkMessageProducts { get; init; } = 5_000;

    /// <summary>What-if: this many JSON batch requests of the smallest size at once (SDP_BENCH_BULK_CONCURRENCY; 0 or 1 for none).</summary>
    public int BulkConcurrency { get; init; } = 2;

    /// <summary>Measured repetitions of every bulk-ingest case (SDP_BENCH_BULK_REPS).</summary>
    public int BulkRepetitions { get; init; } = 5;

    /// <summary>Starts already stored at which the ingest cost is measured (SDP_BENCH_GROWTH_LEVELS, comma-separated).</summary>
    public IReadOnlyList<long> GrowthLevels { get; init; } = [10_000, 100_000, 1_000_000];

    /// <summary>Starts per measured batch at each level (SDP_BENCH_GROWTH_BATCH).</summary>
    public int GrowthBatch { get; init; } = 5_000;

    /// <summary>Starts per batch while filling the store up to the next level (SDP_BENCH_GROWTH_FILL_BATCH).</summary>
    public int GrowthFillBatch { get; init; } = 20_000;

    /// <summary>Measured batches at each level, each beside a raw insert (SDP_BENCH_GROWTH_REPS).</summary>
    public int GrowthRepetitions { get; init; } = 7;

    /// <summary>
    /// The stores whose growth is measured: sqlite, postgres, and embedded for the embedded host over HTTP (SDP_BENCH_GROWTH_STORES,
    /// comma-separated).
    /// </summary>
    public IReadOnlyList<string> GrowthStores { get; init; } = ["sqlite", "postgres", "embedded"];

    /// <summary>Households loaded into the projection for the views part (SDP_BENCH_VIEW_HOUSEHOLDS).</summary>
    public int ViewHouseholds { get; init; } = 100_000;

    /// <summary>Households whose events are recorded at once while loading.</summary>
    public int ViewLoadParallelism { get; init; } = 64;

    /// <summary>Offered rate of household-view GETs and of their raw queries (SDP_BENCH_VIEW_RATE).</summary>
    public double ViewGetRate { get; init; } = 2_000;

    /// <summary>How long each household-view figure is offered (SDP_BENCH_VIEW_SECONDS).</summary>
    public TimeSpan ViewGetDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Offered rate of gemeente-list pages and their raw queries (SDP_BENCH_LIST_RATE).</summary>
    public double ListRate { get; init; } = 500;

    /// <summary>How long each gemeente-list figure is offered (SDP_BENCH_LIST_SECONDS).</summary>
    public TimeSpan ListDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Offered rate of new events for the projection lag, and of raw broker messages (SDP_BENCH_LAG_RATE).</summary>
    public double LagRate { get; init; } = 2_000;

    /// <summary>How long the lag figure and its broker baseline are offered (SDP_BENCH_LAG_SECONDS).</summary>
    public TimeSpan LagDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// One part alone (SDP_BENCH_ONLY, or the command-line switch --only): "e2e" or "bulk" prints its figures and writes
    /// no report, for working on the benchmark itself; "append", "tracing", "growth" and "views" rewrite only their own
    /// section of the report.
    /// </summary>
    public string? Only { get; init; }

    public static readonly string[] Parts = ["append", "e2e", "tracing", "bulk", "growth", "views"];

    public static BenchmarkOptions FromEnvironment()
    {
        var defaults = new BenchmarkOptions();
        return defaults with
        {
            Repetitions = Int("SDP_BENCH_REPS", defaults.Repetitions),
            AppendDuration = TimeSpan.FromSeconds(Double("SDP_BENCH_APPEND_SECONDS", defaults.AppendDuration.TotalSeconds)),
            EndToEndEvents = Int("SDP_BENCH_EVENTS", defaults.EndToEndEvents),
            EndToEndRepetitions = Int("SDP_BENCH_E2E_REPS", defaults.EndToEndRepetitions),
            RelayBatchVariants = Environment.GetEnvironmentVariable("SDP_BENCH_RELAY_BATCH") is { } batches
                ? [.. batches.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(b => int.Parse(b, CultureInfo.InvariantCulture))]
                : defaults.RelayBatchVariants,
            EventsPerMessageVariants = Environment.GetEnvironmentVariable("SDP_BENCH_EVENTS_PER_MESSAGE") is { } perMessage
                ? [.. perMessage.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(b => int.Parse(b, CultureInfo.InvariantCulture))]
                : defaults.EventsPerMessageVariants,
            Only = Environment.GetEnvironmentVariable("SDP_BENCH_ONLY") is { Length: > 0 } only ? only : null,
            BulkBatchSizes = Environment.GetEnvironmentVariable("SDP_BENCH_BULK_SIZES") is { Length: > 0 } sizes
                ? [.. sizes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(b => int.Parse(b, CultureInfo.InvariantCulture))]
                : defaults.BulkBatchSizes,
            BulkMessageProducts = Int("SDP_BENCH_BULK_PRODUCTS", defaults.BulkMessageProducts),
            BulkRepetitions = Int("SDP_BENCH_BULK_REPS", defaults.BulkRepetitions),
            BulkConcurrency = Int("SDP_BENCH_BULK_CONCURRENCY", defaults.BulkConcurrency),
            GrowthLevels = Environment.GetEnvironmentVariable("SDP_BENCH_GROWTH_LEVELS") is { Length: > 0 } levels
                ? [.. List(levels).Select(l => long.Parse(l, CultureInfo.InvariantCulture))]
                : defaults.GrowthLevels,
            GrowthBatch = Int("SDP_BENCH_GROWTH_BATCH", defaults.GrowthBatch),
            GrowthFillBatch = Int("SDP_BENCH_GROWTH_FILL_BATCH", defaults.GrowthFillBatch),
            GrowthRepetitions = Int("SDP_BENCH_GROWTH_REPS", defaults.GrowthRepetitions),
            GrowthStores = Environment.GetEnvironmentVariable("SDP_BENCH_GROWTH_STORES") is { Length: > 0 } stores ? List(stores) : defaults.GrowthStores,
            ViewHouseholds = Int("SDP_BENCH_VIEW_HOUSEHOLDS", defaults.ViewHouseholds),
            ViewGetRate = Double("SDP_BENCH_VIEW_RATE", defaults.ViewGetRate),
            ViewGetDuration = TimeSpan.FromSeconds(Double("SDP_BENCH_VIEW_SECONDS", defaults.ViewGetDuration.TotalSeconds)),
            ListRate = Double("SDP_BENCH_LIST_RATE", defaults.ListRate),
            ListDuration = TimeSpan.FromSeconds(Double("SDP_BENCH_LIST_SECONDS", defaults.ListDuration.TotalSeconds)),
            LagRate = Double("SDP_BENCH_LAG_RATE", defaults.LagRate),
            LagDuration = TimeSpan.FromSeconds(Double("SDP_BENCH_LAG_SECONDS", defaults.LagDuration.TotalSeconds)),
            PrefetchVariants = Environment.GetEnvironmentVariable("SDP_BENCH_PREFETCH") is { } list
                ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => ushort.Parse(p, CultureInfo.InvariantCulture))]
                : defaults.PrefetchVariants,
        };
    }

    private static string[] List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int Int(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } s ? int.Parse(s, CultureInfo.InvariantCulture) : fallback;

    private static double Double(string name, double fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } s ? double.Parse(s, CultureInfo.InvariantCulture) : fallback;
}
