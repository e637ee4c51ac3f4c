using System.Text;
using System.Text.Json;

namespace SocialDomain.Benchmarks;

/// <summary>Everything the views part measured, with where and how, as saved beside the report and rendered into it.</summary>
public sealed record ViewsRun(ViewsResult Result, MachineInfo Machine, BenchmarkOptions Options, string LoadBefore, string LoadAfter, TimeSpan Duration)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ViewsRun FromJson(string json) => JsonSerializer.Deserialize<ViewsRun>(json, Json)!;
}

/// <summary>
/// The views part's own section of docs/benchmarks.md, between two markers: a run of the views part replaces that
/// section and leaves the rest of the file as it is.
/// </summary>
public sealed class ViewsReport(ViewsRun run)
{
    public const double HouseholdP99Target = 5;
    public const double ListP99Target = 20;
    public const double LagP99Target = 1000;
    public const double RebuildTarget = 0.5;

    private const string Begin = "<!-- views benchmark: begin (written by tests/Benchmarks --only views) -->";
    private const string End = "<!-- views benchmark: end -->";

    private readonly StringBuilder _md = new();

    private ViewsResult R => run.Result;

    /// <summary>The report with this section in place of the old one, or appended when it has none yet.</summary>
    public static string Splice(string report, string section)
    {
        var begin = report.IndexOf(Begin, StringComparison.Ordinal);
        var end = report.IndexOf(End, StringComparison.Ordinal);
        if (begin >= 0 && end > begin) return report[..begin] + section + report[(end + End.Length)..].TrimStart('\n').Insert(0, "\n");
        return (report.Length == 0 ? "" : report.TrimEnd('\n') + "\n\n") + section + "\n";
    }

    public string ToMarkdown()
    {
        Line(Begin);
        Intro();
        Summary();
        Machine();
        Load();
        Household();
        Lists();
        Lag();
        Rebuild();
        Limits();
        _md.Append(End);
        return _md.ToString();
    }

    private void Line(string text = "") => _md.AppendLine(text);

    private static string Ms(double ms) => double.IsNaN(ms) ? "–" : Format.Number(ms, ms < 10 ? "F2" : ms < 100 ? "F1" : "N0") + " ms";

    private static string Ratio(double value, double baseline) => baseline > 0 ? Format.Number(value / baseline, "F1") + "×" : "–";

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static string Cpu(CpuUsage c) =>
        $"{Format.Number(c.Benchmark, "F2")} / {Format.Number(c.Postgres, "F2")} / {Format.Number(c.Others, "F2")}";

    private void Intro()
    {
        Line($"## (e) Persisted views of the projection: {R.Load.Households:N0} households on PostgreSQL");
        Line();
        Line($"Written by `tests/Benchmarks` (the part `views`) on {run.Machine.Date:yyyy-MM-dd HH:mm} UTC; it rewrites only this section. " +
             "The projection's persisted views (per provision a folded timeline, per household an entry of the gemeente list, both " +
             "changed in the transaction that records an event in the inbox) are loaded with a municipal population and then read, " +
             "fed and rebuilt; every figure stands beside the raw PostgreSQL (or RabbitMQ) doing the same work in the same run, on " +
             "the same data. Latencies come from an open-loop load generator: request *i* starts at *start + i / rate* whether or " +
             "not the earlier ones have answered, and its latency counts from that scheduled moment, so a stall shows in every " +
             "request that waited behind it (no coordinated omission) and a late scheduler counts against the figure. The scheduler " +
             "is a thread of its own that wakes about every millisecond (`Thread.Sleep(1)`: 1.1 ms here); until 2026-12-05 it awaited " +
             "`Task.Delay(1)`, which wakes after about 4 ms on this machine, so requests went out in bursts and each carried up to 4 ms " +
             "of the generator's own lateness (the raw state by id: p50 3.0 → 1.1 ms, p99 6.3 → 2.9 ms with 20,000 households). Each latency " +
             "figure is one run at the offered rate after a short warm-up; percentiles are nearest-rank over all requests of that run.");
        Line();
        Line("```bash");
        Line("rabbitmqctl add_vhost sdp-bench; rabbitmqctl set_permissions -p sdp-bench guest '.*' '.*' '.*'");
        Line($"SDP_POSTGRES=\"{SocialDomain.ServiceDefaults.PlatformSettings.LocalPostgres}\" \\");
        Line("SDP_RABBITMQ=\"amqp://guest:guest@127.0.0.1:5672/sdp-bench\" \\");
        Line("dotnet run -c Release --project tests/Benchmarks -- --only views");
        Line("```");
        Line();
        var o = run.Options;
        Line($"This part took {Format.Seconds(run.Duration)}. Settings: `SDP_BENCH_VIEW_HOUSEHOLDS` = {o.ViewHouseholds:N0}; household view " +
             $"`SDP_BENCH_VIEW_RATE` = {Format.Rate(o.ViewGetRate)}/s for `SDP_BENCH_VIEW_SECONDS` = {Format.Number(o.ViewGetDuration.TotalSeconds)} s; " +
             $"gemeente list `SDP_BENCH_LIST_RATE` = {Format.Rate(o.ListRate)}/s for `SDP_BENCH_LIST_SECONDS` = {Format.Number(o.ListDuration.TotalSeconds)} s per case; " +
             $"lag `SDP_BENCH_LAG_RATE` = {Format.Rate(o.LagRate)}/s for `SDP_BENCH_LAG_SECONDS` = {Format.Number(o.LagDuration.TotalSeconds)} s. " +
             "`SDP_BENCH_VIEWS_FROM=<file>` renders this section again from the results a run saved (its path is printed at the end), without measuring.");
        Line();
    }

    private void Summary()
    {
        Line("### Summary");
        Line();
        Line("| Target (from the issue) | Platform | Raw baseline, same run | Met |");
        Line("| --- | --- | --- | --- |");
        var h = R.HouseholdHttp;
        Line($"| Household view GET at {Format.Rate(h.OfferedRate)}/s offered: p99 < {Format.Number(HouseholdP99Target)} ms | " +
             $"p50 {Ms(h.P50)}, p99 {Ms(h.P99)}, {Format.Rate(h.AnsweredRate)}/s answered | the state by id: p50 {Ms(R.HouseholdRaw.P50)}, p99 {Ms(R.HouseholdRaw.P99)} " +
             $"(p99 {Ratio(h.P99, R.HouseholdRaw.P99)}) | {Met(h.P99 < HouseholdP99Target && h.Failed == 0)} |");
        foreach (var c in R.Lists)
            Line($"| Gemeente list, {c.Label}, at {Format.Rate(c.Http.OfferedRate)}/s: p99 < {Format.Number(ListP99Target)} ms | " +
                 $"p50 {Ms(c.Http.P50)}, p99 {Ms(c.Http.P99)}, {Format.Rate(c.Http.AnsweredRate)}/s answered | p50 {Ms(c.Raw.P50)}, p99 {Ms(c.Raw.P99)} " +
                 $"(p99 {Ratio(c.Http.P99, c.Raw.P99)}) | {Met(c.Http.P99 < ListP99Target && c.Http.Failed == 0)} |");
        var lag = R.Lag;
        Line($"| Projection lag at {Format.Rate(lag.OfferedRate)} events/s for {Format.Number(run.Options.LagDuration.TotalSeconds)} s: p99 < 1 s | " +
             $"p50 {Ms(lag.P50)}, p99 {Ms(lag.P99)}, {Format.Rate(lag.AnsweredRate)}/s applied | " +
             (R.BrokerLatency is { } b ? $"RabbitMQ publish → consume: p50 {Ms(b.P50)}, p99 {Ms(b.P99)}" : "not measured") +
             $" | {Met(lag.P99 < LagP99Target && lag.Failed == 0)} (see the note on what it covers) |");
        var r = R.Rebuild;
        Line($"| Rebuild of all views ≥ 50 % of the raw read rate of the inbox | {Format.Rate(r.Rate)} events/s | raw read {Format.Rate(r.Raw.Median)} events/s: " +
             $"**{Format.Percent(r.Ratio)}** | {Met(r.Ratio >= RebuildTarget)} |");
        Line();
    }

    private void Machine()
    {
        var m = run.Machine;
        var others = new Sample([R.HouseholdHttp.Cpu.Others, R.HouseholdRaw.Cpu.Others, .. R.Lists.Select(c => c.Http.Cpu.Others), R.Lag.Cpu.Others,
            R.Rebuild.Cpu.Others]).Median;
        Line("### Machine");
        Line();
        Line("| | |");
        Line("| --- | --- |");
        Line($"| CPU | {m.Cores} cores (nproc), {m.CpuModel} |");
        Line($"| Memory | {m.Memory} |");
        Line($"| OS | {m.OperatingSystem} |");
        Line($"| .NET | {m.DotNet} |");
        Line($"| PostgreSQL | {m.PostgreSql} ({m.PostgreSqlSettings}) |");
        Line($"| Load average (1 / 5 / 15 min) | {run.LoadBefore} before, {run.LoadAfter} after |");
        Line($"| Other programs' CPU while measuring | median {Format.Number(others, "F2")} of {m.Cores} cores |");
        Line();
        Line("The benchmark (load generator and projection host in one process), PostgreSQL and RabbitMQ share these cores. CPU columns " +
             "below are average cores busy as *benchmark process / PostgreSQL / other programs*, from /proc." +
             (others > 0.2 ? " **Other programs took a good part of the machine in this run**: absolute latencies are higher and noisier than " +
                             "on a quiet machine; the raw baselines ran under the same conditions, minutes apart." : ""));
        Line();
    }

    private void Load()
    {
        var l = R.Load;
        Line("### Loading the views");
        Line();
        Line($"{l.Households:N0} households of 1–4 members (adults and children, with birth dates), {l.MainGemeente:N0} of them in gemeente 0363 " +
             $"over {ViewPopulation.Wijken} wijken and the rest in four others; every household has at least one provision (Wmo and " +
             "Participatiewet for adults, Jeugdwet for children; about a third ended), a fifth has a regisseur. The events go through the " +
             $"inbox API (`PostgresInbox` from `Inboxes.Create`: `RecordHouseholdAsync` for joins and regie, `RecordAsync` for provisions), " +
             $"{l.Parallelism} households at once, so concurrent events of a kind share a transaction (group commit) as they do from the bus " +
             "(household events did not until 2026-12-05: loading 20,000 households then took 63 s, now 16 s).");
        Line();
        Line("| Events | Household events | Provision events | Time | Events/s | CPU (bench / PostgreSQL / others) |");
        Line("| ---: | ---: | ---: | ---: | ---: | --- |");
        Line($"| {l.Events:N0} | {l.HouseholdEvents:N0} | {l.ProvisionEvents:N0} | {Format.Seconds(l.Elapsed)} | {Format.Rate(l.Rate)} | {Cpu(l.Cpu)} |");
        Line();
        Line("After loading, the view tables are vacuumed and analyzed, as autovacuum would have done by the time anyone reads them.");
        Line();
    }

    private static void Row(StringBuilder md, LatencyResult r) => md.AppendLine(
        $"| {r.Label} | {Format.Rate(r.OfferedRate)} | {Format.Rate(r.AnsweredRate)} | {r.Failed} | {Ms(r.P50)} | {Ms(r.P99)} | {Ms(r.Max)} | {Cpu(r.Cpu)} | " +
        (r.Gc is { } gc ? $"{Format.Number(gc.PausedMs, "F0")} ms ({gc.Gen0} / {gc.Gen1} / {gc.Gen2})" : "–") + " |");

    private void Table(LatencyResult[] rows, bool slowestSeconds = false)
    {
        Line("| Figure | Offered/s | Answered/s | Failed | p50 | p99 | Max | CPU (bench / PostgreSQL / others) | GC paused (collections gen0 / 1 / 2) |");
        Line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        foreach (var r in rows) Row(_md, r);
        Line();
        if (!slowestSeconds) return;
        // One stall shows as a few seconds far above the rest; a tail spread over the run as many alike.
        var slowest = rows.Where(r => r.Slowest is { Count: > 0 }).ToList();
        if (slowest.Count == 0) return;
        Line("The three slowest seconds of each run (second of the run by scheduled start, its slowest request, and the garbage collector's pauses of this process during that second): " +
             string.Join("; ", slowest.Select(r => $"{r.Label}: {string.Join(", ", r.Slowest!)}")) + ".");
        Line();
    }

    private void Household()
    {
        Line("### Household view GET");
        Line();
        Line($"`GET /api/v1/households/{{id}}` on a running projection host (`ProjectionsService.Build`, `Store:Provider=Postgres` on the " +
             $"benchmark's database, `Bus:Transport=InMemory`), over HTTP on loopback, each request as the household's own regisseur " +
             $"(a signed token, role regisseur, gemeente 0363), picked at random from the {R.ViewTargets:N0} households of gemeente 0363 that have one. " +
             "The endpoint reads the household's state (its events and its members' timelines, kept with its list entry: one lookup by " +
             "primary key), decides access, builds the view on today's date and appends a row to the access log (its reply waits until the " +
             "row is committed; concurrent reads share a commit). " +
             "The raw baselines send the same query with Npgsql from a pool, and once more with the access-log insert added (one commit per read). " +
             $"The load generator keeps at most {ViewsBenchmark.HttpConnections} HTTP connections to the host (a request beyond them waits, " +
             $"and the wait counts in its latency); the host's data sources and the raw baseline's pool each hold at most {ViewsBenchmark.PoolSize} connections. " +
             "The last column is this process's garbage collector while the figure was measured: the host, the load generator and the raw " +
             "clients share the process, and with server GC each pause stops them all, so every request in flight waits it out.");
        Line();
        Table([R.HouseholdHttp, R.HouseholdRaw, R.HouseholdRawWithLog], slowestSeconds: true);
    }

    private void Lists()
    {
        Line("### Gemeente list");
        Line();
        Line($"`GET /api/v1/gemeenten/0363/households` as the gemeente's teamleider, page size 20, with {R.Load.MainGemeente:N0} households in the list. " +
             "The endpoint asks for entries that today's date made stale (an index range on `geldig_tot`), then sends the page " +
             "(keyset on `(signalen desc, household_id desc)`, one row more than the page to know whether a next page exists) " +
             "and the total in one batch; the total is a sum over `household_list_counts` (entries per gemeente, wijk, gestapeld and " +
             "with or without signals, spread over a few shards, kept in the view transaction), not a count of the entries. The raw " +
             "baselines send exactly these statements; *page alone* leaves out the stale check and the total, to show what they cost.");
        Line();
        foreach (var c in R.Lists)
        {
            Line($"**{c.Label}** (`{(c.Query.Length == 0 ? "no parameters" : c.Query.Length > 60 ? c.Query[..40] + "…" : c.Query)}`)");
            Line();
            Table([c.Http, c.Raw, c.RawPageOnly]);
        }
    }

    private void Lag()
    {
        Line("### Projection lag");
        Line();
        Line($"New provision starts for members of the loaded households (so each one changes a timeline and a household's list entry), " +
             $"published at {Format.Rate(R.Lag.OfferedRate)}/s on the projection host's in-memory bus; an event counts as applied when the " +
             "projection's consumer is done with it (a MassTransit consume observer), which is after the inbox transaction that changed " +
             "its views has committed. Latency is from the event's scheduled publish. **What it covers**: delivery → inbox → views, not the " +
             "law service's append and relay, nor a broker hop (the in-memory bus has none). Beside it, the raw broker: RabbitMQ.Client " +
             "publishing persistent messages with confirms to a durable queue and a consumer acknowledging each, at the same rate, " +
             "counted when a message is both confirmed and consumed. Commit in a law service → applied in the view is then at most about " +
             "the relay's pick-up delay plus the broker's latency plus the lag measured here (the end-to-end part (b) measures the relay's throughput).");
        Line();
        Table([R.Lag, .. R.BrokerLatency is { } b ? new[] { b } : []], slowestSeconds: true);
    }

    private void Rebuild()
    {
        var r = R.Rebuild;
        Line("### Rebuild of all views");
        Line();
        Line($"`PostgresInbox.RebuildAsync` on the loaded inbox (including the lag part's events): in one transaction it locks the inbox " +
             "against writes, creates empty view tables in a schema of its own with the old tables' indexes, streams every provision " +
             "event in provision order from a second connection (read and deserialized ahead on the thread pool) and folds the " +
             "timelines in batches of 2,000 provisions on the thread pool, each serialized once, written with binary COPY while the " +
             "next batch is folded (and kept in memory by person), then streams every household event in household order and " +
             "computes each household's entry and state from its events and its members' timelines in batches of 500 households, " +
             "again with COPY; it then drops the old tables and moves the new ones in. " +
             "Its rate counts the events it read (provision and household events). The raw read is the same two reads " +
             "(`select type, data::text from provision_events order by provision_id`, then all household events) on one connection, " +
             "strings read and dropped; once before and once after the rebuild.");
        Line();
        Line("| Figure | Events | Time | Events/s | CPU (bench / PostgreSQL / others) |");
        Line("| --- | ---: | ---: | ---: | --- |");
        Line($"| Rebuild ({r.Households:N0} households) | {r.Events:N0} | {Format.Seconds(r.Elapsed)} | {Format.Rate(r.Rate)} | {Cpu(r.Cpu)} |");
        foreach (var read in r.RawReads)
            Line($"| Raw read of the inbox | {read.Events:N0} | {Format.Seconds(read.Elapsed)} | {Format.Rate(read.Rate)} | {Cpu(read.Cpu)} |");
        Line($"| **Rebuild / raw read (median)** | | | **{Format.Percent(r.Ratio)}** | |");
        Line($"| What-if: the rebuild's fold alone, no writes | {r.FoldAlone.Events:N0} | {Format.Seconds(r.FoldAlone.Elapsed)} | {Format.Rate(r.FoldAlone.Rate)} | {Cpu(r.FoldAlone.Cpu)} |");
        Line();
        Line("The what-if is the rebuild's own fold (`ViewMaintenance.RebuildAsync` on the inbox read as the rebuild reads it) into " +
             "views that take every row, folded and serialized, and drop it: everything the rebuild does in this process, without " +
             "PostgreSQL taking the rows in.");
        Line();
    }

    private void Limits()
    {
        Line("### Where the time goes");
        Line();
        var h = R.HouseholdHttp;
        var log = R.HouseholdRawWithLog;
        Line($"- **Household view**: the state by id alone answers p50 {Ms(R.HouseholdRaw.P50)}, p99 {Ms(R.HouseholdRaw.P99)} raw (an index " +
             "lookup, see the plan below), and with the access-log insert, one commit per read, " +
             $"p50 {Ms(log.P50)}, p99 {Ms(log.P99)} (PostgreSQL busy {Format.Number(log.Cpu.Postgres, "F2")} cores). " +
             (h.AnsweredRate < 0.95 * h.OfferedRate
                 ? $"Over HTTP the host answered {Format.Rate(h.AnsweredRate)} of the {Format.Rate(h.OfferedRate)} requests/s offered ({h.Failed:N0} " +
                   $"not answered within 30 s): it is over capacity at this rate on this machine (busy: this process {Format.Number(h.Cpu.Benchmark, "F2")}, " +
                   $"PostgreSQL {Format.Number(h.Cpu.Postgres, "F2")}, other programs {Format.Number(h.Cpu.Others, "F2")} cores), requests queue, and the latency is that queue. " +
                   (log.P50 > 10 * R.HouseholdRaw.P50
                       ? "The access-log insert is what the raw figures single out: the read costs milliseconds, a commit per read " +
                         "does not keep up at this rate; the host shares commits between concurrent reads, but each read still waits for one."
                       : "")
                 : $"Over HTTP p50 {Ms(h.P50)}: beyond the raw work that is the host (token validation, routing, the fold, JSON), " +
                   $"on cores it shares with PostgreSQL and the load generator (this process used {Format.Number(h.Cpu.Benchmark, "F2")} cores). " +
                   $"Its p99 ({Ms(h.P99)}) is {(h.P99 < 0.9 * log.P99 ? "below" : h.P99 <= 1.1 * log.P99 ? "about" : "above")} that of the raw read with its access-log " +
                   $"commit ({Ms(log.P99)}): the tail comes with writing every read's log entry on this machine (an insert and a " +
                   "commit; the raw read alone stays far below it), which the reply waits for by design (docs/architecture.md), " +
                   "and with the host's own pauses" +
                   (h.Gc is { } gc ? $" (its garbage collector stopped the process for {Format.Number(gc.PausedMs, "F0")} ms in {gc.Gen0} collections during the run)" : "") +
                   "."));
        foreach (var c in R.Lists)
        {
            var counted = c.Plan.Split("\n\n").LastOrDefault() ?? "";
            Line($"- **List, {c.Label}**: the statements take p50 {Ms(c.Raw.P50)}, p99 {Ms(c.Raw.P99)} raw " +
                 $"({Format.Rate(c.Raw.AnsweredRate)}/s answered), the page alone p50 {Ms(c.RawPageOnly.P50)}, p99 {Ms(c.RawPageOnly.P99)}. " +
                 (c.Raw.P50 > 2 * c.RawPageOnly.P50
                     ? "The page is a short index range, however deep (keyset); the total is a sum of kept numbers" +
                       (counted.Contains("Seq Scan", StringComparison.Ordinal)
                           ? ", but here read as a sequential scan of the totals table (plan below)."
                           : "; what the raw figures add beyond the page is the stale check (an index range on `geldig_tot`) and a second round trip.")
                     : "The stale check and the total add little.") +
                 $" Over HTTP p50 {Ms(c.Http.P50)}, p99 {Ms(c.Http.P99)}, {Format.Rate(c.Http.AnsweredRate)}/s answered.");
        }
        var rb = R.Rebuild;
        var foldRatio = rb.FoldAlone.Rate / rb.Raw.Median;
        Line($"- **Rebuild**: {Format.Percent(rb.Ratio)} of the raw read. Reading, deserializing, folding and serializing alone, without " +
             $"writes, reaches {Format.Rate(rb.FoldAlone.Rate)} events/s ({Format.Percent(foldRatio)} of the raw read): " +
             (foldRatio < 0.5
                 ? "the work in this process alone is below the target, so it bounds the rebuild before any write does. "
                 : "the work in this process alone would allow the target; the rest of the rebuild's time is PostgreSQL taking the rows " +
                   "in (COPY, the indexes kept on the side, the write-ahead log) on the same cores. ") +
             $"During the rebuild this process used {Format.Number(rb.Cpu.Benchmark, "F2")} cores and PostgreSQL " +
             $"{Format.Number(rb.Cpu.Postgres, "F2")}, other programs {Format.Number(rb.Cpu.Others, "F2")}. Reading (a PostgreSQL backend), " +
             "deserializing and folding (this process, on the thread pool) and loading (a second backend) run side by side, so the rebuild " +
             "is bounded by the two cores it shares with everything else on this machine, not by round trips.");
        Line();
        Line("The plans PostgreSQL chose, with `EXPLAIN (ANALYZE, BUFFERS)` after the measurements:");
        Line();
        Line("<details><summary>Household view: the state by id</summary>");
        Line();
        Line("```");
        _md.Append(R.HouseholdPlan);
        Line("```");
        Line("</details>");
        Line();
        foreach (var c in R.Lists)
        {
            Line($"<details><summary>List, {c.Label}: page, then total</summary>");
            Line();
            Line("```");
            _md.Append(c.Plan);
            Line("```");
            Line("</details>");
            Line();
        }
    }
}
