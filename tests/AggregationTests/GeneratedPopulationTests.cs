using SocialDomain.Aggregation;
using SocialDomain.Contracts;
using SocialDomain.Population;
using SocialDomain.Views.Statistics;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;

namespace SocialDomain.AggregationTests;

/// <summary>
/// The generator at a small scale: the store path and the direct extract path give the same tables, both agree with
/// a plain day-by-day count on the generated model, and the same seed gives the same population.
/// </summary>
public class GeneratedPopulationTests
{
    private static readonly GeneratorOptions Klein = new(Schaal: 0.0004, Seed: 7, AantalGemeenten: 6);

    [Fact]
    public async Task Store_path_direct_path_and_a_plain_count_agree()
    {
        using var map = new Werkmap();
        var populatie = new Populatie();
        new PopulationGenerator(Klein).Generate(populatie);
        var sleutel = map.Sleutel();

        await Stores.SqliteAsync(populatie, map["data"]);
        await Job.ShouldSucceed("extract", "--sqlite", map["data"], "--out", map["store.sdpx"], "--key-file", sleutel);
        await Job.ShouldSucceed("aggregate", "--extract", map["store.sdpx"], "--out", map["store"], "--periode", "2024", "--periode", "2025-H2",
            "--peildatum", "2025-03-31", "--raw", "--role", "beheerder");

        using (var pseudonymiser = new Pseudonymiser(Convert.FromBase64String(File.ReadAllText(sleutel))))
        {
            var sink = new ExtractSink(pseudonymiser);
            populatie.WriteTo(sink);
            ExtractFile.Write(sink.Build(), map["direct.sdpx"]);
        }
        await Job.ShouldSucceed("aggregate", "--extract", map["direct.sdpx"], "--out", map["direct"], "--periode", "2024", "--periode", "2025-H2",
            "--peildatum", "2025-03-31", "--raw", "--role", "beheerder");

        var raw = File.ReadAllText(map["store/onbeveiligd/stapeling-onbeveiligd.csv"]);
        File.ReadAllText(map["direct/onbeveiligd/stapeling-onbeveiligd.csv"]).ShouldBe(raw);
        ExtractFile.Read(map["direct.sdpx"]).BronEvents.ShouldBe(ExtractFile.Read(map["store.sdpx"]).BronEvents);

        var tabel = new CsvTabel(map["store/onbeveiligd/stapeling-onbeveiligd.csv"]);
        foreach (var periode in new[] { Periode.Jaar(2024), Periode.Halfjaar(2025, 2), Periode.Peildatum(new DateOnly(2025, 3, 31)) })
        {
            var (personen, huishoudens) = PlainCount(populatie, periode);
            personen.Values.Sum().ShouldBeGreaterThan(100, "a population with something to count");
            huishoudens[JeugdwetLaw.Law.ToSet() | ParticipatiewetLaw.Law.ToSet()].ShouldBeGreaterThan(personen.GetValueOrDefault(JeugdwetLaw.Law.ToSet() | ParticipatiewetLaw.Law.ToSet()));
            foreach (var combinatie in Soorten.Combinaties)
                tabel["NL01", periode.Code, combinatie.CbsLabel()].ShouldBe(
                    ($"{personen.GetValueOrDefault(combinatie)}", $"{huishoudens.GetValueOrDefault(combinatie)}"), $"{periode.Code} {combinatie.CbsLabel()}");
        }
        ReferenceTests.ShouldBeRoundedTruthOrSuppressed(new CsvTabel(map["store/stapeling.csv"]), tabel);
    }

    [Fact]
    public void The_same_seed_gives_the_same_extract()
    {
        var sleutel = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        byte[] Extract(int seed)
        {
            using var pseudonymiser = new Pseudonymiser(sleutel);
            var sink = new ExtractSink(pseudonymiser);
            new PopulationGenerator(Klein with { Seed = seed }).Generate(sink);
            var pad = Path.GetTempFileName();
            try
            {
                ExtractFile.Write(sink.Build(), pad);
                return File.ReadAllBytes(pad);
            }
            finally
            {
                File.Delete(pad);
            }
        }

        Extract(7).ShouldBe(Extract(7));
        Extract(8).ShouldNotBe(Extract(7));
    }

    /// <summary>
    /// The counting rules applied the slow and obvious way, day by day, on the generator's own model: a person's laws
    /// are those of provisions active on some day of the period; a household's are those of its members' provisions
    /// on days they were members; a provision day outside every membership is the person's own one-person household.
    /// </summary>
    private static (Dictionary<LawSet, int> Personen, Dictionary<LawSet, int> Huishoudens) PlainCount(Populatie populatie, Periode periode)
    {
        var dagen = Enumerable.Range(0, periode.Tot.DayNumber - periode.Van.DayNumber + 1).Select(periode.Van.AddDays).ToList();
        static bool Actief(Voorziening v, DateOnly dag) => v.Perioden.Any(p => p.Begin <= dag && (p.Eind is null || dag <= p.Eind));
        static bool Lid(Lid l, DateOnly dag) => l.Van <= dag && (l.Tot is null || dag <= l.Tot);

        var personen = new Dictionary<LawSet, int>();
        var eigen = new Dictionary<Persoon, LawSet>();
        var lidmaatschappen = populatie.Huishoudens.SelectMany(h => h.Leden).ToLookup(l => l.Persoon);
        foreach (var persoon in populatie.Personen)
        {
            var wetten = LawSet.None;
            foreach (var v in persoon.Voorzieningen)
                foreach (var dag in dagen.Where(d => Actief(v, d)))
                {
                    wetten |= v.Law.ToSet();
                    if (!lidmaatschappen[persoon].Any(l => Lid(l, dag))) eigen[persoon] = eigen.GetValueOrDefault(persoon) | v.Law.ToSet();
                }
            if (wetten != LawSet.None) personen[wetten] = personen.GetValueOrDefault(wetten) + 1;
        }
        var huishoudens = eigen.Values.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());
        foreach (var h in populatie.Huishoudens)
        {
            var wetten = LawSet.None;
            foreach (var lid in h.Leden)
                foreach (var v in lid.Persoon.Voorzieningen)
                    if (dagen.Any(d => Lid(lid, d) && Actief(v, d))) wetten |= v.Law.ToSet();
            if (wetten != LawSet.None) huishoudens[wetten] = huishoudens.GetValueOrDefault(wetten) + 1;
        }
        return (personen, huishoudens);
    }
}
