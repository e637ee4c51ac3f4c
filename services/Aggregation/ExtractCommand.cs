using System.Diagnostics;
using SocialDomain.Aggregation.Extraction;
using SocialDomain.Views.Statistics;

namespace SocialDomain.Aggregation;

/// <summary>
/// <c>extract</c>: reads the raw logs and writes the pseudonymised extract. The only command that sees BSNs, so the
/// only one that needs the key.
/// </summary>
public static class ExtractCommand
{
    public static readonly IReadOnlySet<string> Options = new HashSet<string> { "--out", "--postgres", "--sqlite", "--source", "--projection-schema", "--key-file" };
    public static readonly IReadOnlySet<string> Flags = new HashSet<string> { "--progress" };

    public static async Task<int> RunAsync(Arguments args, TextWriter stdout, CancellationToken ct)
    {
        var output = args.Required("--out");
        var sources = Sources(args);
        var key = PseudonymKey.Load(args.Value("--key-file"), output);
        var progress = ProgressBar.For(args.Flag("--progress"));
        var clock = Stopwatch.StartNew();

        using var pseudonymiser = new Pseudonymiser(key);
        var extractor = new Extractor(pseudonymiser, (log, rows) => progress.Report("lezen " + log, rows));
        var extract = await extractor.ExtractAsync(sources, ct);
        progress.Done("lezen en vouwen", $"{extractor.RowsRead:N0} rijen");
        ExtractFile.Write(extract, output);
        stdout.WriteLine($"extract {output}: {extract.Personen.Length:N0} personen, {extract.Huishoudens.Length:N0} huishoudens, " +
            $"{extract.Voorzieningen.Length:N0} voorzieningperioden uit {extract.BronEvents:N0} events; " +
            $"sleutel {extract.SleutelVingerafdruk}; {clock.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    private static ExtractSources Sources(Arguments args)
    {
        var postgres = args.Value("--postgres");
        var sqlite = args.Value("--sqlite");
        if ((postgres is null) == (sqlite is null)) throw new UsageException("Give exactly one of --postgres <connection string> and --sqlite <directory>.");
        return (args.Value("--source") ?? "stores", postgres) switch
        {
            ("stores", not null) => ExtractSources.PostgresStores(postgres),
            ("stores", null) => ExtractSources.SqliteStores(sqlite!),
            ("projection", not null) => ExtractSources.PostgresProjection(postgres, args.Value("--projection-schema") ?? ExtractSources.ProjectionSchema),
            ("projection", null) => ExtractSources.SqliteProjection(sqlite!),
            (var other, _) => throw new UsageException($"--source is 'stores' (the services' event logs) or 'projection' (the projection's inbox), not '{other}'."),
        };
    }
}
