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
const string usage = """
    Usage: dotnet run --project tests/Population -- --scale <1.0 = national> [--seed 42] [--years 2023-2025] [--gemeenten 342]
             (--postgres <connection string> | --sqlite <directory> | --extract <file> [--key-file <path>])
    """;
try
{
    var parsed = Arguments.Parse(["generate", .. args],
        new HashSet<string> { "--scale", "--seed", "--years", "--gemeenten", "--postgres", "--sqlite", "--extract", "--key-file" },
        new HashSet<string>());
    var years = (parsed.Value("--years") ?? "2023-2025").Split('-');
    var options = new GeneratorOptions(
        double.Parse(parsed.Required("--scale"), System.Globalization.CultureInfo.InvariantCulture),
        parsed.Int("--seed", 42), int.Parse(years[0], System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(years[^1], System.Globalization.CultureInfo.InvariantCulture), parsed.Int("--gemeenten", PopulationGenerator.NationaalGemeenten),
        // An extract holds pseudonyms only: BSNs beyond the test range never leave memory there. Stores keep them, so not there.
        BuitenTestBereik: parsed.Value("--extract") is not null);
    var generator = new PopulationGenerator(options);
    var clock = Stopwatch.StartNew();
    if (parsed.Value("--extract") is { } extractPath)
    {
        using var pseudonymiser = new Pseudonymiser(PseudonymKey.Load(parsed.Value("--key-file"), extractPath));
        var sink = new ExtractSink(pseudonymiser);
        generator.Generate(sink);
        var extract = sink.Build();
        ExtractFile.Write(extract, extractPath);
        Console.WriteLine($"{extractPath}: {extract.Personen.Length:N0} personen met voorzieningen, {extract.BronEvents:N0} events; {clock.Elapsed.TotalSeconds:F1} s");
        return 0;
    }
    var stores = Stores(parsed);
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
    Console.Error.WriteLine("error: " + ex.Message);
    Console.Error.WriteLine(usage);
    return 2;
}

static Dictionary<string, IEventStore> Stores(Arguments parsed)
{
    string[] names = ["participatiewet", "wmo", "jeugdwet", "households"];
    if (parsed.Value("--postgres") is { } postgres)
        return names.ToDictionary(n => n, n => (IEventStore)new PostgresEventStore(postgres, n));
    if (parsed.Value("--sqlite") is { } directory)
        return names.ToDictionary(n => n, n => (IEventStore)new SqliteEventStore($"Data Source={Path.Combine(directory, n + ".db")}"));
    throw new UsageException("Give one of --postgres, --sqlite or --extract.");
}
