using System.CommandLine;
using System.Diagnostics;
using SocialDomain.Aggregation;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Population;
using SocialDomain.Views.Statistics;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Wmo;

SocialDomain.Platform.PlatformLaws.Register();

// Generates a synthetic population into the services' stores (PostgreSQL or SQLite), or straight into a
// pseudonymised extract. See docs/aggregation.md.
Option<double> scale = new("--scale") { Required = true, Description = "1.0 is national scale." };
Option<int> seed = new("--seed") { DefaultValueFactory = _ => 42 };
Option<string> years = new("--years") { DefaultValueFactory = _ => "2023-2025", HelpName = "from-to" };
Option<int> gemeenten = new("--gemeenten") { DefaultValueFactory = _ => PopulationGenerator.NationaalGemeenten };
Option<string> postgres = new("--postgres") { HelpName = "connection string" };
Option<string> sqlite = new("--sqlite") { HelpName = "directory" };
Option<string> extractOption = new("--extract") { HelpName = "file" };
Option<string> keyFile = new("--key-file") { HelpName = "path" };
var command = new RootCommand("A synthetic population into the stores (--postgres, --sqlite) or into an extract (--extract).")
{
    scale, seed, years, gemeenten, postgres, sqlite, extractOption, keyFile,
};
var parsed = command.Parse(args);
if (parsed.Errors.Count > 0)
{
    var problem = parsed.UnmatchedTokens.Count > 0 ? $"unknown option or argument '{parsed.UnmatchedTokens[0]}'." : parsed.Errors[0].Message;
    Console.Error.WriteLine($"error: {problem} (--help lists the options)");
    return 2;
}
if (parsed.Action is not null) return parsed.Invoke(); // --help
try
{
    var span = parsed.GetRequiredValue(years).Split('-');
    var options = new GeneratorOptions(
        parsed.GetValue(scale), parsed.GetValue(seed), int.Parse(span[0], System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(span[^1], System.Globalization.CultureInfo.InvariantCulture), parsed.GetValue(gemeenten),
        // An extract holds pseudonyms only: BSNs beyond the test range never leave memory there. Stores keep them, so not there.
        BuitenTestBereik: parsed.GetValue(extractOption) is not null);
    var generator = new PopulationGenerator(options);
    var clock = Stopwatch.StartNew();
    if (parsed.GetValue(extractOption) is { } extractPath)
    {
        using var pseudonymiser = new Pseudonymiser(PseudonymKey.Load(parsed.GetValue(keyFile), extractPath));
        var sink = new ExtractSink(pseudonymiser);
        generator.Generate(sink);
        var extract = sink.Build();
        ExtractFile.Write(extract, extractPath);
        Console.WriteLine($"{extractPath}: {extract.Personen.Length:N0} personen met voorzieningen, {extract.BronEvents:N0} events; {clock.Elapsed.TotalSeconds:F1} s");
        return 0;
    }
    var stores = Stores(parsed.GetValue(postgres), parsed.GetValue(sqlite));
    foreach (var store in stores.Values) await store.InitializeAsync();
    await using var writer = new StoreWriter(
        new Dictionary<Law, IEventStore> { [ParticipatiewetLaw.Law] = stores["participatiewet"], [WmoLaw.Law] = stores["wmo"], [JeugdwetLaw.Law] = stores["jeugdwet"] },
        stores["households"]);
    await Task.Run(() => generator.Generate(writer));
    await writer.CompleteAsync();
    Console.WriteLine($"{writer.Events:N0} events in the stores; {clock.Elapsed.TotalSeconds:F1} s");
    return 0;
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"error: {ex.Message} (--help lists the options)");
    return 2;
}

static Dictionary<string, IEventStore> Stores(string? postgres, string? directory)
{
    string[] names = ["participatiewet", "wmo", "jeugdwet", "households"];
    if (postgres is not null)
        return names.ToDictionary(n => n, n => (IEventStore)new PostgresEventStore(postgres, n));
    if (directory is not null)
        return names.ToDictionary(n => n, n => (IEventStore)new SqliteEventStore($"Data Source={Path.Combine(directory, n + ".db")}"));
    throw new UsageException("Give one of --postgres, --sqlite or --extract.");
}
