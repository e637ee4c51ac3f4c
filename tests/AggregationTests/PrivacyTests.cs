using System.Text;
using SocialDomain.Aggregation;

namespace SocialDomain.AggregationTests;

/// <summary>The job never lets a BSN through, needs the beheerder's key, and keeps the raw table to the beheerder.</summary>
public class PrivacyTests
{
    [Fact]
    public async Task No_bsn_reaches_the_extract_or_any_output()
    {
        using var map = new Werkmap();
        var bevolking = new ReferentieBevolking();
        await Stores.SqliteAsync(bevolking.Populatie, map["data"]);

        var uitvoer = new StringBuilder();
        uitvoer.Append(await Job.ShouldSucceed("extract", "--sqlite", map["data"], "--out", map["uit/extract.sdpx"], "--key-file", map.Sleutel(), "--progress"));
        uitvoer.Append(await Job.ShouldSucceed("aggregate", "--extract", map["uit/extract.sdpx"], "--out", map["uit"], "--periode", "2025",
            "--peildatum", "2025-03-01", "--raw", "--role", "beheerder", "--progress"));

        var bestanden = Directory.GetFiles(map["uit"], "*", SearchOption.AllDirectories);
        bestanden.Length.ShouldBe(9, "extract, CSV, JSON, metadata, PNG, SVG and the raw table with its metadata");
        var inhoud = bestanden.Select(f => (Naam: f, Bytes: File.ReadAllBytes(f))).Append(("stdout", Encoding.UTF8.GetBytes(uitvoer.ToString()))).ToList();
        var bsns = bevolking.Bsns.ToList();
        bsns.Count.ShouldBe(185);
        foreach (var bsn in bsns)
        {
            // As text, and as the 32-bit number a binary file could hold.
            var tekst = Encoding.ASCII.GetBytes(bsn.Value);
            var getal = BitConverter.GetBytes(int.Parse(bsn.Value, System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (naam, bytes) in inhoud)
            {
                bytes.AsSpan().IndexOf(tekst).ShouldBe(-1, $"BSN {bsn} in {naam}");
                bytes.AsSpan().IndexOf(getal).ShouldBe(-1, $"BSN {bsn} as a number in {naam}");
            }
        }
        // The stores the extraction read do hold them: the scan can find what it looks for.
        var stores = Directory.GetFiles(map["data"]).SelectMany(File.ReadAllBytes).ToArray();
        foreach (var bsn in bsns) stores.AsSpan().IndexOf(Encoding.ASCII.GetBytes(bsn.Value)).ShouldNotBe(-1, $"BSN {bsn} in the stores");
    }

    [Fact]
    public async Task The_extract_is_refused_without_a_key_and_with_a_key_inside_a_repository()
    {
        using var map = new Werkmap();
        await Stores.SqliteAsync(new ReferentieBevolking().Populatie, map["data"]);
        Environment.GetEnvironmentVariable(PseudonymKey.EnvironmentVariable).ShouldBeNull("the test needs the variable unset");

        var (code, _, stderr) = await Job.RunAsync("extract", "--sqlite", map["data"], "--out", map["uit/e.sdpx"]);
        code.ShouldBe(2);
        stderr.ShouldContain(PseudonymKey.EnvironmentVariable);
        File.Exists(map["uit/e.sdpx"]).ShouldBeFalse();

        Directory.CreateDirectory(map["repo/.git"]);
        File.WriteAllText(map["repo/key"], Convert.ToBase64String(new byte[32]));
        (code, _, stderr) = await Job.RunAsync("extract", "--sqlite", map["data"], "--out", map["uit/e.sdpx"], "--key-file", map["repo/key"]);
        code.ShouldBe(2);
        stderr.ShouldContain("git working tree");

        File.WriteAllText(map["kort"], Convert.ToBase64String(new byte[16]));
        (code, _, stderr) = await Job.RunAsync("extract", "--sqlite", map["data"], "--out", map["uit/e.sdpx"], "--key-file", map["kort"]);
        code.ShouldBe(2);
        stderr.ShouldContain("at least 32");
        File.Exists(map["uit/e.sdpx"]).ShouldBeFalse();
    }

    [Fact]
    public async Task The_raw_table_is_written_only_for_the_beheerder_who_asks_for_it()
    {
        using var map = new Werkmap();
        await Stores.SqliteAsync(new ReferentieBevolking().Populatie, map["data"]);
        await Job.ShouldSucceed("extract", "--sqlite", map["data"], "--out", map["e.sdpx"], "--key-file", map.Sleutel());

        await Job.ShouldSucceed("aggregate", "--extract", map["e.sdpx"], "--out", map["standaard"], "--periode", "2025");
        Directory.GetFiles(map["standaard"], "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order()
            .ShouldBe(["stapeling-metadata.json", "stapeling.csv", "stapeling.json", "stapeling.png", "stapeling.svg"]);

        foreach (var rol in new[] { Array.Empty<string>(), ["--role", "statisticus"] })
        {
            var (code, _, stderr) = await Job.RunAsync(["aggregate", "--extract", map["e.sdpx"], "--out", map["geweigerd"], "--periode", "2025", "--raw", .. rol]);
            code.ShouldBe(2);
            stderr.ShouldContain("--role beheerder");
            Directory.Exists(map["geweigerd"]).ShouldBeFalse();
        }

        await Job.ShouldSucceed("aggregate", "--extract", map["e.sdpx"], "--out", map["beheerder"], "--periode", "2025", "--raw", "--role", "beheerder");
        File.Exists(map["beheerder/onbeveiligd/stapeling-onbeveiligd.csv"]).ShouldBeTrue();
    }

    [Fact]
    public async Task Pseudonyms_depend_on_the_key_and_the_tables_do_not()
    {
        using var map = new Werkmap();
        await Stores.SqliteAsync(new ReferentieBevolking().Populatie, map["data"]);
        var sleutel = map.Sleutel();
        await Job.ShouldSucceed("extract", "--sqlite", map["data"], "--out", map["a.sdpx"], "--key-file", sleutel);
        await Job.ShouldSucceed("extract", "--sqlite", map["data"], "--out", map["b.sdpx"], "--key-file", sleutel);
        File.WriteAllText(sleutel, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        await Job.ShouldSucceed("extract", "--sqlite", map["data"], "--out", map["c.sdpx"], "--key-file", sleutel);

        var (a, b, c) = (ExtractFile.Read(map["a.sdpx"]), ExtractFile.Read(map["b.sdpx"]), ExtractFile.Read(map["c.sdpx"]));
        b.Personen.ToHashSet().SetEquals(a.Personen).ShouldBeTrue("the same key links extracts");
        c.Personen.Intersect(a.Personen).ShouldBeEmpty("another key gives other pseudonyms");
        c.SleutelVingerafdruk.ShouldNotBe(a.SleutelVingerafdruk);

        await Job.ShouldSucceed("aggregate", "--extract", map["a.sdpx"], "--out", map["ua"], "--periode", "2025");
        await Job.ShouldSucceed("aggregate", "--extract", map["c.sdpx"], "--out", map["uc"], "--periode", "2025");
        File.ReadAllText(map["uc/stapeling.csv"]).ShouldBe(File.ReadAllText(map["ua/stapeling.csv"]));
    }
}
