using System.Globalization;
using System.Text.Json;
using SocialDomain.Views.Statistics;

namespace SocialDomain.AggregationTests;

/// <summary>
/// The published files in StatLine's shape, on the reference population: keys with titles, CBS period codes, region
/// names from the year's gebiedsindeling with the codes it lacks reported, rates per 1,000 of the monitor's age groups
/// and shares, and a metadata file that names the source, the units and the protection.
/// </summary>
public class StatLineTests
{
    /// <summary>Amsterdam's wijk 02 and all of Rotterdam are missing, as in a list of another year.</summary>
    private const string Gebieden = """
        "GM_CODE","GM_NAAM","WK_CODE","WK_NAAM","BU_CODE","BU_NAAM","AANT_INW"
        "GM0363","Amsterdam","WK036301","Centrum-West","BU03630100","Burgwallen","4000"
        "GM0363","Amsterdam","WK036301","Centrum-West","BU03630101","Nieuwmarkt","3000"
        "GM0344","Utrecht","WK034401","West","BU03440100","Oog in Al","2000"
        """;

    private const string Bevolking = """
        ID;RegioS;Perioden;Leeftijd;Inwoners_1;Huishoudens_2
        0;GM0363  ;2025JJ00;Totaal;20000;10000
        1;GM0363  ;2025JJ00;0 tot 18 jaar;4000;
        2;GM0363  ;2025JJ00;18 tot 65 jaar;12000;
        3;GM0363  ;2025JJ00;65 jaar of ouder;4000;
        4;WK036301;2025JJ00;Totaal;8000;4000
        5;WK036301;2025JJ00;0 tot 18 jaar;.;
        """;

    [Fact]
    public async Task The_table_has_keys_titles_rates_and_a_metadata_file_and_reports_the_codes_the_year_lacks()
    {
        using var map = new Werkmap();
        await Stores.SqliteAsync(new ReferentieBevolking().Populatie, map["data"]);
        File.WriteAllText(map["wijken-2024.csv"], Gebieden);
        File.WriteAllText(map["bevolking.csv"], Bevolking);
        await Job.ShouldSucceed("extract", "--sqlite", map["data"], "--out", map["e.sdpx"], "--key-file", map.Sleutel());
        var stdout = await Job.ShouldSucceed("aggregate", "--extract", map["e.sdpx"], "--out", map["uit"], "--periode", "2025", "--peildatum", "2025-08-15",
            "--gebieden", map["wijken-2024.csv"], "--bevolking", map["bevolking.csv"], "--raw", "--role", "beheerder");

        var raw = new CsvTabel(map["uit/onbeveiligd/stapeling-onbeveiligd.csv"]);
        // Names from the list; a wijk without a name in it is called after its gemeente; NL01 is Nederland.
        raw.Rij("GM0363", "2025JJ00", "Totaal")[2].ShouldBe("Amsterdam");
        raw.Rij("WK036301", "2025JJ00", "Totaal")[2].ShouldBe("Centrum-West");
        raw.Rij("WK0363ON", "2025JJ00", "Totaal")[2].ShouldBe("Amsterdam, wijk onbekend");
        raw.Rij("GM0599", "2025JJ00", "Totaal")[2].ShouldBe("Gemeente 0599");
        raw.Rij("NL01", "2025MM08", "Wmo")[4].ShouldBe("15 augustus 2025 (peildatum)");
        raw.Rij("NL01", "2025MM08", "Wmo")[5].ShouldBe("W_WMO");
        raw.Rij("NL01", "2025JJ00", "Jeugd en P-wet")[5].ShouldBe("C_JEUGDWET_PARTICIPATIEWET");
        raw.Rij("NL01", "2025JJ00", "Totaal")[5].ShouldBe("T001");

        // Wijk 02 is not in the year's list: its households count under "wijk onbekend" (4 without a household + 48
        // households of wijk 02, by hand from ReferentieBevolking); Amsterdam's total is unchanged.
        raw.Regios.ShouldNotContain("WK036302");
        raw["WK0363ON", "2025JJ00", "Totaal"].ShouldBe(($"{4 + 13 + 25 + 3 + 10}", $"{4 + 10 + 25 + 3 + 10}"));
        raw["GM0363", "2025JJ00", "Totaal"].ShouldBe(("130", "115"));
        // Rotterdam is not in the list at all: it keeps its code and wijk, and is reported.
        raw["WK059901", "2025JJ00", "Totaal"].ShouldBe(("50", "35"));

        // Rates by hand (raw table, Amsterdam 2025): Wmo 90 persons per 16,000 of 18+, Jeugdwet 25 per 4,000 under 18,
        // Participatiewet 36 per 12,000 of 18-64, total households 115 per 10,000; shares of the 130 persons.
        raw.Rij("GM0363", "2025JJ00", "Wmo")[9].ShouldBe("5,6");
        raw.Rij("GM0363", "2025JJ00", "Jeugdwet")[9].ShouldBe("6,3");
        raw.Rij("GM0363", "2025JJ00", "Participatiewet")[9].ShouldBe("3,0");
        raw.Rij("GM0363", "2025JJ00", "Totaal")[9].ShouldBe("6,5");
        raw.Rij("GM0363", "2025JJ00", "Totaal")[10].ShouldBe("11,5");
        raw.Rij("GM0363", "2025JJ00", "Wmo")[11].ShouldBe("69,2");
        raw.Rij("GM0363", "2025JJ00", "Totaal")[11].ShouldBe("100,0");
        // No denominator: an unknown population count, or a region the population file does not have, is empty.
        raw.Rij("WK036301", "2025JJ00", "Jeugdwet")[9].ShouldBe("");
        raw.Rij("WK036301", "2025JJ00", "Totaal")[9].ShouldBe($"{Math.Round(1000.0 * int.Parse(raw["WK036301", "2025JJ00", "Totaal"].Personen, CultureInfo.InvariantCulture) / 8000, 1):0.0}".Replace('.', ','));
        raw.Rij("NL01", "2025JJ00", "Wmo")[9].ShouldBe("");

        // Protected: every rate and share is made of the published counts; a suppressed count makes its rate secret.
        var beschermd = new CsvTabel(map["uit/stapeling.csv"]);
        var geheim = 0;
        foreach (var (regio, periode, soort) in beschermd.Sleutels)
        {
            var rij = beschermd.Rij(regio, periode, soort);
            if (rij[9] == "") continue;
            if (rij[7] == ".")
            {
                rij[9].ShouldBe(".", $"{regio} {periode} {soort}");
                rij[11].ShouldBe(".", $"{regio} {periode} {soort}");
                geheim++;
            }
            else if (regio == "GM0363" && soort == "Wmo" && periode == "2025JJ00")
                rij[9].ShouldBe($"{Math.Round(1000.0 * int.Parse(rij[7], CultureInfo.InvariantCulture) / 16000, 1, MidpointRounding.AwayFromZero):0.0}".Replace('.', ','));
        }
        geheim.ShouldBeGreaterThan(0, "the table has suppressed counts with a denominator");

        using var metadata = JsonDocument.Parse(File.ReadAllText(map["uit/stapeling-metadata.json"]));
        var m = metadata.RootElement;
        m.GetProperty("tabel").GetProperty("bron").GetString()!.ShouldContain("BRP");
        m.GetProperty("tabel").GetProperty("eenheden").GetString()!.ShouldContain("huishoudens");
        m.GetProperty("tabel").GetProperty("status").GetString().ShouldBe("beveiligd");
        m.GetProperty("beveiliging").GetProperty("drempel").GetInt32().ShouldBe(10);
        m.GetProperty("beveiliging").GetProperty("afronding").GetInt32().ShouldBe(5);
        var onderdrukt = m.GetProperty("beveiliging").GetProperty("personen").GetProperty("onderdrukt").GetInt64();
        onderdrukt.ShouldBe(beschermd.Sleutels.LongCount(k => beschermd[k.Regio, k.Periode, k.Soort].Personen == "."));
        var kolommen = m.GetProperty("kolommen").EnumerateArray().ToList();
        string.Join(';', kolommen.Select(k => k.GetProperty("key").GetString())).ShouldBe(CsvTabel.Kop);
        kolommen.Single(k => k.GetProperty("key").GetString() == "Personen_1").GetProperty("eenheid").GetString().ShouldBe("aantal");
        kolommen.Single(k => k.GetProperty("key").GetString() == "PersonenPer1000Inwoners_3").GetProperty("decimalen").GetInt32().ShouldBe(1);
        // Every key of the table is in its dimension's list with a title, and the list has no key twice.
        foreach (var (dimensie, kolom) in new[] { ("RegioS", 1), ("Perioden", 3), ("SoortVoorziening", 5) })
        {
            var lijst = m.GetProperty(dimensie).EnumerateArray().ToDictionary(e => e.GetProperty("key").GetString()!, e => e.GetProperty("titel").GetString()!);
            foreach (var (regio, periode, soort) in beschermd.Sleutels)
            {
                var rij = beschermd.Rij(regio, periode, soort);
                lijst[rij[kolom]].ShouldBe(rij[kolom + 1]);
            }
        }
        var peildatum = m.GetProperty("Perioden").EnumerateArray().Single(p => p.GetProperty("key").GetString() == "2025MM08");
        peildatum.GetProperty("van").GetString().ShouldBe("2025-08-15");
        peildatum.GetProperty("soort").GetString().ShouldBe("peildatum");

        var indeling = m.GetProperty("gebiedsindeling");
        indeling.GetProperty("jaar").GetInt32().ShouldBe(2024);
        indeling.GetProperty("bron").GetString().ShouldBe("wijken-2024.csv");
        var onbekend = indeling.GetProperty("onbekendeCodes").EnumerateArray()
            .ToDictionary(o => o.GetProperty("code").GetString()!, o => (o.GetProperty("huishoudens").GetInt32(), o.GetProperty("voorzieningen").GetInt32(), o.GetProperty("geteldIn").GetString()));
        // By hand: wijk 02 has 3 + 25 + 10 + 10 households; Rotterdam 20 + 15 households and 20 × 2 + 15 × 2 provisions.
        onbekend.ShouldBe(new Dictionary<string, (int, int, string?)> { ["WK036302"] = (48, 0, "WK0363ON"), ["GM0599"] = (35, 70, "GM0599") }, ignoreOrder: true);
        stdout.ShouldContain("WK036302");
        stdout.ShouldContain("GM0599");
        m.GetProperty("bevolking").GetProperty("bron").GetString().ShouldBe("bevolking.csv");

        using var rauw = JsonDocument.Parse(File.ReadAllText(map["uit/onbeveiligd/stapeling-onbeveiligd-metadata.json"]));
        rauw.RootElement.GetProperty("tabel").GetProperty("status").GetString()!.ShouldStartWith("onbeveiligd");
    }

    [Fact]
    public void The_code_list_reads_the_repositorys_file_and_cbs_files_as_cbs_writes_them()
    {
        var eigen = RegioCodelijst.Lees(Path.Combine(AppContext.BaseDirectory, "Data", Aggregation.AggregateCommand.StandaardGebieden));
        eigen.Jaar.ShouldBe(2025);
        eigen.GemeenteNaam(363).ShouldBe("Amsterdam");
        eigen.KentWijk(344, 3).ShouldBeTrue();
        eigen.KentGemeente(518).ShouldBeTrue();
        eigen.KentWijk(518, 1).ShouldBeFalse();

        // Comma-separated, quoted, with buurt rows and other columns, codes without their prefix: CBS has used all of these.
        var cbs = RegioCodelijst.Lees(new StringReader("""
            "gemeentecode","gemeentenaam","wijkcode","wijknaam","buurtcode"
            "0014","Groningen","001401","Centrum","00140100"
            "0014","Groningen","001401","Centrum","00140101"
            "0014","Groningen","0014AB","Met letters","0014AB00"
            """), "indeling.csv", 2023);
        cbs.GemeenteNaam(14).ShouldBe("Groningen");
        cbs.WijkNaam(14, 1).ShouldBe("Centrum");
        cbs.AantalWijken.ShouldBe(1, "a wijk code with letters can never match a platform wijk");
        Should.Throw<InvalidDataException>(() => RegioCodelijst.Lees(new StringReader("naam;inwoners\nX;1"), "x.csv", 2025)).Message.ShouldContain("GM_CODE");
    }

    [Theory]
    [InlineData("--gebieden", "wijken.csv", "no year")]
    [InlineData("--bevolking", "bevolking-zonder-leeftijd.csv", "Leeftijd")]
    [InlineData("--peildatum", "2025-06-15", "2025MM06")]
    public async Task A_wrong_input_file_or_a_second_peildatum_in_a_month_is_refused_in_one_line(string optie, string waarde, string genoemd)
    {
        using var map = new Werkmap();
        await Stores.SqliteAsync(new ReferentieBevolking().Populatie, map["data"]);
        await Job.ShouldSucceed("extract", "--sqlite", map["data"], "--out", map["e.sdpx"], "--key-file", map.Sleutel());
        File.WriteAllText(map["wijken.csv"], Gebieden);
        File.WriteAllText(map["bevolking-zonder-leeftijd.csv"], "RegioS;Perioden;Inwoners_1\nGM0363;2025JJ00;20000\n");

        var (code, _, stderr) = await Job.RunAsync("aggregate", "--extract", map["e.sdpx"], "--out", map["uit"], "--periode", "2025",
            "--peildatum", "2025-06-30", optie, optie == "--peildatum" ? waarde : map[waarde]);
        code.ShouldBe(2);
        stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(genoemd);
        Directory.Exists(map["uit"]).ShouldBeFalse();
    }
}
