using System.Globalization;
using SocialDomain.Aggregation;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Population;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.TestSupport;
using SocialDomain.Wmo;

[assembly: AssemblyFixture(typeof(ContainersLifetime))]

namespace SocialDomain.AggregationTests;

/// <summary>A directory of its own under /tmp (outside any git working tree, as a key file must be), removed after the test.</summary>
public sealed class Werkmap : IDisposable
{
    public string Pad { get; } = Directory.CreateTempSubdirectory("sdp-aggregation-").FullName;

    public string this[string naam] => Path.Combine(Pad, naam);

    /// <summary>A fresh random key in a file of its own directory, as the beheerder would keep it.</summary>
    public string Sleutel()
    {
        var map = Directory.CreateDirectory(this["sleutel"]).FullName;
        var pad = Path.Combine(map, "pseudonym.key");
        File.WriteAllText(pad, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        return pad;
    }

    public void Dispose() => Directory.Delete(Pad, recursive: true);
}

/// <summary>Runs the job's command line in-process, as a beheerder or statisticus would from a shell.</summary>
public static class Job
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await Cli.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static async Task<string> ShouldSucceed(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);
        code.ShouldBe(0, stderr);
        return stdout;
    }
}

/// <summary>
/// A published table read back from CSV: per region, period and soort (by its title), the persons and households as
/// written. It checks the StatLine shape on the way: the header, an ID counting from 0, a key and a title per dimension.
/// </summary>
public sealed class CsvTabel
{
    public const string Kop = "ID;RegioS;RegioSTitel;Perioden;PeriodenTitel;SoortVoorziening;SoortVoorzieningTitel;Personen_1;Huishoudens_2;" +
        "PersonenPer1000Inwoners_3;HuishoudensPer1000Huishoudens_4;AandeelPersonen_5;AandeelHuishoudens_6";

    private readonly Dictionary<(string Regio, string Periode, string Soort), string[]> _rijen = new();

    public CsvTabel(string pad)
    {
        var regels = File.ReadAllLines(pad);
        regels[0].ShouldBe(Kop);
        for (var i = 1; i < regels.Length; i++)
        {
            var velden = Velden(regels[i]);
            velden.Length.ShouldBe(13, regels[i]);
            velden[0].ShouldBe($"{i - 1}", "the ID counts the rows from 0");
            foreach (var sleutel in new[] { velden[1], velden[3], velden[5] }) sleutel.ShouldNotContain(' ');
            _rijen.Add((velden[1], velden[3], velden[6]), velden);
        }
    }

    public IEnumerable<(string Regio, string Periode, string Soort)> Sleutels => _rijen.Keys;

    public (string Personen, string Huishoudens) this[string regio, string periode, string soort] => (_rijen[(regio, periode, soort)][7], _rijen[(regio, periode, soort)][8]);

    /// <summary>The whole row: ID, the keys and titles, then the topics.</summary>
    public string[] Rij(string regio, string periode, string soort) => _rijen[(regio, periode, soort)];

    public IEnumerable<string> Regios => _rijen.Keys.Select(k => k.Regio).Distinct();

    public static int? Getal(string cel) => cel == "." ? null : int.Parse(cel, CultureInfo.InvariantCulture);

    /// <summary>A line's fields, a quoted field (a title with a ';' or '"') unquoted.</summary>
    private static string[] Velden(string regel)
    {
        var velden = new List<string>();
        var veld = new System.Text.StringBuilder();
        var tussen = false;
        for (var i = 0; i < regel.Length; i++)
        {
            if (regel[i] == '"')
            {
                if (tussen && i + 1 < regel.Length && regel[i + 1] == '"') veld.Append(regel[++i]);
                else tussen = !tussen;
            }
            else if (regel[i] == ';' && !tussen)
            {
                velden.Add(veld.ToString());
                veld.Clear();
            }
            else veld.Append(regel[i]);
        }
        velden.Add(veld.ToString());
        return [.. velden];
    }
}

/// <summary>Where the tests find PostgreSQL: SDP_POSTGRES, or a container of this run's own; they fail, never skip, when there is neither.</summary>
public static class Postgres
{
    public static string Verbinding => Infrastructure.Postgres;

    /// <summary>A database of its own, dropped when disposed.</summary>
    public static async Task<Database> NieuweDatabaseAsync() => new(await Infrastructure.CreateDatabaseAsync("sdp_aggr_"));

    public sealed record Database(TestDatabase Eigen) : IAsyncDisposable
    {
        public string Verbinding => Eigen.ConnectionString;

        public ValueTask DisposeAsync() => Eigen.DisposeAsync();
    }
}

/// <summary>Writes a population into the services' stores, as the generator's store path does.</summary>
public static class Stores
{
    public static async Task SchrijfAsync(Populatie populatie, Func<string, IEventStore> store)
    {
        var stores = new[] { "participatiewet", "wmo", "jeugdwet", "households" }.ToDictionary(n => n, store);
        foreach (var s in stores.Values) await s.InitializeAsync();
        await using var writer = new StoreWriter(
            new Dictionary<Law, IEventStore> { [ParticipatiewetLaw.Law] = stores["participatiewet"], [WmoLaw.Law] = stores["wmo"], [JeugdwetLaw.Law] = stores["jeugdwet"] },
            stores["households"], batchEvents: 500);
        populatie.WriteTo(writer);
        await writer.CompleteAsync();
    }

    public static Task SqliteAsync(Populatie populatie, string map) =>
        SchrijfAsync(populatie, n => new SqliteEventStore($"Data Source={Path.Combine(map, n + ".db")}"));
}
