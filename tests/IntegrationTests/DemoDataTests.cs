using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SocialDomain.Aggregation;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Households;
using SocialDomain.Embedded;
using SocialDomain.Projections;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

public sealed class DemoDataTests : EmbeddedPlatformTests
{
    /// <summary>A quarter of the demo: the proportions hold at any size, and the projection catches up in seconds.</summary>
    private const int Households = 1500;

    [Fact]
    public async Task The_demo_municipality_has_stacking_in_realistic_proportions_and_its_regisseur_has_a_plan_for_every_household()
    {
        await SeedAndWaitForTheProjection();
        var lead = Host.As(Roles.Teamleider, DemoData.Gemeente, DemoData.Teamleider);
        var all = await GemeenteList(lead);
        all.Count.ShouldBe(Households);
        var using_ = all.Where(h => h.GetProperty("combinatie").GetString() != "Geen").ToList();
        var stacked = using_.Count(h => h.GetProperty("combinatie").GetString()!.Contains(" en "));
        // CBS: about a fifth of households use a provision under one of the three laws.
        ((double)using_.Count / all.Count).ShouldBeInRange(0.15, 0.30);
        // The evaluations find about 13 % (nationally) to 15 % (Utrecht) of using households under more than one law.
        ((double)stacked / using_.Count).ShouldBeInRange(0.07, 0.20);
        all.ShouldAllBe(h => !h.GetProperty("toegang").GetBoolean(), "a teamleider opens a household only through regie or consent");

        // Every household with a regisseur has a plan with actions and the parties involved, as its regisseur sees it.
        var coordinated = all.Where(h => h.GetProperty("regisseur").ValueKind == JsonValueKind.String).ToList();
        coordinated.Count.ShouldBeGreaterThan(Households / 100);
        coordinated.ShouldContain(h => h.GetProperty("regisseur").GetString() == DemoData.RegisseurNaam);
        foreach (var household in coordinated)
        {
            var (id, _) = DemoData.Regisseurs.Single(r => r.Naam == household.GetProperty("regisseur").GetString());
            var view = await Host.As(Roles.Regisseur, DemoData.Gemeente, id)
                .GetFromJsonAsync<JsonElement>($"/api/v1/households/{household.GetProperty("householdId").GetGuid()}", Ct);
            var goals = view.GetProperty("plan").EnumerateArray().ToList();
            goals.ShouldNotBeEmpty("every household a regisseur coordinates has a plan");
            goals.ShouldAllBe(g => g.GetProperty("acties").GetArrayLength() > 0);
            view.GetProperty("betrokkenen").GetArrayLength().ShouldBeGreaterThan(0);
        }
        coordinated.Count(h => h.GetProperty("signalen").EnumerateArray().Any(s => s.GetString()!.Contains("conflict(en) tussen doelen")))
            .ShouldBeGreaterThan(1, "the showcase's conflict and generated ones");
    }

    [Fact]
    public async Task The_demo_regisseur_sees_a_plan_with_a_conflict_the_parties_the_consents_and_a_child_turning_18()
    {
        await SeedAndWaitForTheProjection();
        var regisseur = Host.As(Roles.Regisseur, DemoData.Gemeente, DemoData.Regisseur);
        var today = DateOnly.FromDateTime(DateTime.Today);
        var view = await regisseur.GetFromJsonAsync<JsonElement>($"/api/v1/households/{DemoShowcase.Overgang}", Ct);

        var goals = view.GetProperty("plan").EnumerateArray().ToList();
        goals.Select(g => g.GetProperty("leefgebied").GetString()).Distinct().Count().ShouldBeGreaterThanOrEqualTo(3, "goals in several leefgebieden");
        var actions = goals.SelectMany(g => g.GetProperty("acties").EnumerateArray()).ToList();
        actions.Count.ShouldBeGreaterThanOrEqualTo(goals.Count);
        actions.ShouldAllBe(a => a.GetProperty("eigenaar").GetString() != "" && a.GetProperty("deadline").ValueKind == JsonValueKind.String);
        actions.Select(a => a.GetProperty("status").GetString()).Distinct().Count().ShouldBeGreaterThan(1);
        goals.Count(g => g.GetProperty("conflicten").GetArrayLength() > 0).ShouldBe(2, "one conflict, shown with both goals");
        view.GetProperty("betrokkenen").GetArrayLength().ShouldBeGreaterThanOrEqualTo(3);
        var signalen = view.GetProperty("signalen").EnumerateArray().Select(s => s.GetString()!).ToList();
        signalen.ShouldContain(s => s.Contains("partijen voeren regie"));
        signalen.ShouldContain(s => s.Contains("conflict(en) tussen doelen"));

        var consent = view.GetProperty("toestemmingen").EnumerateArray().ShouldHaveSingleItem("the mother's consent was withdrawn");
        consent.GetProperty("wetten").EnumerateArray().Select(w => w.GetString()).ShouldBe(["Wmo"]);
        consent.GetProperty("ontvanger").GetString().ShouldNotBe(DemoData.Regisseur);
        DateOnly.Parse(consent.GetProperty("van").GetString()!, CultureInfo.InvariantCulture).ShouldBeLessThan(today);

        // The son turned 18 in the last months: his jeugdhulp ended at 18, Wmo support took over.
        var leden = view.GetProperty("leden").EnumerateArray().ToList();
        var zoon = leden.Single(m => Eighteenth(m) is { } birthday && birthday <= today && birthday > today.AddMonths(-6));
        var zoon18 = Eighteenth(zoon)!.Value;
        var jeugd = Provisions(zoon, "Jeugdwet").ShouldHaveSingleItem();
        var einde = DateOnly.Parse(jeugd.GetProperty("perioden")[0].GetProperty("einddatum").GetString()!, CultureInfo.InvariantCulture);
        (einde.DayNumber - zoon18.DayNumber).ShouldBeInRange(-31, 31, "the jeugdhulp ends near the 18th birthday");
        var vervolg = Provisions(zoon, "Wmo").Concat(Provisions(zoon, "Participatiewet")).ShouldHaveSingleItem();
        DateOnly.Parse(vervolg.GetProperty("perioden")[0].GetProperty("begindatum").GetString()!, CultureInfo.InvariantCulture)
            .ShouldBeGreaterThanOrEqualTo(einde);
        vervolg.GetProperty("status").GetString().ShouldBe("actueel");
        // His sister turns 18 within months with jeugdhulp and no follow-up yet: the signal today.
        signalen.ShouldContain(s => s.StartsWith("Overgang 18-/18+") && s.Contains("Kind"));
        // A month before his birthday the signal was his.
        var toen = await regisseur.GetFromJsonAsync<JsonElement>(
            $"/api/v1/households/{DemoShowcase.Overgang}?date={zoon18.AddMonths(-1):yyyy-MM-dd}", Ct);
        toen.GetProperty("signalen").EnumerateArray().ShouldContain(s => s.GetString()!.Contains($"wordt op {zoon18:yyyy-MM-dd} 18"));
    }

    [Fact]
    public async Task A_consent_shows_the_demo_regisseur_one_members_provisions_under_the_consented_law_and_hides_the_rest()
    {
        await SeedAndWaitForTheProjection();
        var lead = Host.As(Roles.Teamleider, DemoData.Gemeente, DemoData.Teamleider);
        var listed = (await GemeenteList(lead)).Single(h => h.GetProperty("householdId").GetGuid() == DemoShowcase.Toestemming);
        listed.GetProperty("combinatie").GetString().ShouldBe("P-wet en Wmo");
        listed.GetProperty("regisseur").GetString().ShouldNotBe(DemoData.RegisseurNaam);

        var regisseur = Host.As(Roles.Regisseur, DemoData.Gemeente, DemoData.Regisseur);
        var view = await regisseur.GetFromJsonAsync<JsonElement>($"/api/v1/households/{DemoShowcase.Toestemming}", Ct);
        var consent = view.GetProperty("toestemmingen").EnumerateArray().Single(c => c.GetProperty("ontvanger").GetString() == DemoData.Regisseur);
        consent.GetProperty("wetten").EnumerateArray().Select(w => w.GetString()).ShouldBe(["Wmo"]);
        view.GetProperty("zichtbareWetten").EnumerateArray().Select(w => w.GetString()).ShouldBe(["Wmo"]);
        view.GetProperty("combinatie").GetString().ShouldBe("Alleen Wmo", "the hidden bijstand does not show through the combination");
        var leden = view.GetProperty("leden").EnumerateArray().ToList();
        var gever = leden.Single(m => m.GetProperty("bsn").GetString() == consent.GetProperty("gegevenDoor").GetString());
        gever.GetProperty("voorzieningen").EnumerateArray().ShouldAllBe(p => p.GetProperty("law").GetString() == "Wmo");
        gever.GetProperty("voorzieningen").GetArrayLength().ShouldBe(1);
        leden.Where(m => m.GetProperty("bsn").GetString() != gever.GetProperty("bsn").GetString()).ShouldAllBe(m => m.GetProperty("voorzieningen").GetArrayLength() == 0, "the consent covers its giver only");
    }

    [Fact]
    public async Task The_protected_statistics_of_the_demo_publish_stacked_combinations()
    {
        (await DemoData.SeedAsync(Services, DemoData.DefaultHouseholds, DemoData.DefaultSeed, Ct)).ShouldBe(DemoData.DefaultHouseholds);
        var work = Directory.CreateTempSubdirectory("sdp-demo-statistics-");
        try
        {
            var key = Path.Combine(work.FullName, "key", "pseudonym.key");
            Directory.CreateDirectory(Path.GetDirectoryName(key)!);
            await File.WriteAllTextAsync(key, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), Ct);
            var extract = Path.Combine(work.FullName, "stapeling.sdpx");
            var tables = Path.Combine(work.FullName, "tabellen");
            var peildatum = DateOnly.FromDateTime(DateTime.Today).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await Job("extract", "--sqlite", DataDirectory, "--out", extract, "--key-file", key);
            await Job("aggregate", "--extract", extract, "--out", tables, "--peildatum", peildatum, "--chart-regio", $"GM{DemoData.Gemeente}");

            // StatLine's shape: a peildatum's period is its month's code (2025MM06), the combination's name its title.
            var perioden = DateTime.Today.ToString("yyyy'MM'MM", CultureInfo.InvariantCulture);
            var rows = Table(Path.Combine(tables, "stapeling.csv")).Where(r => r["RegioS"] == $"GM{DemoData.Gemeente}" && r["Perioden"] == perioden).ToList();
            string[] stackedCombinations = ["Jeugd en Wmo", "Jeugd en P-wet", "P-wet en Wmo", "Jeugd, P-wet en Wmo"];
            var stacked = rows.Where(r => stackedCombinations.Contains(r["SoortVoorzieningTitel"])).ToList();
            stacked.Count.ShouldBe(4);
            // Published means not suppressed ('.') and above the disclosure threshold: a cell that says something about stacking.
            stacked.Count(r => r["Huishoudens_2"] != "." && int.Parse(r["Huishoudens_2"], CultureInfo.InvariantCulture) >= 10)
                .ShouldBeGreaterThanOrEqualTo(1, string.Join(Environment.NewLine, stacked.Select(r => string.Join(';', r.Values))));
            stacked.Count(r => r["Personen_1"] != "." && int.Parse(r["Personen_1"], CultureInfo.InvariantCulture) >= 10)
                .ShouldBeGreaterThanOrEqualTo(1, string.Join(Environment.NewLine, stacked.Select(r => string.Join(';', r.Values))));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private async Task SeedAndWaitForTheProjection()
    {
        (await DemoData.SeedAsync(Services, Households, DemoData.DefaultSeed, Ct)).ShouldBe(Households);
        (await DemoData.SeedAsync(Services, Households, DemoData.DefaultSeed, Ct)).ShouldBe(0, "seeding twice changes nothing");
        var lead = Host.As(Roles.Teamleider, DemoData.Gemeente, DemoData.Teamleider);
        var list = await Eventually.Get(() => lead.GetFromJsonAsync<JsonElement>($"/api/v1/gemeenten/{DemoData.Gemeente}/households?pageSize=1", Ct),
            l => l.GetProperty("total").GetInt32() == Households, TimeSpan.FromSeconds(120));
        list.GetProperty("total").GetInt32().ShouldBe(Households);
        // Every household is listed before the projection has every provision: the law services' relays run apart.
        long stored = 0;
        foreach (var law in new[] { "participatiewet", "wmo", "jeugdwet" }) stored += (await StoredEvents(law)).Count;
        var inbox = Services.GetRequiredService<IInbox>();
        (await Eventually.Get(() => inbox.CountAsync(Ct), n => n == stored, TimeSpan.FromSeconds(120))).ShouldBe(stored);
        // The regie, plans, parties and consents come after the memberships, in the regisseurs' own batches.
        var households = await Services.GetRequiredKeyedService<IEventStore>(HouseholdsService.Name).ReadAllAsync(LogPosition.Start, 1_000_000, Ct);
        foreach (var stream in households.GroupBy(e => e.StreamId).Where(s => s.Any(e => e.Type == nameof(RegisseurAssigned))))
        {
            var id = Guid.Parse(stream.Key["household-".Length..]);
            (await Eventually.Get(() => inbox.ReadHouseholdAsync(id, Ct), e => e.Count == stream.Count(), TimeSpan.FromSeconds(60)))
                .Count.ShouldBe(stream.Count());
        }
    }

    /// <summary>The whole gemeente list, page after page by cursor.</summary>
    private static async Task<List<JsonElement>> GemeenteList(HttpClient lead)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await lead.GetFromJsonAsync<JsonElement>(
                $"/api/v1/gemeenten/{DemoData.Gemeente}/households?pageSize=100" + (cursor is null ? "" : $"&cursor={cursor}"), Ct);
            all.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return all;
    }

    private static DateOnly? Eighteenth(JsonElement member) =>
        member.GetProperty("geboortedatum").GetString() is { } born ? DateOnly.Parse(born, CultureInfo.InvariantCulture).AddYears(18) : null;

    private static IEnumerable<JsonElement> Provisions(JsonElement member, string law) =>
        member.GetProperty("voorzieningen").EnumerateArray().Where(p => p.GetProperty("law").GetString() == law);

    private static async Task Job(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        (await Cli.RunAsync(args, stdout, stderr, Ct)).ShouldBe(0, stderr.ToString());
    }

    /// <summary>A CSV table's rows by column name, so columns added beside the documented ones change nothing here.</summary>
    private static IEnumerable<Dictionary<string, string>> Table(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(';');
        return lines.Skip(1).Select(line => header.Zip(line.Split(';')).ToDictionary(c => c.First, c => c.Second));
    }
}
