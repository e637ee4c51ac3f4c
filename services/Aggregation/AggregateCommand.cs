using System.CommandLine;
using System.Diagnostics;
using SocialDomain.Aggregation.Output;
using SocialDomain.Views.Statistics;

using static SocialDomain.Aggregation.Output.NederlandseNotatie;

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
        Required = true, HelpName = "directory", Description = "Where stapeling.csv, .json, -metadata.json, .png and .svg are written.",
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

    private static readonly Option<int> Protection = new("--protection")
    {
        HelpName = "width",
        Description = "The protection interval: the least width of the interval in which an outsider can place a suppressed count.",
        DefaultValueFactory = _ => DisclosureRule.Standaard.Beschermingsinterval,
    };

    private static readonly Option<string> ChartRegio = new("--chart-regio")
    {
        HelpName = "NL01|GM0363|WK036301", Description = "The region of the chart (first period).", DefaultValueFactory = _ => "NL01",
    };

    private static readonly Option<string> Gebieden = new("--gebieden")
    {
        HelpName = "file", Description = "The year's gemeente/wijk code list in CBS's shape (GM_CODE;GM_NAAM;WK_CODE;WK_NAAM); default the repository's list.",
    };

    private static readonly Option<int?> GebiedenJaar = new("--gebieden-jaar")
    {
        HelpName = "year", Description = "The year of --gebieden, when its file name has none.",
    };

    private static readonly Option<string> BevolkingOptie = new("--bevolking")
    {
        HelpName = "file", Description = "Inhabitants per region, year and age group and households per region and year (StatLine shape): the denominators of the rates.",
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
            Extract, Out, Periodes, Peildatums, Threshold, Rounding, Protection, ChartRegio, Gebieden, GebiedenJaar, BevolkingOptie, Raw, Role, ShowProgress,
        };
        command.SetAction(parsed => Run(parsed, parsed.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(ParseResult args, TextWriter stdout)
    {
        var extractPath = args.GetRequiredValue(Extract);
        var output = args.GetRequiredValue(Out);
        var perioden = Perioden(args);
        var regel = new DisclosureRule(args.GetValue(Threshold), args.GetValue(Rounding), args.GetValue(Protection));
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

        if (args.GetValue(GebiedenJaar) is not null && args.GetValue(Gebieden) is null)
            throw new UsageException("--gebieden-jaar names the year of a --gebieden file; give the file too.");
        var codelijst = Lees(() => args.GetValue(Gebieden) is { } gebieden
            ? RegioCodelijst.Lees(gebieden, args.GetValue(GebiedenJaar))
            : RegioCodelijst.Lees(Path.Combine(AppContext.BaseDirectory, "Data", StandaardGebieden), null));
        var bevolking = args.GetValue(BevolkingOptie) is { } bevolkingPad ? Lees(() => Bevolking.Lees(bevolkingPad)) : null;

        var extract = ExtractFile.Read(extractPath, new Progress(f => progress.Report("extract lezen", f)));
        progress.Done("extract lezen", Nl($"{extract.Personen.Length:N0} personen"));
        var regios = RegioIndeling.Van(extract, codelijst);
        var chartRegio = regios.IndexOf(args.GetRequiredValue(ChartRegio));
        if (chartRegio < 0) throw new UsageException($"The extract has no region {args.GetValue(ChartRegio)}.");

        var beveiligd = new List<ProtectedTable>();
        var onbeveiligd = new List<StackingTable>();
        // Counting a period takes a moment, protecting it most of the time, and the protection has no steps to report. So
        // the bar is a share of the time: each period is an equal part, split between counting (moving per 4,096 persons)
        // and protecting in the proportion the periods done so far took. Until one period is done that proportion is
        // unknown, and the line shows no time to go.
        var (tellen, beveiligen) = (TimeSpan.Zero, TimeSpan.Zero);
        var personen = Math.Max(1, extract.Personen.Length);
        for (var i = 0; i < perioden.Count; i++)
        {
            var (periode, begin) = (perioden[i], Stopwatch.GetTimestamp());
            var telAandeel = tellen + beveiligen > TimeSpan.Zero ? tellen / (tellen + beveiligen) : 1;
            void Meld(double deel, string wat) =>
                progress.Report("tellen en beveiligen", (i + deel) / perioden.Count, $"({wat} {periode.Code})", schatting: i > 0);
            var tabel = StatisticsFold.Fold(extract, regios, periode, p => Meld(telAandeel * p / personen, "tellen"));
            var geteld = Stopwatch.GetElapsedTime(begin);
            Meld(telAandeel, "beveiligen");
            beveiligd.Add(DisclosureControl.Protect(tabel, regel));
            if (raw) onbeveiligd.Add(tabel);
            tellen += geteld;
            beveiligen += Stopwatch.GetElapsedTime(begin) - geteld;
        }
        progress.Done("tellen en beveiligen", Nl($"{perioden.Count} perioden, {regios.Regios.Count:N0} regio's"));

        Directory.CreateDirectory(output);
        var files = Write([.. beveiligd.Select(TableCells.Of)], output, "stapeling", new MetadataBron(extract, regios, regel, bevolking));
        files.Add(Path.Combine(output, "stapeling.png"));
        files.Add(Path.Combine(output, "stapeling.svg"));
        StackingChart.Write(beveiligd[0], chartRegio, files[^2], files[^1]);
        if (raw)
            files.AddRange(Write([.. onbeveiligd.Select(TableCells.Of)], Directory.CreateDirectory(Path.Combine(output, RawDirectory)).FullName,
                "stapeling-onbeveiligd", new MetadataBron(extract, regios, null, bevolking)));
        foreach (var file in files) stdout.WriteLine(file);
        stdout.WriteLine(Nl($"{perioden.Count} perioden, {regios.Regios.Count:N0} regio's, drempel {regel.Drempel}, afronding {regel.Afronding}, beschermingsinterval {regel.Beschermingsinterval}; {clock.Elapsed.TotalSeconds:F1} s"));
        if (regios.OnbekendeCodes.Count > 0)
            stdout.WriteLine($"{regios.OnbekendeCodes.Count} codes niet in de gebiedsindeling {codelijst.Jaar} ({codelijst.Bron}): " +
                string.Join(", ", regios.OnbekendeCodes.Take(10).Select(o => Nl($"{o.Code} ({o.Huishoudens:N0} huishoudens, {o.Voorzieningen:N0} voorzieningen)"))) +
                (regios.OnbekendeCodes.Count > 10 ? ", ..." : "") + $"; alle in {Metadata.Bestandsnaam("stapeling")}");
        return 0;
    }

    /// <summary>The default code list, in Data/ beside the program: the codes the platform's demo and tests use.</summary>
    public const string StandaardGebieden = "gebiedsindeling-2025.csv";

    /// <summary>The table as CSV and JSON with its metadata file beside it.</summary>
    private static List<string> Write(IReadOnlyList<TableCells> tabellen, string directory, string naam, MetadataBron bron)
    {
        List<string> files = [Path.Combine(directory, naam + ".csv"), Path.Combine(directory, naam + ".json"), Path.Combine(directory, Metadata.Bestandsnaam(naam))];
        TableWriter.WriteCsv(tabellen, files[0], bron.Bevolking);
        TableWriter.WriteJson(tabellen, files[1], bron.Regel, bron.Bevolking);
        Metadata.Write(tabellen, bron, files[2]);
        return files;
    }

    /// <summary>An input file that cannot be read is wrong use: one line saying what is wrong with it.</summary>
    private static T Lees<T>(Func<T> lees)
    {
        try
        {
            return lees();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static List<Periode> Perioden(ParseResult args)
    {
        var perioden = new List<Periode>();
        foreach (var text in args.GetValue(Periodes) ?? [])
            perioden.Add(Periode.TryParse(text, out var p) && !p.IsPeildatum ? p : throw new UsageException($"--periode is a year (2025) or half-year (2025-H1, 2025-H2), not '{text}'."));
        foreach (var text in args.GetValue(Peildatums) ?? [])
            perioden.Add(Periode.TryParse(text, out var p) && p.IsPeildatum ? p : throw new UsageException($"--peildatum is a date (2025-06-30), not '{text}'."));
        if (perioden.Count == 0) throw new UsageException("Name at least one --periode (2025, 2025-H1, 2025-H2) or --peildatum (2025-06-30).");
        if (perioden.GroupBy(p => p.Code).FirstOrDefault(g => g.Count() > 1) is { } dubbel)
            throw new UsageException($"Two periods have the code {dubbel.Key}: a table has one peildatum a month (its code is the month's), and each period once.");
        return perioden;
    }

    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
