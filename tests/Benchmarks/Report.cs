using System.Text;
using SocialDomain.EventStore;

namespace SocialDomain.Benchmarks;

/// <summary>Everything one run measured, and where it ran.</summary>
public sealed record RunRecord(
    MachineInfo Machine,
    string RabbitMqVersion,
    BenchmarkOptions Options,
    IReadOnlyList<AppendResult> Append,
    EndToEndResult EndToEnd,
    BulkResult Bulk,
    GrowthResult Growth,
    double DataBytes,
    double MetadataBytes,
    string LoadBefore,
    string LoadAfter,
    TimeSpan Duration);

/// <summary>Writes docs/benchmarks.md: the figures, their baselines and ratios, what limits them, and what would help.</summary>
public sealed class Report(RunRecord run)
{
    /// <summary>The issue's targets: single-event commits ≥ 70 % of raw, 100-event commits ≥ 85 %.</summary>
    public static double AppendTarget(AppendResult a) => a.Case.BatchSize == 1 ? 0.70 : 0.85;
    public const double EndToEndTarget = 0.80;

    private readonly StringBuilder _md = new();

    public static string Locate()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
                    return Path.Combine(Directory.CreateDirectory(Path.Combine(dir.FullName, "docs")).FullName, "benchmarks.md");
        throw new InvalidOperationException("Cannot find Platform.sln above the current or the program's directory.");
    }

    public string ToMarkdown()
    {
        Header();
        Summary();
        Reproduce();
        Machine();
        Append();
        EndToEnd();
        BulkIngest();
        _md.Append(new GrowthReport(run.Growth, run.Machine, run.Options, run.LoadBefore, run.LoadAfter).ToMarkdown());
        Suggestions();
        RawData();
        return _md.ToString();
    }

    private EndToEndResult E => run.EndToEnd;
    private IReadOnlyList<AppendResult> A => run.Append;

    private void Line(string text = "") => _md.AppendLine(text);

    /// <summary>
    /// The document with the section under <paramref name="heading"/> replaced (up to the next "## "), or, when it has
    /// none yet, inserted before the suggestions: a part run alone rewrites its own section and leaves the others.
    /// </summary>
    internal static string SpliceSection(string document, string heading, string section)
    {
        var start = document.IndexOf(heading, StringComparison.Ordinal);
        if (start >= 0)
        {
            var end = document.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
            return document[..start] + section + (end < 0 ? "" : document[(end + 1)..]);
        }
        var before = document.IndexOf("## Suggestions for the production code", StringComparison.Ordinal);
        return before < 0 ? document + "\n" + section : document[..before] + section + document[before..];
    }

    internal static string Range(Sample s) => $"{Format.Rate(s.Median)} ({Format.Rate(s.Min)}–{Format.Rate(s.Max)})";

    private static string Points(double ratio, double target) => Format.Number((target - ratio) * 100, "F1") + " points";

    internal static string Mark(double ratio, double target) => ratio >= target ? "yes" : $"no (−{Points(ratio, target)})";

    private static double Micros(CpuUsage cpu, double rate) => (cpu.Benchmark + cpu.Postgres + cpu.RabbitMq) / rate * 1e6;

    private double MedianOthers =>
        new Sample([.. A.SelectMany(a => new[] { a.StoreCpu.Others, a.RawCpu.Others }),
            .. E.Shipped.Runs.Select(r => r.Cpu.Others), E.RawCpu.Others, .. B.Cases.SelectMany(c => c.Runs).Select(r => r.Cpu.Others)]).Median;

    private void Header()
    {
        Line("# Benchmarks");
        Line();
        Line($"Written by `tests/Benchmarks` (a console program, not a test) on {run.Machine.Date:yyyy-MM-dd HH:mm} UTC; the whole " +
             "file is rewritten by every run, so do not edit it by hand. Every figure stands beside a baseline of the raw " +
             "infrastructure measured in the same run, on the same machine, with the same data, interleaved with it " +
             "(the order alternates per repetition), after a warm-up. Figures are medians of the repetitions; the range " +
             "in brackets is the slowest and fastest repetition.");
        Line();
    }

    private void Summary()
    {
        var worst = A.MinBy(a => a.Ratio - AppendTarget(a))!;
        var met = A.Count(a => a.Ratio >= AppendTarget(a));
        Line("## Summary");
        Line();
        Line("| Target (from the issue) | Result | Met |");
        Line("| --- | --- | --- |");
        foreach (var batch in A.Select(a => a.Case.BatchSize).Distinct())
        {
            var cases = A.Where(a => a.Case.BatchSize == batch).ToList();
            var low = cases.MinBy(a => a.Ratio)!;
            Line($"| Append, {batch} event(s) per commit: store ≥ {Format.Percent(AppendTarget(low))} of raw Npgsql at the same batch size | " +
                 $"{Format.Percent(cases.Min(a => a.Ratio))} to {Format.Percent(cases.Max(a => a.Ratio))} over {cases.Count} cases " +
                 $"(lowest: {low.Case.Writers} writer(s), {low.Case.Streams} streams) | " +
                 $"{cases.Count(a => a.Ratio >= AppendTarget(a))} of {cases.Count} |");
        }
        Line($"| End to end, append → projection applied ≥ {Format.Percent(EndToEndTarget)} of raw RabbitMQ publish → consume | " +
             $"{Format.Rate(E.Platform.Median)} vs {Format.Rate(E.Raw.Median)} events/s = {Format.Percent(E.Ratio)} | {Mark(E.Ratio, EndToEndTarget)} |");
        foreach (var v in E.Variants.Where(v => v.Raw is not null))
            Line($"| End to end with {v.Label.Replace(" = ", "=", StringComparison.Ordinal)} (the relay sends batches; docs/relay.md) | " +
                 $"{Format.Rate(v.Platform.Median)} vs {Format.Rate(v.Raw!.Median)} events/s = {Format.Percent(v.Ratio!.Value)} | {Mark(v.Ratio!.Value, EndToEndTarget)} |");
        var bulk = BulkMain;
        Line($"| Bulk ingest: ≥ {Format.Rate(BulkTarget)} provision events/s accepted durably through the JSON batch endpoint | " +
             $"{Format.Rate(bulk.Endpoint.Median)} events/s ({Format.Rate(bulk.Endpoint.Median * bulk.RowsPerRecord)} rows/s) with {bulk.Records:N0} starts per request = " +
             $"{Format.Percent(bulk.Endpoint.Median / BulkTarget)} of the target; {Format.Percent(bulk.EndpointToStore.Median)} of the store's append of the same rows, " +
             $"{Format.Percent(bulk.EndpointToRawCopy.Median)} of raw COPY ({Format.Rate(bulk.RawCopy.Median)}/s) | " +
             (bulk.Endpoint.Median >= BulkTarget ? "yes" : $"no (needs {Format.Number(BulkTarget / bulk.Endpoint.Median, "F1")}×)") + " |");
        Line($"| Bulk ingest: ≥ {Format.Percent(BulkToCopyTarget)} of raw binary COPY of the same rows (events and tags, one transaction) | " +
             $"{Format.Percent(bulk.EndpointToRawCopy.Median)} with {bulk.Records:N0} starts per request (median of the ratios within each repetition); " +
             $"raw INSERT ... FROM unnest of the same rows: {Format.Rate(bulk.Raw.Median)}/s, {Format.Number(bulk.RawCopyToRaw.Median, "F2")}× slower than COPY | " +
             (bulk.EndpointToRawCopy.Median >= BulkToCopyTarget ? "yes" : $"no (−{Points(bulk.EndpointToRawCopy.Median, BulkToCopyTarget)})") + " |");
        if (B.Cases.FirstOrDefault(c => c.Xml) is { ToJsonBeside: { } toJson } message)
            Line($"| Bulk ingest: a large JW305 within {Format.Percent(1 - MessageToJsonTarget)} of the JSON batch: its rate ≥ {Format.Percent(MessageToJsonTarget)} " +
                 "of a JSON batch of as many starts posted right after it | " +
                 $"{Format.Percent(toJson.Median)} with {message.Records:N0} products (median of the ratios within each repetition; " +
                 $"{Format.Rate(message.Endpoint.Median)} events/s) | {Mark(toJson.Median, MessageToJsonTarget)} |");
        Line();
        if (met < A.Count)
            Line($"The append target is missed in {A.Count - met} of {A.Count} cases, worst by {Points(worst.Ratio, AppendTarget(worst))} " +
                 $"({worst.Case.BatchSize} event(s) per commit, {worst.Case.Writers} writer(s), {worst.Case.Streams} streams). " +
                 "See [what limits the store](#what-limits-the-store).");
        if (bulk.Endpoint.Median < BulkTarget)
            Line($"The bulk-ingest target is missed, and raw PostgreSQL misses it too ({Format.Rate(bulk.RawCopy.Median)} events/s for the same rows by COPY): " +
                 "each start is an event row with four index entries and a tag row, inserted by one backend. See [what limits bulk ingest](#what-limits-bulk-ingest).");
        if (E.Ratio < EndToEndTarget)
            Line($"The end-to-end target is missed by {Points(E.Ratio, EndToEndTarget)}: the platform would need " +
                 $"{Format.Number(EndToEndTarget * E.Raw.Median / E.Platform.Median, "F1")}× its throughput. " +
                 "See [what limits the pipeline](#what-limits-the-pipeline) and the [suggestions](#suggestions-for-the-production-code), " +
                 "where the gains of the what-ifs were measured in this run and the rest are marked as estimates.");
        foreach (var v in E.Variants.Where(v => v.Raw is not null))
            Line($"With `{v.Label.Replace(" = ", "=", StringComparison.Ordinal)}`, as `docker-compose.yml` and `infra/run-distributed.sh` set it, " +
                 $"the pipeline reaches {Format.Percent(v.Ratio!.Value)} of the raw broker measured in turns with it" +
                 (v.Ratio >= EndToEndTarget ? ": the target is met there." : $": {Points(v.Ratio!.Value, EndToEndTarget)} short."));
        Line();
        Line("The aggregation job (rebuild from the log beside a raw read, the fold alone, the national stacking table, its peak " +
             "memory) is measured by `tests/AggregationBenchmarks`, which writes [aggregation-benchmarks.md](aggregation-benchmarks.md).");
        Line();
    }

    private void Reproduce()
    {
        Line("## Reproduce");
        Line();
        Line("PostgreSQL and RabbitMQ must run (`eval \"$(infra/start.sh)\"` starts them on loopback). The benchmark wants a " +
             "RabbitMQ virtual host of its own, and a PostgreSQL role that may create databases: it creates a fresh database " +
             "`bench_<random>` and drops it at the end.");
        Line();
        Line("```bash");
        Line("rabbitmqctl add_vhost sdp-bench; rabbitmqctl set_permissions -p sdp-bench guest '.*' '.*' '.*'");
        Line($"SDP_POSTGRES=\"{SocialDomain.ServiceDefaults.PlatformSettings.LocalPostgres}\" \\");
        Line("SDP_RABBITMQ=\"amqp://guest:guest@127.0.0.1:5672/sdp-bench\" \\");
        Line("dotnet run -c Release --project tests/Benchmarks");
        Line("```");
        Line();
        var o = run.Options;
        Line($"This run took {Format.Seconds(run.Duration)}. Settings (environment variables, all optional): " +
             $"`SDP_BENCH_REPS` = {o.Repetitions} repetitions per append figure of `SDP_BENCH_APPEND_SECONDS` = {Format.Number(o.AppendDuration.TotalSeconds, "F1")} s each " +
             $"(warm-up {Format.Number(o.AppendWarmup.TotalSeconds, "F1")} s); `SDP_BENCH_EVENTS` = N = {o.EndToEndEvents:N0} events per end-to-end repetition, " +
             $"`SDP_BENCH_E2E_REPS` = {o.EndToEndRepetitions} repetitions (warm-up {o.EndToEndWarmupEvents:N0} events); " +
             $"what-ifs: `SDP_BENCH_PREFETCH` = {(o.PrefetchVariants.Count == 0 ? "none" : string.Join(",", o.PrefetchVariants))}, " +
             $"`SDP_BENCH_RELAY_BATCH` = {(o.RelayBatchVariants.Count == 0 ? "none" : string.Join(",", o.RelayBatchVariants))}, " +
             $"`SDP_BENCH_EVENTS_PER_MESSAGE` = {(o.EventsPerMessageVariants.Count == 0 ? "none" : string.Join(",", o.EventsPerMessageVariants))}; bulk ingest: `SDP_BENCH_BULK_SIZES` = {string.Join(",", o.BulkBatchSizes)} starts per JSON batch, " +
             $"`SDP_BENCH_BULK_PRODUCTS` = {o.BulkMessageProducts:N0} StartProducts in the JW305, `SDP_BENCH_BULK_REPS` = {o.BulkRepetitions} repetitions each " +
             $"(warm-up: one batch of 1,000 and a JW305 of 500), what-if `SDP_BENCH_BULK_CONCURRENCY` = {o.BulkConcurrency} batches at once; " +
             $"growth: `SDP_BENCH_GROWTH_LEVELS` = {string.Join(",", o.GrowthLevels)} records stored, `SDP_BENCH_GROWTH_BATCH` = {o.GrowthBatch:N0} records per measured batch, " +
             $"`SDP_BENCH_GROWTH_FILL_BATCH` = {o.GrowthFillBatch:N0}, `SDP_BENCH_GROWTH_REPS` = {o.GrowthRepetitions}, `SDP_BENCH_GROWTH_STORES` = {string.Join(",", o.GrowthStores)} " +
             "(`embedded` adds the embedded host over HTTP). " +
             "`-- --only e2e|bulk` (or `SDP_BENCH_ONLY`) runs one part alone and prints its figures without rewriting this file; " +
             "`--only append`, `--only growth`, `--only tracing` and `--only views` rewrite their own section, (a), (d), (f) and (e), and leave the rest.");
        Line();
    }

    private void Machine()
    {
        var m = run.Machine;
        Line("## Machine");
        Line();
        Line("| | |");
        Line("| --- | --- |");
        Line($"| Date | {m.Date:yyyy-MM-dd HH:mm} UTC |");
        Line($"| CPU | {m.Cores} cores (nproc), {m.CpuModel} |");
        Line($"| Memory | {m.Memory} |");
        Line($"| OS | {m.OperatingSystem} |");
        Line($"| .NET | {m.DotNet} |");
        Line($"| PostgreSQL | {m.PostgreSql} ({m.PostgreSqlSettings}) |");
        Line($"| RabbitMQ | {run.RabbitMqVersion}, classic durable queues, persistent messages |");
        Line($"| Load average (1 / 5 / 15 min) | {run.LoadBefore} before, {run.LoadAfter} after |");
        Line($"| Other programs' CPU while measuring | median {Format.Number(MedianOthers, "F2")} of {m.Cores} cores |");
        Line();
        Line("PostgreSQL, RabbitMQ, the benchmark and both service hosts share these cores. \"Other programs' CPU\" is the " +
             "machine's busy time (from /proc/stat) minus this process, every postgres process and the RabbitMQ node: " +
             "what other work on the machine took away." +
             (MedianOthers > 0.2
                 ? " **It was not negligible in this run**: the machine was shared, so absolute figures are lower and noisier " +
                   "than on a quiet machine. The ratios hold up better, because each figure and its baseline were measured " +
                   "interleaved, but read the ranges."
                 : ""));
        Line();
    }

    private void Append() => _md.Append(new AppendReport(A, run.DataBytes, run.MetadataBytes, partialRun: null).ToMarkdown());

    private void EndToEnd()
    {
        var shipped = E.Shipped;
        var appended = new Sample([.. shipped.Runs.Select(r => r.Appended.TotalSeconds)]).Median;
        var relayed = new Sample([.. shipped.Runs.Select(r => r.Relayed.TotalSeconds)]).Median;
        var applied = new Sample([.. shipped.Runs.Select(r => r.Applied.TotalSeconds)]).Median;

        Line("## (b) End to end: append → relay → RabbitMQ → projection inbox");
        Line();
        Line($"Two real hosts in this process, as in `RealStackTests`: the Wmo law service (`LawService.Build`: PostgreSQL store, " +
             $"RabbitMQ bus, its relay as shipped, batches of {E.RelayBatch}) and the projection service (`ProjectionsService.Build`), each with " +
             "its own bus connection, on the benchmark's database and virtual host. N = " +
             $"{E.Events:N0} new provisions (`ProvisionStarted`, each its own stream, valid 999-BSNs) are appended straight into " +
             "the law service's `IEventStore` (keyed \"wmo\"), 500 streams per transaction; the clock runs from the first append " +
             "until the projection's `ProjectionMetrics.AppliedCount` has grown by N. The relay's `Published` count gives the " +
             "moment the broker had confirmed the last event.");
        Line();
        Line($"Baseline, **raw RabbitMQ** (RabbitMQ.Client 7.2.2, measured interleaved with the platform): N messages of " +
             $"{E.RawMessageBytes} bytes (the same event JSON), persistent, to a durable fanout exchange bound to a durable queue, " +
             "on a channel created with `new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)`; " +
             $"{E.RawPublishBatch} awaited `BasicPublishAsync` calls in flight at a time, their confirms awaited together (as the relay does); a consumer on its own " +
             $"connection, prefetch {E.RawPrefetch}, acknowledging each message. Timed from the first publish to the last message consumed.");
        Line();
        Line($"| | events/s | of raw RabbitMQ | ≥ {Format.Percent(EndToEndTarget)} |");
        Line("| --- | ---: | ---: | --- |");
        Line($"| Platform as shipped (relay batch {E.RelayBatch}, projection prefetch {shipped.Prefetch}) | {Range(shipped.Platform)} | **{Format.Percent(E.Ratio)}** | {Mark(E.Ratio, EndToEndTarget)} |");
        Line($"| Raw RabbitMQ publish → consume | {Range(E.Raw)} | 100 % | |");
        foreach (var v in E.Variants)
        {
            var ratio = v.Ratio ?? v.Platform.Median / E.Raw.Median;
            Line($"| {v.Label} (projection prefetch {v.Prefetch}) | {Range(v.Platform)} | {Format.Percent(ratio)}" +
                 (v.Raw is { } own ? $" of {Format.Rate(own.Median)}, the raw broker measured in turns with it" : "") + $" | {Mark(ratio, EndToEndTarget)} |");
        }
        Line();
        var paired = new Sample([.. shipped.Runs.Zip(E.Raw.Rates, (p, r) => p.Rate / r)]);
        Line($"Each platform repetition was measured right before or after a raw one; the median of those per-repetition ratios is " +
             $"{Format.Percent(paired.Median)} ({Format.Percent(paired.Min)}–{Format.Percent(paired.Max)}), a check on the ratio of medians above " +
             "when the machine's load drifts.");
        Line();
        Line($"Correctness: the inbox holds {E.InboxCount:N0} events for {E.ExpectedInboxCount:N0} appended; {E.Duplicates} duplicate deliveries were ignored.");
        Line();

        Line("### What limits the pipeline");
        Line();
        Line($"In the shipped pipeline (medians) the appends were done after {Format.Number(appended, "F2")} s, the relay had published " +
             $"and seen confirmed every event after {Format.Number(relayed, "F2")} s, and the projection had applied the last one after " +
             $"{Format.Number(applied, "F2")} s. Each stage alone:");
        Line();
        Line("| Stage | events/s | CPU cores: this process / postgres / rabbitmq / others | CPU µs per event (first three) |");
        Line("| --- | ---: | --- | ---: |");
        string CpuCells(CpuUsage c, double rate) =>
            $"{Format.Number(c.Benchmark, "F2")} / {Format.Number(c.Postgres, "F2")} / {Format.Number(c.RabbitMq, "F2")} / {Format.Number(c.Others, "F2")} | {Format.Number(Micros(c, rate))}";
        Line($"| Append only, inside the pipeline (500 streams per transaction) | {Format.Rate(E.Events / appended)} | | |");
        Line($"| Relay alone: append, read, publish with confirms; no consumer running | {Format.Rate(E.RelayAlone.Rate)} | {CpuCells(E.RelayAlone.Cpu, E.RelayAlone.Rate)} |");
        Line($"| Consumer alone: projection as shipped draining N queued messages | {Format.Rate(E.ConsumerAlone.Rate)} | {CpuCells(E.ConsumerAlone.Cpu, E.ConsumerAlone.Rate)} |");
        Line($"| Whole pipeline as shipped | {Format.Rate(shipped.Platform.Median)} | {CpuCells(shipped.Cpu, shipped.Platform.Median)} |");
        foreach (var v in E.Variants)
            Line($"| Whole pipeline, {v.Label} | {Format.Rate(v.Platform.Median)} | {CpuCells(v.Cpu, v.Platform.Median)} |");
        Line($"| Raw RabbitMQ publish → consume | {Format.Rate(E.Raw.Median)} | {CpuCells(E.RawCpu, E.Raw.Median)} |");
        Line();

        var consumerLimited = E.ConsumerAlone.Rate < E.RelayAlone.Rate;
        var relayBound = applied - relayed < 0.25 * applied;
        Line(consumerLimited
            ? $"- **Alone, the projection's consumer is the slower stage**: it applies {Format.Rate(E.ConsumerAlone.Rate)} events/s, the relay alone publishes {Format.Rate(E.RelayAlone.Rate)}/s."
            : $"- **Alone, the relay is the slower stage**: it publishes {Format.Rate(E.RelayAlone.Rate)} events/s ({Format.Percent(E.RelayAlone.Rate / E.Raw.Median)} of the raw broker's rate), " +
              $"the consumer alone applies {Format.Rate(E.ConsumerAlone.Rate)}/s.");
        Line(relayBound
            ? $"- In the pipeline the projection applies the last event {Format.Number(applied - relayed, "F2")} s after the relay's last confirm: it keeps up, and **the relay sets the pace**."
            : $"- In the pipeline the projection applies the last event {Format.Number(applied - relayed, "F2")} s after the relay's last confirm: **the projection falls behind** and sets the pace.");
        Line($"- The relay reads, publishes and checkpoints side by side (up to 4 batches of {E.RelayBatch} events in flight), but with one message " +
             "per event it deserializes each stored event and MassTransit serializes it again into its envelope, and MassTransit's publish and " +
             "consume paths (envelope, send pipe, confirm bookkeeping, dispatch) cost much more CPU per message than a bare `BasicPublishAsync`." +
             (E.Variants.FirstOrDefault(v => v.Label.Contains("relay batch", StringComparison.Ordinal)) is { } bigger
                 ? !Comparable(bigger)
                     ? $" The what-if with batches of {bigger.Label.Split(' ')[^1]} is not comparable in this run: other programs took {Format.Number(bigger.Cpu.Others, "F2")} cores during it against {Format.Number(shipped.Cpu.Others, "F2")} during the shipped pipeline (both measured after each other, not interleaved)."
                     : $" With batches of {bigger.Label.Split(' ')[^1]} instead of {E.RelayBatch} the pipeline moved from {Format.Rate(shipped.Platform.Median)} to {Format.Rate(bigger.Platform.Median)} events/s " +
                   $"({Format.Number(bigger.Platform.Median / shipped.Platform.Median, "F2")}×)."
                 : ""));
        foreach (var v in E.Variants.Where(v => v.Raw is not null))
            Line($"- **{v.Label}**: the relay sends the stored JSON as it is, {v.Label.Split(' ')[^1]} events to a message, and the projection records a " +
                 $"message's events in one group. CPU per event {Format.Number(Micros(shipped.Cpu, shipped.Platform.Median))} → " +
                 $"{Format.Number(Micros(v.Cpu, v.Platform.Median))} µs, RabbitMQ {Format.Number(shipped.Cpu.RabbitMq, "F2")} → {Format.Number(v.Cpu.RabbitMq, "F2")} cores; " +
                 $"PostgreSQL, at {Format.Number(v.Cpu.Postgres, "F2")} cores (the appends, the relay's reads and checkpoints, the projection's inbox " +
                 "and views), is what it waits for now.");
        Line("- The stage-alone figures are capacities of one stage with the other stages not competing; in the pipeline all stages run at once and share the CPU, " +
             "so the pipeline is slower than its slowest stage alone.");
        Line($"- Everything shares {run.Machine.Cores} cores. The shipped pipeline costs about {Format.Number(Micros(shipped.Cpu, shipped.Platform.Median))} µs " +
             $"of CPU per event (this process, PostgreSQL and RabbitMQ together), the raw broker {Format.Number(Micros(E.RawCpu, E.Raw.Median))} µs per message. " +
             "When the machine is saturated, throughput is cores divided by CPU per event, so the CPU per event is what to cut: " +
             "with one message per event, every event is serialized three times on its way (law service, relay, projection inbox) and parsed as many.");
        Line();
    }

    /// <summary>What-ifs run after the shipped pipeline; they compare only if other programs took about as much CPU meanwhile.</summary>
    private bool Comparable(PipelineVariant variant) => Math.Abs(variant.Cpu.Others - E.Shipped.Cpu.Others) <= 0.3;

    private BulkResult B => run.Bulk;

    /// <summary>The target of the issue for the batch endpoint, in provision events per second.</summary>
    public const double BulkTarget = 50_000;
    public const double BulkToCopyTarget = 0.90;
    public const double MessageToJsonTarget = 0.80;

    /// <summary>The JSON case the target is judged on: the largest batch.</summary>
    private BulkCase BulkMain => B.Cases.Where(c => !c.Xml).MaxBy(c => c.Records)!;

    private static string Ms(double ms) => Format.Number(ms, ms < 10 ? "F1" : "N0");

    private void BulkIngest()
    {
        var main = BulkMain;
        var cases = B.Cases;
        var xml = cases.FirstOrDefault(c => c.Xml);
        var concurrentCase = cases.FirstOrDefault(c => c.Concurrent is not null);
        var others = new Sample([.. cases.SelectMany(c => c.Runs).Select(r => r.Cpu.Others)]).Median;

        Line("## (c) Bulk ingest: the JSON batch endpoint and a large JW305");
        Line();
        Line("The Jeugdwet law service as `LawService.Build` makes it (PostgreSQL store, RabbitMQ bus, its relay), started in this " +
             "process on a loopback port and called over real HTTP by an `HttpClient` with a beheerder's JWT. Each repetition sends one " +
             "request of fresh records, each the start of a new provision (its own toewijzingnummer) of a client the store does not " +
             $"know yet: `POST /api/v1/provisions/batch` (JSON, all or nothing; {BulkWorkload.ProvisionsPerClient} provisions per client, " +
             "as a migration sends them) or `POST /api/v1/berichten` (a JW305 of one client with all its StartProducts, " +
             "`application/xml`, validated against the iJw XSD, answered with a retour). The latency runs from the send to the last byte " +
             "of the answer, which the service sends after the commit: every event counted was stored durably (`synchronous_commit=on`, " +
             "`fsync=on`). Each accepted start writes its `ProvisionStarted` in `provision-<id>` and the client-index " +
             "tag `client:<bsn>` of that stream, a narrow row of the store's `stream_tags` table; an append of " +
             $"{PostgresEventStore.CopyFrom:N0} events or more goes in by binary `COPY` (the events, then the tags by one `INSERT ... ON CONFLICT DO NOTHING`, " +
             "in one transaction), a smaller one by one `INSERT ... FROM unnest`. **Events/s counts provision events (starts); rows/s counts event rows.**");
        Line();
        Line("Beside every request, on exactly the rows the service wrote for the same records (taken from `ProvisionService.Process` run " +
             "in process on a store that holds nothing), each in a schema of its own, in an order that turns per repetition: the **store alone**, " +
             "`PostgresEventStore.AppendAsync` of those rows in one multi-stream append (one transaction); **raw COPY**, the same rows " +
             "into a table with the store's columns, keys and indexes by binary `COPY` (events, then tags) and `COMMIT`, the target's baseline; " +
             "and **raw INSERT**, the same rows by one `INSERT ... SELECT FROM unnest` of typed arrays (jsonb sent as jsonb), " +
             "then `COMMIT`, the way the store took every append before. The ratios are medians of the ratios within each repetition, where a request and its baselines ran one after the other. " +
             "Before each measurement the benchmark collects the garbage of the one before, so each pays for its own collections only. " +
             "After each request the relay publishes its events before anything else is measured " +
             $"(for {main.Records:N0} starts it took a median {Format.Seconds(TimeSpan.FromSeconds(main.Median(r => r.RelayDrain.TotalSeconds)))}; " +
             "into a queue that keeps nothing, bound only so that the relay's mandatory publishes are routed), so it never competes for the CPU while something is timed.");
        Line();
        Line("| Request | Provision events (rows, streams) | Body | Latency per request | **Provision events/s** | Rows/s | Store alone, events/s | Raw COPY, events/s | Raw INSERT, events/s | Endpoint / store | **Endpoint / raw COPY** | Store / raw COPY | Endpoint / raw INSERT |");
        Line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var c in cases)
        {
            var latency = new Sample([.. c.Runs.Select(r => r.Latency.TotalMilliseconds)]);
            Line($"| {c.Label} | {c.Records:N0} ({c.Rows:N0}, {c.Streams:N0}) | {Format.Number(c.BodyBytes / 1024.0 / 1024.0, "F1")} MiB | " +
                 $"{Format.Number(latency.Median)} ms ({Format.Number(latency.Min)}–{Format.Number(latency.Max)}) | **{Range(c.Endpoint)}** | " +
                 $"{Format.Rate(c.Endpoint.Median * c.RowsPerRecord)} | {Range(c.Store)} | {Range(c.RawCopy)} | {Range(c.Raw)} | " +
                 $"{Format.Percent(c.EndpointToStore.Median)} | **{Format.Percent(c.EndpointToRawCopy.Median)}** | {Format.Percent(c.StoreToRawCopy.Median)} | {Format.Percent(c.EndpointToRaw.Median)} |");
        }
        if (concurrentCase?.Concurrent is { } together)
            Line($"| What-if: {concurrentCase.ConcurrentRequests} JSON batches of {concurrentCase.Records:N0} at once (one connection each) | " +
                 $"{concurrentCase.ConcurrentRequests * concurrentCase.Records:N0} | | {Format.Number(new Sample([.. concurrentCase.Runs.Select(r => r.Concurrent!.Value.Wall.TotalMilliseconds)]).Median)} ms for all | " +
                 $"{Range(together)} | {Format.Rate(together.Median * concurrentCase.RowsPerRecord)} | | | | | | | |");
        Line();
        if (B.ReusedClients > 0)
            Line($"With these settings the 999-test BSNs ran out: {B.ReusedClients:N0} records went to clients that already had provisions " +
                 "(their client tags exist already). Fewer repetitions or smaller batches avoid it.");
        if (B.ReusedClients > 0) Line();
        var rawMain = main.RawCopy.Median;
        Line($"**Target: ≥ {Format.Rate(BulkTarget)} provision events/s accepted durably through the batch endpoint.** Measured: " +
             $"{Format.Rate(main.Endpoint.Median)} events/s ({Format.Rate(main.Endpoint.Median * main.RowsPerRecord)} rows/s) with {main.Records:N0} starts per request, " +
             $"{Format.Percent(main.Endpoint.Median / BulkTarget)} of the target: **not met**. The database itself does not reach it either: raw COPY takes the same rows at " +
             $"{Format.Rate(rawMain)} events/s ({Format.Rate(rawMain * main.RowsPerRecord)} rows/s), {Format.Percent(rawMain / BulkTarget)} of the target. " +
             $"The endpoint would need {Format.Number(BulkTarget / main.Endpoint.Median, "F1")}× its throughput, raw PostgreSQL {Format.Number(BulkTarget / rawMain, "F1")}× on this machine. " +
             $"**Target: ≥ {Format.Percent(BulkToCopyTarget)} of raw COPY.** Measured: {Format.Percent(main.EndpointToRawCopy.Median)}: " +
             (main.EndpointToRawCopy.Median >= BulkToCopyTarget ? "**met**." : "**not met**; the store alone reaches " + Format.Percent(main.StoreToRawCopy.Median) + " of it, the rest is the service's own work (below)."));
        Line();
        if (others > 0.2)
            Line($"**Noise**: other programs took a median {Format.Number(others, "F2")} of {run.Machine.Cores} cores while the requests ran, and PostgreSQL is the " +
                 "machine's shared server (the postgres CPU below counts every backend, other users' included). Requests of the same size vary by " +
                 "the ranges shown; the ratios to the store and raw figures, measured next to each request, are steadier than the absolute rates.");
        else
            Line("PostgreSQL is the machine's shared server: the postgres CPU below counts every backend, other users' included. The ranges show " +
                 "how much requests of the same size varied; the ratios to the store and raw figures, measured next to each request, are steadier.");
        Line("**The machine is shared with other work.** In runs of this benchmark during its development, while other programs took about one " +
             "of the two cores, the bulk rates came out 30–40 % lower with far wider ranges, and the ratios moved less: compare ratios, not " +
             "absolute rates, across runs.");
        Line();

        Line("### Where the time goes");
        Line();
        Line("The store the service uses is wrapped (in the benchmark's host only, through the DI container) to take a timestamp when " +
             "`ReadStreamsAsync` and `AppendAsync` start and end; with the client's send and receive times these split each request into " +
             "stages: everything before the append (the read apart, where the service reads), the append, the answer. The indented rows are separate measurements of the same records, in process and without I/O (so only indicative of the " +
             "stage's CPU work); the store and raw rows come from the measurements beside each request. Milliseconds per request, medians.");
        Line();
        Line("| Stage | " + string.Join(" | ", cases.Select(c => c.Label)) + " |");
        Line("| --- |" + string.Concat(cases.Select(_ => " ---: |")));
        void Row(string label, Func<BulkCase, string> cell) => Line($"| {label} | {string.Join(" | ", cases.Select(cell))} |");
        string M(BulkCase c, Func<BulkRun, double> f) => Ms(c.Median(f));
        string ReadCell(BulkCase c)
        {
            var read = c.Runs.Where(r => r.Stages.Reads == 1).ToList();
            return read.Count == 0
                ? $"none: decided as new ({c.Streams:N0} streams)"
                : $"{Ms(new Sample([.. read.Select(r => r.Stages.Read)]).Median)} ({c.Streams:N0} streams; in {read.Count} of {c.Runs.Count} requests)";
        }
        Row("**Receive, validate, decide + serialize**: transfer, JWT, body parsing, validation, decisions and event JSON, until the append (a read apart)",
            c => M(c, r => r.Stages.Receive + r.Stages.Decide));
        Row("↳ in process: parse (JSON deserialization; XML reader + XSD + mapping)", c => M(c, r => r.InProcess.Parse));
        Row("↳ in process: validation (`RecordValidation`, SHA-256 identities)", c => M(c, r => r.InProcess.Validate));
        Row("↳ in process: decide + serialize", c => M(c, r => r.InProcess.DecideAndSerialize));
        Row("↳ in process: of which serializing the rows alone (data and metadata)", c => M(c, r => r.InProcess.Serialize));
        Row("**Read**: `ReadStreamsAsync` of every stream the records touch, where the service read them", c => ReadCell(c));
        Row("↳ what that read costs: the store alone, same streams, on a table like the service's (`ReadStreamsAsync`: one index lookup per stream)", c => M(c, r => r.StoreReadMs));
        Row("↳ the query the store used before, same streams (`where stream_id = any($1)`)", c => M(c, r => r.AnyReadMs));
        Row("**Append**: `AppendAsync`, insert and commit in one transaction", c => $"**{M(c, r => r.Stages.Append)}**");
        Row("↳ the store alone, same rows", c => M(c, r => r.StoreMs));
        Row("↳ raw COPY, same rows: copy and commit", c => M(c, r => r.RawCopyMs));
        Row("↳ raw INSERT, same rows: insert + commit", c => $"{M(c, r => r.RawInsertMs)} + {M(c, r => r.RawCommitMs)}");
        Row("**Answer**: rendering the answer, transfer", c => M(c, r => r.Stages.Answer));
        Row("↳ in process: rendering (`BatchResponse` JSON; `Retour` XML)", c => M(c, r => r.InProcess.Render));
        Row("**Total**: latency at the client", c => $"**{Ms(c.LatencyMs)}**");
        Row("Garbage-collector pauses within the request (part of the stages above)", c => M(c, r => r.Stages.GcTotal));
        Row("Append's share of the request", c => Format.Percent(c.Median(r => r.Stages.Append / r.Latency.TotalMilliseconds)));
        Row("Everything but the append: the service's own work and the read", c => M(c, r => r.Latency.TotalMilliseconds - r.Stages.Append));
        Row("CPU while a request runs, cores: this process / postgres / others", c => $"{Format.Number(c.Cpu.Benchmark, "F2")} / {Format.Number(c.Cpu.Postgres, "F2")} / {Format.Number(c.Cpu.Others, "F2")}");
        Line();

        Line("### What limits bulk ingest");
        Line();
        var appendShare = main.Median(r => r.Stages.Append / r.Latency.TotalMilliseconds);
        var commit = main.Median(r => r.RawCommitMs);
        var provisionOnly = main.RawProvisionRows.Median;
        var ownWork = main.Median(r => r.Latency.TotalMilliseconds - r.Stages.Append);
        var cpuWork = main.Median(r => r.InProcess.Parse + r.InProcess.Validate + r.InProcess.DecideAndSerialize + r.InProcess.Render);
        var readPerStream = main.Median(r => r.Stages.Read) / main.Streams * 1000;
        Line($"1. **The insert itself.** The append takes {Format.Percent(appendShare)} of a request of {main.Records:N0} starts. The store is not what limits it: " +
             $"alone it appends those rows at {Format.Rate(main.Store.Median)} events/s, {Format.Percent(main.StoreToRawCopy.Median)} of raw COPY's " +
             $"{Format.Rate(main.RawCopy.Median)}; raw `INSERT ... FROM unnest` of the same rows, which the store used for every append before, " +
             $"runs at {Format.Rate(main.Raw.Median)} ({Format.Number(main.RawCopyToRaw.Median, "F2")}× slower than COPY in this run). What PostgreSQL spends is its work per row, in one backend on one core: the heap row, four index " +
             "entries (the identity primary key, unique `event_id`, unique `(stream_id, version)` whose random stream names land all over the index, " +
             "and `(transaction_id, position)`), parsing the JSON into `jsonb`, and the WAL of all of it. The commit's flush is only " +
             $"{Ms(commit)} ms of it. An exploratory measurement during development (the same table in a scratch database, 40,000 rows inserted " +
             "server-side from a staging table, so no client at all; not part of this run): 620–740 ms, i.e. about 55,000–65,000 rows/s or " +
             "30,000 starts/s at best; without the `(stream_id, version)` key about 20 % less, with the primary key as the only index about 45 % less, " +
             "`text` instead of `jsonb` about 15 % less, an unlogged table (no WAL) about 20 % less; `COPY` from the staging table instead of " +
             "`INSERT ... SELECT` no faster there, while from the client, as measured beside every request here, `COPY` is the faster way in.");
        Line($"2. **The client index.** Each start also writes its tag row (two text columns, one primary-key entry). What-if, raw Npgsql " +
             $"with the provision rows only: {Format.Rate(provisionOnly)} events/s, {Format.Number(main.ProvisionRowsToRaw.Median, "F2")}× the rate with the tags " +
             "(median of the per-repetition ratios).");
        Line($"3. **The service's own work** is everything but the append: {Ms(ownWork)} ms of {Ms(main.LatencyMs)} per request " +
             $"({Format.Percent(ownWork / main.LatencyMs)}): receiving, validating, deciding and serializing " +
             $"({Ms(main.Median(r => r.Stages.Receive + r.Stages.Decide))} ms) and answering ({Ms(main.Median(r => r.Stages.Answer))} ms); " +
             (main.Runs.All(r => r.Stages.Reads == 0)
                 ? $"the {main.Streams:N0} streams are not read: records this many are first decided as new (`ProvisionService.AssumeNewFrom`), " +
                   "and the append, which expects every stream to be empty, proves it (else the records are read and decided again). Reading them " +
                   $"would have cost {Ms(main.Median(r => r.StoreReadMs))} ms, {Format.Number(main.Median(r => r.StoreReadMs) / main.Streams * 1000, "F1")} µs " +
                   "per stream, as the store alone took beside each request. "
                 : $"reading the {main.Streams:N0} streams took {Ms(main.Median(r => r.Stages.Read))} ms ({Format.Number(readPerStream, "F1")} µs per stream). ") +
             "In process, without I/O, its CPU work (parse, validation, decisions, " +
             $"serialization, rendering) is {Ms(cpuWork)} ms, {Format.Number(cpuWork / main.Records * 1000, "F1")} µs per start; garbage-collector pauses " +
             $"took {Ms(main.Median(r => r.Stages.GcTotal))} ms of a request. Even if all of this were free, the endpoint would run at the store's rate, " +
             $"{Format.Percent(main.Store.Median / BulkTarget)} of the target.");
        Line($"4. **One request is one chain**: the .NET work, then one PostgreSQL backend, one after the other and each on one core; while a request " +
             $"of {main.Records:N0} ran, this process used {Format.Number(main.Cpu.Benchmark, "F2")} cores and PostgreSQL {Format.Number(main.Cpu.Postgres, "F2")}." +
             (concurrentCase?.Concurrent is { } c2
                 ? $" What-if, {concurrentCase.ConcurrentRequests} batches of {concurrentCase.Records:N0} at once: {Format.Rate(c2.Median)} events/s against " +
                   $"{Format.Rate(concurrentCase.Endpoint.Median)} one at a time ({Format.Number(concurrentCase.ConcurrentToSingle!.Median, "F2")}× within a repetition); " +
                   $"this process and PostgreSQL then used {Format.Number(concurrentCase.ConcurrentCpu!.Benchmark + concurrentCase.ConcurrentCpu.Postgres, "F2")} " +
                   $"of {run.Machine.Cores} cores (other programs {Format.Number(concurrentCase.ConcurrentCpu.Others, "F2")})" +
                   (concurrentCase.ConcurrentCpu.Benchmark + concurrentCase.ConcurrentCpu.Postgres + concurrentCase.ConcurrentCpu.Others >= 0.8 * run.Machine.Cores
                       ? ": the machine is then nearly saturated, so more parallelism needs more cores."
                       : ": part of the machine was still idle.")
                 : ""));
        if (xml is not null)
        {
            Line($"5. **The JW305** of {xml.Records:N0} StartProducts ({Format.Number(xml.BodyBytes / 1024.0 / 1024.0, "F1")} MiB) reaches {Format.Rate(xml.Endpoint.Median)} events/s" +
                 (xml.ToJsonBeside is { } toJson
                     ? $", {Format.Percent(toJson.Median)} of the rate of a JSON batch of as many starts posted right after it " +
                       $"({Format.Percent(toJson.Min)}–{Format.Percent(toJson.Max)} over the repetitions)"
                     : "") +
                 $". Reading it (XML reader with XSD validation, the header as a tree, the products as their texts, mapping) takes " +
                 $"{Ms(xml.Median(r => r.InProcess.Parse))} ms in process, {Format.Number(xml.Median(r => r.InProcess.Parse) / xml.Records * 1000, "F1")} µs " +
                 $"per product, and rendering the retour and writing it as UTF-8 {Ms(xml.Median(r => r.InProcess.Render))} ms, which the service does " +
                 $"while the store commits; its rows append at the store's rate ({Format.Rate(xml.Store.Median)} events/s alone). " +
                 "One client with many products: one client tag per product, as in the JSON batch.");
        }
        Line();
        Line("### What would reach the target");
        Line();
        Line($"The target asks {Format.Rate(BulkTarget * main.RowsPerRecord)} rows/s of this schema from two shared cores; raw PostgreSQL did " +
             $"{Format.Rate(rawMain * main.RowsPerRecord)}. Tuning the service's code can bring the endpoint at most to the store's rate, so the " +
             "remaining steps change what is stored or where it runs (estimates unless measured above):");
        Line();
        Line($"1. **No client index in the hot path**: the tags table already replaced the index event (one narrow row instead of a second " +
             $"event row with four index entries); dropping it altogether " +
             (main.ProvisionRowsToRaw.Median > 1.05
                 ? $"would give {Format.Number(main.ProvisionRowsToRaw.Median, "F2")}× the raw insert rate (the what-if above)"
                 : $"made no measurable difference to the raw insert ({Format.Number(main.ProvisionRowsToRaw.Median, "F2")}× its rate in the what-if above, within the noise)") +
             ", and a client's provisions could then only be found by a scan.");
        Line("2. **More cores, batches in parallel**: each batch is one transaction in one backend and one request thread, so a loader that " +
             "sends batches over several connections scales with the cores PostgreSQL and the service get (point 4 above measures two at once " +
             "on this machine). With point 1, this is the step that could reach the target (estimate: two or three batches in parallel on " +
             "four dedicated cores); two cores leave too little to run them on.");
        Line("3. **Cheaper rows** (schema decisions, so only listed): every index has its purpose (the `(stream_id, version)` key is the " +
             "optimistic-concurrency guard, `event_id` the duplicate guard, `(transaction_id, position)` the relay's log order), so what is left is " +
             "making rows and keys smaller: a uuid stream key instead of `provision-<uuid>` text, `json` instead of `jsonb` for payloads that are " +
             "never queried inside (estimate: 10–20 % each, from the exploratory figures in point 1 of the limits).");
        Line("4. **In the service**, worth a few per cent: fewer allocations per record in validation and deciding (most of the in-process CPU " +
             "of those stages is allocation and collection).");
        Line();
        Line("Changed with this benchmark (the figures above are with all of these changes):");
        Line();
        Line($"- `PostgresEventStore.AppendAsync` takes an append of {PostgresEventStore.CopyFrom:N0} events or more by binary `COPY`: in one transaction, " +
             "first whether every existing stream is at its expected version (a stream cannot fall back, events are never removed), then the events " +
             "by `COPY`, where a version another writer took meanwhile fails on the `(stream_id, version)` key as the `INSERT` did, then the tags. " +
             $"Raw, beside every request of this run, `COPY` took the rows {Format.Number(main.RawCopyToRaw.Median, "F2")}× as fast as `INSERT ... FROM unnest` " +
             $"({Format.Rate(main.RawCopy.Median)} against {Format.Rate(main.Raw.Median)} events/s for {main.Records:N0} starts). Smaller appends (the API's " +
             "single records, the relay's and projection's own writes) keep the one-statement `INSERT`, one round trip instead of four.");
        Line("- `PostgresEventStore.ReadStreamsAsync` looks each stream up in the `(stream_id, version)` index (a `LATERAL` subquery per stream), " +
             "with JIT off for that one read-only transaction, instead of `where stream_id = any($1)`. Given thousands of streams, the planner " +
             "expected thousands of rows for the old query and often chose a parallel sequential scan of the whole table, a cost that grows with " +
             "the store (on the benchmark's database at 367,000 rows: 5,001 streams 90 ms against 18 ms by the index). A lookup per stream alone " +
             "then ran into JIT: its estimated cost grows with the number of streams, and past `jit_above_cost` PostgreSQL spent 80–200 ms " +
             "compiling a query that runs in 15 ms. Both queries are measured in this run on the store-alone table (the rows under **Read** above): " +
             string.Join("; ", B.Cases.Select(c => $"{c.Streams:N0} streams {Ms(c.Median(r => r.StoreReadMs))} ms now, {Ms(c.Median(r => r.AnyReadMs))} ms before")) +
             ". The price: the transaction's `COMMIT`, one more round trip per read.");
        Line("- `EventSerializer`: the events of one request share their metadata, which is now serialized once for all of them instead of once " +
             "per row (a batch of 20,000 starts held 20,000 equal copies of it; measured during development at about 20 ms of CPU per 20,000 starts).");
        Line("- `ProvisionService`: deciding on a record no longer folds a provision from a stream without events (`Provision.From` of nothing " +
             "is null) and names each record's stream once instead of four times. In process on 20,000 new starts (`ProvisionService.Process` " +
             "on a store that holds nothing; 11 runs of 20 repetitions per build, builds alternated, medians): process CPU 277 → 237 ms (−15 %, " +
             "most of it garbage-collector work saved), wall time 242 → 232 ms (−4 %); within the noise of the endpoint figures.");
        Line();
    }

    private void Suggestions()
    {
        var shipped = E.Shipped;
        var bigger = E.Variants.FirstOrDefault(v => v.Label.Contains("relay batch", StringComparison.Ordinal));
        Line("## Suggestions for the production code");
        Line();
        Line("The benchmark changes no production code; the what-ifs apply a change from the outside (configuration, or options the " +
             "code already takes) to measure it. Expected gains are those measured here unless marked as estimates. For bulk ingest see " +
             "[what would reach the target](#what-would-reach-the-target).");
        Line();
        var batched = E.Variants.FirstOrDefault(v => v.Raw is not null);
        Line("1. **Relay batch size**: the relay already reads, publishes and checkpoints side by side (`BatchesInFlight`). " +
             (bigger is null || !Comparable(bigger)
                 ? ""
                 : bigger.Platform.Median >= 1.05 * shipped.Platform.Median
                     ? $"A larger batch helps: {Format.Rate(shipped.Platform.Median)} → {Format.Rate(bigger.Platform.Median)} events/s end to end with {bigger.Label.Split(' ')[^1]}; raise the default."
                     : $"A larger batch does not help ({Format.Rate(shipped.Platform.Median)} → {Format.Rate(bigger.Platform.Median)} events/s with {bigger.Label.Split(' ')[^1]}): " +
                       "the cost is per message, not per round."));
        Line("2. **Several events per message by default**: " +
             (batched is null
                 ? "not measured in this run (`SDP_BENCH_EVENTS_PER_MESSAGE`)."
                 : $"with `{batched.Label.Replace(" = ", "=", StringComparison.Ordinal)}` the pipeline runs at {Format.Rate(batched.Platform.Median)} events/s against " +
                   $"{Format.Rate(shipped.Platform.Median)} with one message per event ({Format.Number(batched.Platform.Median / shipped.Platform.Median, "F1")}×). ") +
             "The services' default stays 1 because a subscriber bound to the single event types would miss batches without an error " +
             "(docs/relay.md); once the message contract's next major version makes batches the only form, the default can follow.");
        Line("3. **PostgreSQL is what a batched pipeline waits for**: " +
             (batched is null ? "" : $"{Format.Number(batched.Cpu.Postgres, "F2")} cores of it in the batched pipeline, ") +
             "for the appends, the relay's reads and checkpoints, and the projection's inbox with its views (about ten statements per " +
             "group of events: insert, locks, the provisions' events, timelines, households, entries, counts, progress). Folding the " +
             "statements of a group into fewer round trips (a batch of commands, or one function per group) and storing the inbox's " +
             "payload as `json` rather than `jsonb` (it is never queried inside) are the next steps (estimates: 10–20 % each).");
        Line();
    }

    private void RawData()
    {
        Line("## Every repetition");
        Line();
        Line("Events per second, in the order measured.");
        Line();
        Line("| Figure | Repetitions |");
        Line("| --- | --- |");
        foreach (var a in A)
        {
            var name = $"{a.Case.BatchSize}/commit, {a.Case.Writers} writer(s), {(a.Case.ExistingStreams ? "existing" : "new")} streams";
            Line($"| Append, store, {name} | {string.Join(", ", a.Store.Rates.Select(Format.Rate))} |");
            Line($"| Append, raw, {name} | {string.Join(", ", a.Raw.Rates.Select(Format.Rate))} |");
        }
        Line($"| End to end, as shipped | {string.Join(", ", E.Shipped.Runs.Select(r => $"{Format.Rate(r.Rate)} (appended {Format.Seconds(r.Appended)}, relayed {Format.Seconds(r.Relayed)}, applied {Format.Seconds(r.Applied)})"))} |");
        Line($"| Raw RabbitMQ | {string.Join(", ", E.Raw.Rates.Select(Format.Rate))} |");
        foreach (var v in E.Variants)
            Line($"| End to end, {v.Label} | {string.Join(", ", v.Runs.Select(r => $"{Format.Rate(r.Rate)} (relayed {Format.Seconds(r.Relayed)}, applied {Format.Seconds(r.Applied)})"))} |");
        Line($"| Relay alone | {Format.Rate(E.RelayAlone.Rate)} |");
        Line($"| Consumer alone | {Format.Rate(E.ConsumerAlone.Rate)} |");
        foreach (var c in B.Cases)
        {
            Line($"| Bulk, {c.Label}: endpoint (latency) | {string.Join(", ", c.Runs.Select(r => $"{Format.Rate(c.Records / r.Latency.TotalSeconds)} ({Format.Number(r.Latency.TotalMilliseconds)} ms)"))} |");
            Line($"| Bulk, {c.Label}: store alone | {string.Join(", ", c.Store.Rates.Select(Format.Rate))} |");
            Line($"| Bulk, {c.Label}: raw COPY | {string.Join(", ", c.RawCopy.Rates.Select(Format.Rate))} |");
            Line($"| Bulk, {c.Label}: raw INSERT | {string.Join(", ", c.Raw.Rates.Select(Format.Rate))} |");
            Line($"| Bulk, {c.Label}: raw Npgsql, provision rows only | {string.Join(", ", c.RawProvisionRows.Rates.Select(Format.Rate))} |");
            if (c.Concurrent is { } together)
                Line($"| Bulk, {c.Label}: what-if, {c.ConcurrentRequests} at once | {string.Join(", ", together.Rates.Select(Format.Rate))} |");
        }
    }
}
