using System.CommandLine;
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

    private static readonly Option<string> Extract = new("--extract")
    {
        Required = true, HelpName = "file", Description = "The pseudonymised extract: the only input.",
    };

    private static readonly Option<string> Out = new("--out")
    {
        Required = true, HelpName = "directory", Description = "Where stapeling.csv, .json, .png and .svg are written.",
    };

    private static readonly Option<string[]> Periodes = new("--periode")
    {
        HelpName = "2025|2025-H1|2025-H2", Description = "A year or half-year, counted 'op enig moment in de periode'; repeatable.",
    };

    private static readonly Option<string[]> Peildatums = new("--peildatum")
    {
        HelpName = "2025-06-30", Description = "A single day; repeatable.",
    };

    private static readonly Option<int> Threshold = new("--threshold")
    {
        HelpName = "count", Description = "The disclosure threshold: counts from 1 up to it are suppressed.",
        DefaultValueFactory = _ => DisclosureRule.Standaard.Drempel,
    };

    private static readonly Option<int> Rounding = new("--rounding")
    {
        HelpName = "base", Description = "The rounding base of published counts.",
        DefaultValueFactory = _ => DisclosureRule.Standaard.Afronding,
    };

    private static readonly Option<string> ChartRegio = new("--chart-regio")
    {
        HelpName = "NL01|GM0363|WK036301", Description = "The region of the chart (first period).", DefaultValueFactory = _ => "NL01",
    };

    private static readonly Option<bool> Raw = new("--raw")
    {
        Description = "Also write the raw, unprotected table into <directory>/onbeveiligd; with --role beheerder only.",
    };

    private static readonly Option<string> Role = new("--role")
    {
        HelpName = "beheerder", Description = "Confirms --raw.",
    };

    private static readonly Option<bool> ShowProgress = new("--progress")
    {
        Description = "Progress on stderr also when stderr is not a terminal.",
    };

    public static Command Command()
    {
        var command = new Command("aggregate", "Write the protected stacking tables per gemeente and wijk from an extract.")
        {
            Extract, Out, Periodes, Peildatums, Threshold, Rounding, ChartRegio, Raw, Role, ShowProgress,
        };
        command.SetAction(parsed => Run(parsed, parsed.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(ParseResult args, TextWriter stdout)
    {
        var extractPath = args.GetRequiredValue(Extract);
        var output = args.GetRequiredValue(Out);
        var perioden = Perioden(args);
        var regel = new DisclosureRule(args.GetValue(Threshold), args.GetValue(Rounding));
        try
        {
            regel.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new UsageException(ex.Message);
        }
        var raw = args.GetValue(Raw);
        if (raw && args.GetValue(Role) != Beheerder)
            throw new UsageException("The raw, unprotected table is only for the beheerder: confirm with --role beheerder.");
        if (!raw && args.GetValue(Role) is not null)
            throw new UsageException("--role only confirms --raw; the protected tables need no role.");
        var progress = ProgressBar.For(args.GetValue(ShowProgress));
        var clock = Stopwatch.StartNew();

        var extract = ExtractFile.Read(extractPath, new Progress(f => progress.Report("extract lezen", f)));
        progress.Done("extract lezen", $"{extract.Personen.Length:N0} personen");
        var regios = RegioIndeling.Van(extract);
        var chartRegio = regios.IndexOf(args.GetRequiredValue(ChartRegio));
        if (chartRegio < 0) throw new UsageException($"The extract has no region {args.GetValue(ChartRegio)}.");

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

    private static List<Periode> Perioden(ParseResult args)
    {
        var perioden = new List<Periode>();
        foreach (var text in args.GetValue(Periodes) ?? [])
            perioden.Add(Periode.TryParse(text, out var p) && !p.IsPeildatum ? p : throw new UsageException($"--periode is a year (2025) or half-year (2025-H1, 2025-H2), not '{text}'."));
        foreach (var text in args.GetValue(Peildatums) ?? [])
            perioden.Add(Periode.TryParse(text, out var p) && p.IsPeildatum ? p : throw new UsageException($"--peildatum is a date (2025-06-30), not '{text}'."));
        return perioden.Count > 0 ? perioden : throw new UsageException("Name at least one --periode (2025, 2025-H1, 2025-H2) or --peildatum (2025-06-30).");
    }

    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
