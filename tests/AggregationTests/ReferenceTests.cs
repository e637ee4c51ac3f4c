using System.Text.Json;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Population;
using SocialDomain.Projections;
using SocialDomain.Views.Statistics;
using SocialDomain.Jeugdwet;
using SocialDomain.Wmo;

namespace SocialDomain.AggregationTests;

/// <summary>
/// The whole job against a population whose true counts are known by construction (<see cref="ReferentieBevolking"/>):
/// stores → extract → aggregate, and the raw and protected tables checked cell by cell.
/// </summary>
public class ReferenceTests
{
    private static readonly string[] Perioden = ["--periode", "2025", "--periode", "2025-H1", "--periode", "2025-H2", "--peildatum", "2025-08-15"];

    [Fact]
    public async Task From_sqlite_stores_the_raw_and_protected_tables_are_exactly_the_true_counts()
    {
        using var map = new Werkmap();
        var bevolking = new ReferentieBevolking();
        await Stores.SqliteAsync(bevolking.Populatie, map["data"]);

        await Job.ShouldSucceed("extract", "--sqlite", map["data"], "--out", map["stapeling.sdpx"], "--key-file", map.Sleutel());
        await Job.ShouldSucceed(["aggregate", "--extract", map["stapeling.sdpx"], "--out", map["uit"], .. Perioden, "--raw", "--role", "beheerder"]);

        var raw = new CsvTabel(map["uit/onbeveiligd/stapeling-onbeveiligd.csv"]);
        ShouldBeTheTrueYear(raw);
        ShouldBeTheTrueHalfYearsAndPeildatum(raw);
        // Categories: the February hulpmiddel of every oudere; the moving child's jeugd-ggz in both its households.
        raw["NL01", "2025JJ00", Soorten.Naam(Categorie(WmoLaw.Law, "14"))].ShouldBe(("75", "75"));
        raw["NL01", "2025JJ00", Soorten.Naam(Categorie(JeugdwetLaw.Law, "54"))].ShouldBe(("10", "20"));
        raw["WK0363ON", "2025JJ00", Soorten.Naam(Categorie(WmoLaw.Law, "16"))].ShouldBe(("4", "4"));

        var beschermd = new CsvTabel(map["uit/stapeling.csv"]);
        ShouldBeRoundedTruthOrSuppressed(beschermd, raw);
        // Cells by hand: large ones rounded (89 → 90, 51 → 50), small ones suppressed. In a table this small the
        // secondary suppression reaches far (a law row that equals one combination must go with it), so the hand
        // checks keep to cells no suppression pattern may touch.
        beschermd["NL01", "2025JJ00", "Totaal"].ShouldBe(("180", "150"));
        beschermd["NL01", "2025JJ00", "Alleen Wmo"].Personen.ShouldBe("90");
        beschermd["NL01", "2025JJ00", "Wmo"].ShouldBe(("110", "110"));
        beschermd["NL01", "2025JJ00", "Participatiewet"].ShouldBe(("50", "50"));
        beschermd["WK0363ON", "2025JJ00", "Alleen Wmo"].ShouldBe((".", "."));
        beschermd["WK036302", "2025JJ00", "Alleen P-wet"].Personen.ShouldBe(".");
        beschermd["WK036302", "2025JJ00", "Jeugd en P-wet"].Huishoudens.ShouldBe(".");
        DisclosureTests.ShouldHaveNoRelationWithOneSuppressedCell(beschermd);

        // The JSON says the same, with null where the CSV has ".".
        using var json = JsonDocument.Parse(File.ReadAllText(map["uit/stapeling.json"]));
        json.RootElement.GetProperty("beveiliging").GetProperty("drempel").GetInt32().ShouldBe(10);
        var rijen = json.RootElement.GetProperty("rijen").EnumerateArray().ToList();
        rijen.Count.ShouldBe(beschermd.Sleutels.Count());
        foreach (var rij in rijen)
        {
            var (personen, huishoudens) = beschermd[rij.GetProperty("RegioS").GetString()!, rij.GetProperty("Perioden").GetString()!,
                rij.GetProperty("SoortVoorzieningTitel").GetString()!];
            Json(rij.GetProperty("Personen_1")).ShouldBe(personen);
            Json(rij.GetProperty("Huishoudens_2")).ShouldBe(huishoudens);
        }
    }

    [Fact]
    public async Task A_wider_protection_interval_suppresses_more_and_the_tables_say_which_interval_they_have()
    {
        using var map = new Werkmap();
        await Stores.SqliteAsync(new ReferentieBevolking().Populatie, map["data"]);
        await Job.ShouldSucceed("extract", "--sqlite", map["data"], "--out", map["stapeling.sdpx"], "--key-file", map.Sleutel());

        await Job.ShouldSucceed(["aggregate", "--extract", map["stapeling.sdpx"], "--out", map["standaard"], .. Perioden]);
        await Job.ShouldSucceed(["aggregate", "--extract", map["stapeling.sdpx"], "--out", map["breed"], .. Perioden, "--protection", "10"]);

        int Interval(string uit, string bestand)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(map[$"{uit}/{bestand}"]));
            return json.RootElement.GetProperty("beveiliging").GetProperty("beschermingsinterval").GetInt32();
        }
        int Onderdrukt(string uit)
        {
            var tabel = new CsvTabel(map[$"{uit}/stapeling.csv"]);
            return tabel.Sleutels.Sum(k => (tabel[k.Regio, k.Periode, k.Soort].Personen == "." ? 1 : 0) + (tabel[k.Regio, k.Periode, k.Soort].Huishoudens == "." ? 1 : 0));
        }
        (Interval("standaard", "stapeling.json"), Interval("standaard", "stapeling-metadata.json")).ShouldBe((1, 1));
        (Interval("breed", "stapeling.json"), Interval("breed", "stapeling-metadata.json")).ShouldBe((10, 10));
        Onderdrukt("breed").ShouldBeGreaterThan(Onderdrukt("standaard"));
        DisclosureTests.ShouldHaveNoRelationWithOneSuppressedCell(new CsvTabel(map["breed/stapeling.csv"]));
    }

    [Fact]
    public async Task From_postgresql_stores_the_raw_table_is_exactly_the_true_counts()
    {
        await using var database = await Postgres.NieuweDatabaseAsync();
        using var map = new Werkmap();
        await Stores.SchrijfAsync(new ReferentieBevolking().Populatie, n => new PostgresEventStore(database.Verbinding, n));

        await Job.ShouldSucceed("extract", "--postgres", database.Verbinding, "--out", map["pg.sdpx"], "--key-file", map.Sleutel());
        await Job.ShouldSucceed("aggregate", "--extract", map["pg.sdpx"], "--out", map["uit"], "--periode", "2025", "--raw", "--role", "beheerder");

        ShouldBeTheTrueYear(new CsvTabel(map["uit/onbeveiligd/stapeling-onbeveiligd.csv"]));
    }

    [Fact]
    public async Task From_the_projection_inbox_the_raw_table_is_exactly_the_true_counts()
    {
        using var map = new Werkmap();
        var bevolking = new ReferentieBevolking();
        // The projection service's own inbox, filled the way its consumers fill it, every event delivered twice.
        var inbox = Inboxes.Create(new EventStoreSettings(StoreProvider.Sqlite, $"Data Source={map["data/projections.db"]}", "projections"));
        Directory.CreateDirectory(map["data"]);
        await inbox.InitializeAsync(TestContext.Current.CancellationToken);
        foreach (var _ in new[] { 1, 2 })
        {
            foreach (var h in bevolking.Populatie.Huishoudens)
                foreach (var e in PopulationEvents.Of(h)) await inbox.RecordHouseholdAsync(e, TestContext.Current.CancellationToken);
            foreach (var p in bevolking.Populatie.Personen)
                foreach (var v in p.Voorzieningen)
                    foreach (var e in PopulationEvents.Of(p, v)) await inbox.RecordAsync(e, TestContext.Current.CancellationToken);
        }

        await Job.ShouldSucceed("extract", "--sqlite", map["data"], "--source", "projection", "--out", map["p.sdpx"], "--key-file", map.Sleutel());
        await Job.ShouldSucceed("aggregate", "--extract", map["p.sdpx"], "--out", map["uit"], "--periode", "2025", "--raw", "--role", "beheerder");

        ShouldBeTheTrueYear(new CsvTabel(map["uit/onbeveiligd/stapeling-onbeveiligd.csv"]));
    }

    internal static void ShouldBeTheTrueYear(CsvTabel raw)
    {
        raw.Regios.Order().ShouldBe(ReferentieBevolking.Verwacht.Keys.Order());
        foreach (var (regio, rij) in ReferentieBevolking.Verwacht)
            foreach (var (soort, (personen, huishoudens)) in rij)
                raw[regio, "2025JJ00", soort].ShouldBe(($"{personen}", $"{huishoudens}"), $"{regio} {soort}");
    }

    /// <summary>By hand from the household types (see <see cref="ReferentieBevolking.Verwacht"/>), Nederland only.</summary>
    private static void ShouldBeTheTrueHalfYearsAndPeildatum(CsvTabel raw)
    {
        // H1: the moved-out child is still at home, the new household does not exist yet.
        raw["NL01", "2025HJ01", "Totaal"].ShouldBe(("180", "140"));
        raw["NL01", "2025HJ01", "Alleen Jeugd"].ShouldBe(("40", "0"));
        raw["NL01", "2025HJ01", "Jeugd en Wmo"].ShouldBe(("0", "10"));
        raw["NL01", "2025HJ01", "P-wet en Wmo"].ShouldBe(("21", "21"));
        // H2: bijstand of the stacked ones has ended; the child lives on its own.
        raw["NL01", "2025HJ02", "Totaal"].ShouldBe(("180", "150"));
        raw["NL01", "2025HJ02", "Alleen Wmo"].ShouldBe(("110", "110"));
        raw["NL01", "2025HJ02", "Alleen Jeugd"].ShouldBe(("40", "10"));
        raw["NL01", "2025HJ02", "Jeugd en P-wet"].ShouldBe(("0", "30"));
        raw["NL01", "2025HJ02", "P-wet en Wmo"].ShouldBe(("0", "0"));
        // 15 August: the 21 stacked ones are in their temporary stop of begeleiding.
        raw["NL01", "2025MM08", "Totaal"].ShouldBe(("159", "129"));
        raw["NL01", "2025MM08", "Wmo"].ShouldBe(("89", "89"));
    }

    /// <summary>Every protected cell is its true count rounded to 5, or suppressed; every count of 1..9 is suppressed.</summary>
    internal static void ShouldBeRoundedTruthOrSuppressed(CsvTabel beschermd, CsvTabel raw)
    {
        beschermd.Sleutels.Order().ShouldBe(raw.Sleutels.Order());
        foreach (var (regio, periode, soort) in raw.Sleutels)
        {
            var (p, h) = raw[regio, periode, soort];
            var (bp, bh) = beschermd[regio, periode, soort];
            foreach (var (waar, gepubliceerd) in new[] { (p, bp), (h, bh) })
            {
                var n = int.Parse(waar, System.Globalization.CultureInfo.InvariantCulture);
                if (n is > 0 and < 10) gepubliceerd.ShouldBe(".", $"{regio} {periode} {soort}: {n} is below the threshold");
                else if (gepubliceerd != ".") gepubliceerd.ShouldBe($"{(n + 2) / 5 * 5}", $"{regio} {periode} {soort}");
            }
        }
    }

    private static int Categorie(Law law, string code) => Soorten.Categorie(Soorten.CategorieNummer(Productcategorie.Parse(law, code)));

    private static string Json(JsonElement e) => e.ValueKind == JsonValueKind.Null ? "." : e.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
