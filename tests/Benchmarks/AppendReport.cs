using System.Text;

namespace SocialDomain.Benchmarks;

/// <summary>Section (a) of docs/benchmarks.md: the event store's appends beside raw Npgsql, from a full run or `--only append`.</summary>
public sealed class AppendReport(IReadOnlyList<AppendResult> A, double dataBytes, double metadataBytes, string? partialRun)
{
    private const string Heading = "## (a) Append throughput of the PostgreSQL event store";

    private readonly StringBuilder _md = new();

    private void Line(string text = "") => _md.AppendLine(text);

    public string ToMarkdown()
    {
        Line(Heading);
        Line();
        if (partialRun is not null)
        {
            Line(partialRun);
            Line();
        }
        Line($"Events are serialized `ProvisionStarted` of the Wmo (data {Format.Number(dataBytes)} bytes of JSON on average, " +
             $"metadata {Format.Number(metadataBytes)} bytes), serialized before the clock starts; each gets a fresh version-7 event id. " +
             "*New* streams: every commit goes to a new stream `provision-<guid>` at expected version 0. *Existing*: each " +
             "writer owns 64 streams that already hold events and appends round-robin at the expected version n each holds, in a " +
             $"table that holds {Format.Number(AppendBenchmark.History)} events of other streams, analyzed, as a store in use does. " +
             "With 100 events per commit, one commit holds 100 events of one stream. Every repetition starts from an emptied " +
             "(truncated) table, seeded again; the writers run for the set time and events/s counts committed events.");
        Line();
        Line("- **Event store**: `PostgresEventStore.AppendAsync` as shipped: one statement in its own transaction (one round trip), " +
             "`INSERT ... SELECT FROM unnest(...)` with typed array parameters (one event alone: typed plain values), with the " +
             "expected-version check folded in as a `WHERE` on the index when n > 0; Npgsql prepares it on a connection after its " +
             "second use (the store's data source sets `Max Auto Prepare`).");
        Line("- **Raw Npgsql**: the same rows into a table with the same columns, defaults, keys and index (bigint identity " +
             "primary key, `transaction_id` default `pg_current_xact_id()`, unique `event_id`, unique `(stream_id, version)`, " +
             "index on `(transaction_id, position)`), the fastest reasonable way: one connection per writer, a prepared " +
             "statement with typed parameters, autocommit. One event: `INSERT ... VALUES`; 100 events: one `INSERT ... SELECT FROM unnest(arrays)`. " +
             "It checks no expected version (the unique key alone guards it).");
        Line();
        Line("| Events per commit | Writers | Streams | Event store, events/s | Raw Npgsql, events/s | Store / raw | Target met |");
        Line("| ---: | ---: | --- | ---: | ---: | ---: | --- |");
        foreach (var a in A)
            Line($"| {a.Case.BatchSize} | {a.Case.Writers} | {(a.Case.ExistingStreams ? "existing" : "new")} | {Report.Range(a.Store)} | {Report.Range(a.Raw)} | " +
                 $"**{Format.Percent(a.Ratio)}** | ≥ {Format.Percent(Report.AppendTarget(a))}: {Report.Mark(a.Ratio, Report.AppendTarget(a))} |");
        Line();

        Line("### What limits the store");
        Line();
        var single = A.FirstOrDefault(a => a.Case is { BatchSize: 1, Writers: 1, ExistingStreams: false });
        if (single is not null)
            Line($"With one event per commit and one writer, a commit takes {Format.Number(1000 / single.Store.Median, "F2")} ms " +
                 $"through the store and {Format.Number(1000 / single.Raw.Median, "F2")} ms raw. Both are one prepared statement in one " +
                 "round trip that commits by itself; what the store does beyond the raw insert, per commit:");
        Line();
        Line("1. **Arrays for several events**: one statement serves any number of events and streams as typed arrays that " +
             "PostgreSQL unnests; one event alone binds six plain values, as the raw insert does (before that, a single event " +
             "travelled as six one-element arrays: 74 % of raw at 1 writer, 94 % after, in a run of this part on 2026-12-05).");
        Line("2. **The expected-version check** (existing streams only): an index probe per stream inside the insert. Its plan is " +
             "cached with the prepared statement; PostgreSQL makes it again when the table is analyzed. A plan made while the table " +
             "was nearly empty reads the table whole instead of probing the index, on every append, until autovacuum analyzes it " +
             "(at most a minute, once a tenth of it changed): an earlier version of this benchmark analyzed the table at 64 rows and " +
             "then appended to it, and measured 39 % of raw at 1 writer for that reason, not for the check. The table now holds " +
             "history, as a store in use does.");
        Line("3. **A connection from the pool per append**, where each raw writer keeps its own. Npgsql by default resets a " +
             "connection that goes back to the pool with seven statements (`RESET ALL`, `CLOSE ALL`, `UNLISTEN *`, ...) sent in " +
             "front of the next command; the platform's pools turn that off, as their connections keep no session state " +
             "(`PostgresConnections.Tuned`): with 8 writers and one event per commit that took the store from 70 % (new streams) and " +
             "65 % (existing) of raw to 96 % and 89 %. What is left is the rent and return, and a connection's prepared statements " +
             "are only reused when the pool hands out one that has them.");
        Line();
        return _md.ToString();
    }

    /// <summary>Replaces this section of an existing docs/benchmarks.md.</summary>
    public static string Splice(string document, string section)
    {
        var start = document.IndexOf(Heading, StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException($"docs/benchmarks.md has no section \"{Heading}\": run the whole benchmark once.");
        var end = document.IndexOf("\n## ", start + Heading.Length, StringComparison.Ordinal);
        return document[..start] + section + (end < 0 ? "" : document[(end + 1)..]);
    }
}
