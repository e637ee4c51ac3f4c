using System.Diagnostics;
using SocialDomain.Aggregation.Output;
using SocialDomain.Views.Statistics;

namespace SocialDomain.Aggregation;

/// <summary>
/// <c>aggregate</c>: stacking tables from a pseudonymised extract. It reads nothing else, so it never sees a BSN.
/// It writes the protected tables (CSV, JSON) and the chart; the raw table only on an explicit request by the
/// beheerder (<c>--raw --role beheerder</c>), into a directory of its own.
/// </summary>
public static class AggregateCommand
{
    public const string RawDirectory = "onbeveiligd";
    public const string Beheerder = "beheerder";

    public static readonly IReadOnlySet<string> Options = new HashSet<string>
        { "--extract", "--out", "--periode", "--peildatum", "--threshold", "--rounding", "--chart-regio", "--role" };
    public static readonly IReadOnlySet<string> Flags = new HashSet<string> { "--raw", "--progress" };

    public static int Run(Arguments args, TextWriter stdout)
    {
        var extractPath = args.Required("--extract");
        var output = args.Required("--out");
        var perioden = Perioden(args);
        var regel = new DisclosureRule(args.Int("--threshold", DisclosureRule.Standaard.Drempel), args.Int("--rounding", DisclosureRule.Standaard.Afronding));
        try
        {
            regel.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new UsageException(ex.Message);
        }
        var raw = args.Flag("--raw");
        if (raw && args.Value("--role") != Beheerder)
            throw new UsageException("The raw, unprotected table is only for the beheerder: confirm with --role beheerder.");
        if (!raw && args.Value("--role") is not null)
            throw new UsageException("--role only confirms --raw; the protected tables need no role.");
        var progress = ProgressBar.For(args.Flag("--progress"));
        var clock = Stopwatch.StartNew();

        var extract = ExtractFile.Read(extractPath, new Progress(f => progress.Report("extract lezen", f)));
        progress.Done("extract lezen", $"{extract.Personen.Length:N0} personen");
        var regios = RegioIndeling.Van(extract);
        var chartRegio = regios.IndexOf(args.Value("--chart-regio") ?? "NL01");
        if (chartRegio < 0) throw new UsageException($"The extract has no region {args.Value("--chart-regio")}.");

        var beveiligd = new List<ProtectedTable>();
        var onbeveiligd = new List<StackingTable>();
        for (var i = 0; i < perioden.Count; i++)
        {
            progress.Report("tellen " + perioden[i].Code, (double)i / perioden.Count);
            var tabel = StatisticsFold.Fold(extract, regios, perioden[i]);
            beveiligd.Add(DisclosureControl.Protect(tabel, regel));
            if (raw) onbeveiligd.Add(tabel);
        }
        progress.Done("tellen en beveiligen", $"{perioden.Count} perioden, {regios.Regios.Count:N0} regio's");

        Directory.CreateDirectory(output);
        var files = new List<string>
        {
            Path.Combine(output, "stapeling.csv"), Path.Combine(output, "stapeling.json"),
            Path.Combine(output, "stapeling.png"), Path.Combine(output, "stapeling.svg"),
        };
        TableWriter.WriteCsv([.. beveiligd.Select(TableCells.Of)], files[0]);
        TableWriter.WriteJson([.. beveiligd.Select(TableCells.Of)], files[1], regel);
        StackingChart.Write(beveiligd[0], chartRegio, files[2], files[3]);
        if (raw)
        {
            var directory = Path.Combine(output, RawDirectory);
            Directory.CreateDirectory(directory);
            files.Add(Path.Combine(directory, "stapeling-onbeveiligd.csv"));
            files.Add(Path.Combine(directory, "stapeling-onbeveiligd.json"));
            TableWriter.WriteCsv([.. onbeveiligd.Select(TableCells.Of)], files[^2]);
            TableWriter.WriteJson([.. onbeveiligd.Select(TableCells.Of)], files[^1], null);
        }
        foreach (var file in files) stdout.WriteLine(file);
        stdout.WriteLine($"{perioden.Count} perioden, {regios.Regios.Count:N0} regio's, drempel {regel.Drempel}, afronding {regel.Afronding}; " +
            $"{clock.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    private static List<Periode> Perioden(Arguments args)
    {
        var perioden = new List<Periode>();
        foreach (var text in args.Values("--periode"))
            perioden.Add(Periode.TryParse(text, out var p) && !p.IsPeildatum ? p : throw new UsageException($"--periode is a year (2025) or half-year (2025-H1, 2025-H2), not '{text}'."));
        foreach (var text in args.Values("--peildatum"))
            perioden.Add(Periode.TryParse(text, out var p) && p.IsPeildatum ? p : throw new UsageException($"--peildatum is a date (2025-06-30), not '{text}'."));
        return perioden.Count > 0 ? perioden : throw new UsageException("Name at least one --periode (2025, 2025-H1, 2025-H2) or --peildatum (2025-06-30).");
    }

    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
