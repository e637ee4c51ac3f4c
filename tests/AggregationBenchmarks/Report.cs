using System.Globalization;
using System.Text;

namespace SocialDomain.AggregationBenchmarks;

public static class Report
{
    /// <summary>docs/aggregation-benchmarks.md of the repository this runs in.</summary>
    public static string Locate()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return Path.Combine(dir.FullName, "docs", "aggregation-benchmarks.md");
        throw new InvalidOperationException("Run from inside the repository: no Platform.sln above the current directory.");
    }

    public static string Markdown(string machine, RebuildResult a, NationalResult b)
    {
        var v = b.View;
        var raw = Math.Max(a.RowReaderRate, a.CopyRate);
        var p = v.PersonenNL;
        var h = v.HuishoudensNL;
        double Stacked(Dictionary<string, int> t) =>
            100.0 * (t["Jeugd en Wmo"] + t["Jeugd en P-wet"] + t["P-wet en Wmo"] + t["Jeugd, P-wet en Wmo"]) / t["Totaal"];
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"""
            # Aggregation job: benchmarks

            Written by `dotnet run -c Release --project tests/AggregationBenchmarks` on {DateTime.UtcNow:yyyy-MM-dd}.
            Machine: {machine}.

            ## (a) Rebuild from the PostgreSQL log

            A synthetic population at scale {a.Scale} (national = 1.0) written into the four stores (`participatiewet`, `wmo`,
            `jeugdwet`, `households`) through the store's bulk append: {a.StoredRows:N0} rows in {a.Generate.TotalSeconds:F0} s. The
            national scale does not fit in PostgreSQL in reasonable time here; (b) and (c) use an extract instead.

            | read of the same {a.StoredRows:N0} rows | rows/s |
            |---|---:|
            | raw, row by row (`select type, data::text`, Npgsql reader) | {a.RowReaderRate:N0} |
            | raw, binary `COPY ... TO STDOUT (FORMAT BINARY)` | {a.CopyRate:N0} |
            | **rebuild**: read (binary COPY) + deserialize + `ProvisionFold`/`HouseholdFold` + pseudonymise + statistics fold (2025) | **{a.RebuildRate:N0}** |

            Rebuild / faster raw read: **{a.RebuildRate / raw:P1}** (target ≥ 50%: {Verdict(a.RebuildRate / raw >= 0.5)}); {a.Rebuild.TotalSeconds:F1} s
            for the whole rebuild, {a.FoldedEvents:N0} of the rows being provision and membership events (the rest: the law
            services' client index, read and skipped unparsed). Each figure is the best of three interleaved rounds.

            The fold alone, on events already in memory:

            | fold | rate |
            |---|---:|
            | **views' folds** (`ProvisionFold`, `HouseholdFold`) on the deserialized contract events, best of 5 (median) | **{a.ViewsFoldRate:N0}** ({a.ViewsFoldMedianRate:N0}) events/s |
            | views' folds + the pseudonymised extract built from them (`ExtractBuilder`, one HMAC per kept person and household) | {a.ExtractBuildRate:N0} events/s |
            | statistics fold on the extract ({a.Records:N0} records) | {a.StatisticsFoldRecordRate:N0} records/s = **{a.StatisticsFoldSourceRate:N0} source events/s** |

            Views' folds against the target of 5,000,000 events/s: {Verdict(a.ViewsFoldRate >= 5_000_000)} at their best, {Verdict(a.ViewsFoldMedianRate >= 5_000_000)} at the median.

            ## (b) The national stacking table, 2025

            A national population (scale {b.Scale}) generated straight into an extract in {b.Generate.TotalSeconds:F0} s
            ({b.ExtractBytes / 1e6:F0} MB): {v.Persons:N0} persons with provisions in {v.Households:N0} households, {v.Provisions:N0}
            provision periods, {v.Memberships:N0} memberships, standing for {v.SourceEvents:N0} events; {v.Regions:N0} regions
            (Nederland, gemeenten, wijken incl. "wijk onbekend"). Measured in a process of its own:

            | step | seconds |
            |---|---:|
            | read the extract file | {v.ReadSeconds:F2} |
            | region table | {v.RegionsSeconds:F2} |
            | **fold: persons and households, every region, 7 combinations, laws, categories** | **{v.FoldSeconds:F2}** |
            | disclosure control (primary, secondary by hypercubes, rounding), persons and households | {v.ProtectSeconds:F2} |
            | write CSV, JSON, PNG, SVG | {v.WriteSeconds:F2} |
            | **total** (target < 10 s) | **{v.TotalSeconds:F2}** |

            The statistics fold alone at national scale: {v.FoldRecordRate:N0} records/s = **{v.FoldSourceRate:N0} source events/s**
            (target ≥ 5,000,000 events/s; best of five).

            ## (c) Peak memory of the national view

            Peak working set {v.PeakWorkingSetBytes / 1e9:F2} GB (`Process.PeakWorkingSet64`), GC heap at the end
            {v.GcHeapBytes / 1e9:F2} GB, {v.ManagedAllocatedBytes / 1e9:F2} GB allocated in all.

            ## The synthetic population, measured (2025, Nederland, raw)

            | | persons | target |
            |---|---:|---:|
            | Jeugdwet | {p["Jeugdwet"]:N0} | ~470,000 |
            | Wmo | {p["Wmo"]:N0} | ~1,280,000 |
            | Participatiewet | {p["Participatiewet"]:N0} | ~406,000 |
            | under more than one law, share of users | {Stacked(p):F1}% | ~8% |
            | households under more than one law, share of using households | {Stacked(h):F1}% | ~13% |

            | combination | persons | households |
            |---|---:|---:|
            """);
        foreach (var c in new[] { "Totaal", "Alleen Jeugd", "Alleen Wmo", "Alleen P-wet", "Jeugd en Wmo", "Jeugd en P-wet", "P-wet en Wmo", "Jeugd, P-wet en Wmo" })
            s.AppendLine(CultureInfo.InvariantCulture, $"| {c} | {p[c]:N0} | {h[c]:N0} |");
        // Written for the run of 2026-11-23; check it still holds after a run that changes the figures much.
        s.Append(Notes);
        return s.ToString();
    }

    private static string Verdict(bool met) => met ? "met" : "**missed**";

    private const string Notes = """

        ## Reading the figures

        - **Source events/s** counts the events an extract stands for, including the join events of the many households
          in which nobody has a provision: the extract leaves those out (data minimisation), so the fold never touches
          them. **Records/s** (provision periods and memberships of persons with provisions) is the fold's own work rate.
        - **Where the rebuild's time goes.** PostgreSQL and the job share the two cores. PostgreSQL's backend spends most
          of a core rendering `jsonb` as text for COPY, and that bounds the raw read: reading the column as text, as bytes
          or as `jsonb` gives the same rate. The rebuild's reader and its JSON deserialization share the other core;
          after the read come the views' folds (on both cores), the pseudonymised extract and the statistics fold.
        - **What made the difference** against the first measurement (29% of the raw read, views' folds at 354,000
          events/s): the views' folds group a log in one pass (one dictionary lookup per run of a stream's events, the
          stream versions kept beside the chain so ordering never touches an event again) and replay the streams on all
          cores, where they did LINQ `GroupBy`/`OrderBy` and a dictionary entry per event id; the job reads each event's
          JSON as UTF-8 bytes instead of decoding it to a string and back; and it runs with the throughput (server)
          collector without a background collector, as a batch job that builds millions of objects should.
        - **Tried and not kept**: a source-generated JSON context for the five event types (no faster than the warmed-up
          serializer for these records); filtering the client-index rows out in the COPY (PostgreSQL's rate stays the
          same: those rows are small); a deserializing thread per core instead of one beside the reader, a larger
          first generation, and the sustained-low-latency collector mode (none moved the rebuild beyond the noise).
        - **The views' folds are measured on the events as deserialized from the log**, the heap a rebuild has, best of
          5 rounds after a full collection each, with the median beside it: on this shared virtual machine a round moves
          by ±20%.
        - **Both (a) targets sit at the threshold on this machine**: over the runs of 2026-11-23 with this code the
          rebuild came out at 49–55% of the raw read and the views' folds at 4.5–5.6 million events/s at their best, so a
          run may land on either side. The job shares two cores with PostgreSQL; measured apart from this benchmark, GC
          pauses of the growing heap of events (about 3 s of an 11–13 s rebuild) are the largest single cost on the
          job's side, then JSON deserialization (about 1 µs per event).
        - **Next, if more is needed**: fewer objects per deserialized event (every event carries its own stream id,
          BSN, gemeente and code strings), and a cheaper pseudonymised extract (a dictionary lookup by BSN for every
          membership of every household, one HMAC per kept person and household), which now costs more than the folds.
        """;
}
