using System.CommandLine;
using System.Diagnostics;
using SocialDomain.Aggregation.Extraction;
using SocialDomain.Views.Statistics;

using static SocialDomain.Aggregation.Output.NederlandseNotatie;

namespace SocialDomain.Aggregation;

/// <summary>
/// <c>extract</c>: reads the raw logs and writes the pseudonymised extract. The only command that sees BSNs, so the
/// only one that needs the key.
/// </summary>
public static class ExtractCommand
{
    private static readonly Option<string> Out = new("--out")
    {
        Required = true, HelpName = "file", Description = "The extract to write (via <file>.tmp, renamed when complete).",
    };

    private static readonly Option<string> Postgres = new("--postgres")
    {
        HelpName = "connection string", Description = "Read the services' PostgreSQL schemas.",
    };

    private static readonly Option<string> Sqlite = new("--sqlite")
    {
        HelpName = "directory", Description = "Read the SQLite files in this folder (the embedded host's ./data).",
    };

    private static readonly Option<string> Source = new("--source")
    {
        HelpName = "stores|projection", Description = "The services' event logs (stores, default) or the projection's inbox.",
        DefaultValueFactory = _ => "stores",
    };

    private static readonly Option<string> ProjectionSchema = new("--projection-schema")
    {
        HelpName = "schema", Description = "The projection's PostgreSQL schema, with --source projection.",
        DefaultValueFactory = _ => ExtractSources.ProjectionSchema,
    };

    private static readonly Option<string> KeyFile = new("--key-file")
    {
        HelpName = "path", Description = $"The pseudonymisation key (base64, 32+ random bytes); else {PseudonymKey.EnvironmentVariable}. Required one way or the other.",
    };

    private static readonly Option<bool> ShowProgress = new("--progress")
    {
        Description = "A progress line on stderr also when stderr is not a terminal.",
    };

    public static Command Command()
    {
        var command = new Command("extract", "Read the event logs (or the projection's inbox) and write a pseudonymised extract.")
        {
            Out, Postgres, Sqlite, Source, ProjectionSchema, KeyFile, ShowProgress,
        };
        command.SetAction((parsed, ct) => RunAsync(parsed, parsed.InvocationConfiguration.Output, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult args, TextWriter stdout, CancellationToken ct)
    {
        var output = args.GetRequiredValue(Out);
        var sources = Sources(args);
        var key = PseudonymKey.Load(args.GetValue(KeyFile), output);
        var progress = ProgressBar.For(args.GetValue(ShowProgress));
        var clock = Stopwatch.StartNew();

        using var pseudonymiser = new Pseudonymiser(key);
        var extractor = new Extractor(pseudonymiser, (log, rows) => progress.Report("lezen " + log, rows));
        var extract = await extractor.ExtractAsync(sources, ct);
        progress.Done("lezen en vouwen", Nl($"{extractor.RowsRead:N0} rijen"));
        ExtractFile.Write(extract, output);
        var (personen, huishoudens, perioden) = (extract.Personen.Length, extract.Huishoudens.Length, extract.Voorzieningen.Length);
        stdout.WriteLine(Nl($"extract {output}: {personen:N0} personen, {huishoudens:N0} huishoudens, {perioden:N0} voorzieningperioden uit {extract.BronEvents:N0} events; sleutel {extract.SleutelVingerafdruk}; {clock.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    private static ExtractSources Sources(ParseResult args)
    {
        var postgres = args.GetValue(Postgres);
        var sqlite = args.GetValue(Sqlite);
        if ((postgres is null) == (sqlite is null)) throw new UsageException("Give exactly one of --postgres <connection string> and --sqlite <directory>.");
        return (args.GetValue(Source), postgres) switch
        {
            ("stores", not null) => ExtractSources.PostgresStores(postgres),
            ("stores", null) => ExtractSources.SqliteStores(sqlite!),
            ("projection", not null) => ExtractSources.PostgresProjection(postgres, args.GetRequiredValue(ProjectionSchema)),
            ("projection", null) => ExtractSources.SqliteProjection(sqlite!),
            (var other, _) => throw new UsageException($"--source is 'stores' (the services' event logs) or 'projection' (the projection's inbox), not '{other}'."),
        };
    }
}
