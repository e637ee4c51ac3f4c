using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// "Eén gezin, één plan, één regisseur" through the APIs: a household with a child in youth care and a parent in
/// the bijstand, its regisseur and plan, and who may see it.
/// </summary>
public class HouseholdTests : EmbeddedPlatformTests
{
    private const string Ouder = "111222333";
    private const string Kind = "999990019";
    private const string Broer = "123456782";
    private static readonly Guid Gezin = Guid.Parse("6f1c1c1e-0000-4000-8000-000000000001");
    private static readonly Guid Financien = Guid.Parse("6f1c1c1e-0000-4000-8000-0000000000f1");
    private static readonly Guid Kamer = Guid.Parse("6f1c1c1e-0000-4000-8000-0000000000f2");

    /// <summary>The child turns 18 two months from today: an imminent 18-/18+ transition whenever the test runs.</summary>
    private static readonly DateOnly Achttien = DateOnly.FromDateTime(DateTime.Today).AddMonths(2);

    private HttpClient Regisseur => Host.As(Roles.Regisseur, "0344", "regisseur-anna");
    private HttpClient Collega => Host.As(Roles.Regisseur, "0344", "regisseur-bert");
    private HttpClient Teamleider => Host.As(Roles.Teamleider, "0344", "teamleider-dirk");

    [Fact]
    public async Task The_regisseur_sees_the_whole_household_across_laws_with_its_plan_and_signals()
    {
        await AGezinWithJeugdhulpAndBijstand();

        // Every event of the set-up has arrived once the last party is in the view.
        var view = await Eventually.Get(() => View(Regisseur, null),
            v => v.GetProperty("combinatie").GetString() == "Jeugd en P-wet" && v.GetProperty("betrokkenen").GetArrayLength() == 3);

        view.GetProperty("combinatie").GetString().ShouldBe("Jeugd en P-wet");
        view.GetProperty("gestapeld").GetBoolean().ShouldBeTrue();
        var leden = view.GetProperty("leden").EnumerateArray().ToList();
        leden.Select(l => l.GetProperty("bsn").GetString()).ShouldBe([Ouder, Kind], ignoreOrder: true);
        leden.Single(l => l.GetProperty("bsn").GetString() == Kind).GetProperty("combinatie").GetString().ShouldBe("Alleen Jeugd");
        view.GetProperty("regisseur").GetProperty("naam").GetString().ShouldBe("Anna de Regisseur");

        var signalen = view.GetProperty("signalen").EnumerateArray().Select(s => s.GetString()!).ToList();
        signalen.ShouldContain(s => s.StartsWith("Voorzieningen onder meer dan één wet"));
        signalen.ShouldContain(s => s.StartsWith("Overgang 18-/18+") && s.Contains($"{Achttien:yyyy-MM-dd}"));
        signalen.ShouldContain(s => s.StartsWith("2 partijen voeren regie"));
        signalen.ShouldContain(s => s.Contains("conflict"));

        var plan = view.GetProperty("plan").EnumerateArray().ToList();
        var financien = plan.Single(g => g.GetProperty("goalId").GetGuid() == Financien);
        financien.GetProperty("acties")[0].GetProperty("omschrijving").GetString().ShouldBe("Betalingsregeling met de verhuurder");
        financien.GetProperty("conflicten")[0].GetProperty("omschrijving").GetString().ShouldBe("Kamer van het kind opknappen");
        plan.Single(g => g.GetProperty("goalId").GetGuid() == Kamer).GetProperty("conflicten")[0].GetProperty("goalId").GetGuid().ShouldBe(Financien);
        view.GetProperty("betrokkenen").GetArrayLength().ShouldBe(3);
    }

    [Fact]
    public async Task The_view_travels_in_time_a_member_who_left_is_gone_after_the_date_and_an_ended_provision_no_longer_counts()
    {
        await AGezinWithJeugdhulpAndBijstand();
        (await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/members", new { bsn = Broer, gemeente = "0344", rol = "Kind", van = "2024-01-01" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/members/leave", new { bsn = Broer, tot = "2025-06-30" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        // The leave has been applied once Broer's membership shows its last day.
        var during = await Eventually.Get(() => View(Regisseur, "2025-03-01"), v => v.GetProperty("leden").EnumerateArray()
            .Any(l => l.GetProperty("bsn").GetString() == Broer && l.GetProperty("tot").GetString() == "2025-06-30"));
        during.GetProperty("leden").GetArrayLength().ShouldBe(3);
        var after = await View(Regisseur, "2025-07-01");
        after.GetProperty("leden").EnumerateArray().Select(l => l.GetProperty("bsn").GetString()).ShouldNotContain(Broer);

        var beforeBijstand = await Eventually.Get(() => View(Regisseur, "2024-06-01"), v => v.GetProperty("combinatie").GetString() == "Alleen Jeugd");
        beforeBijstand.GetProperty("combinatie").GetString().ShouldBe("Alleen Jeugd");
        (await Eventually.Get(() => View(Regisseur, "2025-06-01"), v => v.GetProperty("combinatie").GetString() == "Jeugd en P-wet"))
            .GetProperty("combinatie").GetString().ShouldBe("Jeugd en P-wet");
    }

    [Fact]
    public async Task Another_regisseur_sees_nothing_until_a_member_consents_and_then_only_that_members_provisions_under_the_laws_consented_to()
    {
        await AGezinWithJeugdhulpAndBijstand();
        await Eventually.Get(() => View(Regisseur, null), v => v.GetProperty("combinatie").GetString() == "Jeugd en P-wet");

        (await Collega.GetAsync($"/api/v1/households/{Gezin}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var search = await Collega.PostAsJsonAsync("/api/v1/households/zoeken", new { bsn = Kind }, Ct);
        (await search.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("households").GetArrayLength().ShouldBe(0);
        var own = await Regisseur.PostAsJsonAsync("/api/v1/households/zoeken", new { bsn = Kind }, Ct);
        (await own.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("households")[0].GetGuid().ShouldBe(Gezin);

        var consent = await Regisseur.PostAsJsonAsync($"/api/v1/households/{Gezin}/consents",
            new { gegevenDoor = Ouder, ontvanger = "regisseur-bert", wetten = new[] { "Jeugdwet", "Participatiewet" }, van = "2025-01-01" }, Ct);
        consent.StatusCode.ShouldBe(HttpStatusCode.Created);
        var consentId = (await consent.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        var seen = await Eventually.Get(async () => await Collega.GetAsync($"/api/v1/households/{Gezin}", Ct), r => r.IsSuccessStatusCode);
        var view = await seen.Content.ReadFromJsonAsync<JsonElement>(Ct);
        view.GetProperty("zichtbareWetten").EnumerateArray().Select(w => w.GetString()).ShouldBe(["Jeugdwet", "Participatiewet"]);
        var leden = view.GetProperty("leden").EnumerateArray().ToDictionary(l => l.GetProperty("bsn").GetString()!);
        leden[Ouder].GetProperty("voorzieningen").EnumerateArray().Select(p => p.GetProperty("law").GetString()).ShouldBe(["Participatiewet"]);
        leden[Kind].GetProperty("voorzieningen").GetArrayLength().ShouldBe(0, "the ouder's consent does not cover the kind's youth care");
        leden[Kind].GetProperty("zichtbareWetten").GetArrayLength().ShouldBe(0);

        (await Regisseur.PostAsJsonAsync($"/api/v1/households/{Gezin}/consents/{consentId}/withdraw", new { per = "2025-02-01" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Eventually.Get(async () => await Collega.GetAsync($"/api/v1/households/{Gezin}", Ct), r => r.StatusCode == HttpStatusCode.NotFound))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Wrong_callers_get_401_403_or_404_and_no_existence_leak()
    {
        await AGezinWithJeugdhulpAndBijstand();
        await Eventually.Get(() => View(Regisseur, null), v => v.GetProperty("leden").GetArrayLength() == 2);

        var anonymous = await Host.Anonymous().GetAsync($"/api/v1/households/{Gezin}", Ct);
        (await ShouldBeProblem(anonymous, HttpStatusCode.Unauthorized)).ShouldNotBe(default);
        var forged = Host.Anonymous();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.Issue("another-key-another-key-another-key!", "x", Roles.Beheerder, null, TimeSpan.FromHours(1)));
        (await forged.GetAsync($"/api/v1/households/{Gezin}", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // A statisticus works with aggregates and has no relation to any household: it is not there for it.
        (await Host.As(Roles.Statisticus, "0344").GetAsync($"/api/v1/households/{Gezin}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Host.As(Roles.Statisticus, "0344").PostAsJsonAsync("/api/v1/persons/stacking/zoeken", new { bsn = Kind }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Host.As(Roles.Regisseur, "0363", "regisseur-anna").GetAsync($"/api/v1/households/{Gezin}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Host.As(Roles.Regisseur, "0344", "regisseur-anna").GetAsync($"/api/v1/households/{Guid.NewGuid()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Collega.PostAsJsonAsync("/api/v1/persons/stacking/zoeken", new { bsn = Kind }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Regisseur.PostAsJsonAsync("/api/v1/persons/stacking/zoeken", new { bsn = Kind }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var elsewhere = await Host.As(Roles.Aanleverancier, "0363").PostAsJsonAsync("/api/v1/wmo/provisions",
            new { bsn = Ouder, gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01" }, Ct);
        (await ShouldBeProblem(elsewhere, HttpStatusCode.Forbidden)).GetProperty("errors").TryGetProperty("gemeente", out _).ShouldBeTrue();
        (await Host.As(Roles.Aanleverancier, "0363").PostAsJsonAsync($"/api/v1/households/{Gezin}/members",
            new { bsn = Broer, gemeente = "0344", rol = "Kind", van = "2025-01-01" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Collega.PutAsJsonAsync($"/api/v1/households/{Gezin}/plan/goals/{Guid.NewGuid()}",
            new { leefgebied = "Financien", omschrijving = "x", eigenaar = "y" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Regisseur.PostAsJsonAsync("/api/v1/access-log/zoeken", new { }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Every_read_of_personal_data_is_in_the_access_log_with_who_what_and_why()
    {
        await AGezinWithJeugdhulpAndBijstand();
        await Eventually.Get(() => View(Regisseur, null), v => v.GetProperty("leden").GetArrayLength() == 2);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/persons/stacking/zoeken") { Content = JsonContent.Create(new { bsn = Kind }) };
        request.Headers.Add(AccessExtensions.DoelbindingHeader, "gezinsplan opstellen");
        (await Regisseur.SendAsync(request, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var log = await AccessLog(new { bsn = Kind });
        var entry = log.GetProperty("items")[0];
        entry.GetProperty("userId").GetString().ShouldBe("regisseur-anna");
        entry.GetProperty("role").GetString().ShouldBe(Roles.Regisseur);
        entry.GetProperty("doelbinding").GetString().ShouldBe("gezinsplan opstellen");
        var byHousehold = await AccessLog(new { householdId = Gezin });
        byHousehold.GetProperty("total").GetInt32().ShouldBeGreaterThan(0);

        var accessLog = Services.GetRequiredService<IAccessLog>();
        (await accessLog.QueryAsync(null, null, null, 0, 1000, Ct)).Total.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task A_refused_read_of_personal_data_is_in_the_access_log_with_its_outcome()
    {
        await AGezinWithJeugdhulpAndBijstand();
        await Eventually.Get(() => View(Regisseur, null), v => v.GetProperty("leden").GetArrayLength() == 2);
        var stacking = new { bsn = Kind };
        (await Teamleider.PostAsJsonAsync("/api/v1/persons/stacking/zoeken", stacking, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Collega.PostAsJsonAsync("/api/v1/persons/stacking/zoeken", stacking, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Regisseur.PostAsJsonAsync("/api/v1/persons/stacking/zoeken", stacking, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Collega.GetAsync($"/api/v1/households/{Gezin}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Regisseur.PostAsJsonAsync("/api/v1/jeugdwet/clients/provisions/zoeken", stacking, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var byPerson = (await AccessLog(new { bsn = Kind })).GetProperty("items").EnumerateArray()
            .Select(e => (User: e.GetProperty("userId").GetString(), Resource: e.GetProperty("resource").GetString(), Uitkomst: e.GetProperty("uitkomst").GetString()))
            .ToList();
        byPerson.ShouldContain(("teamleider-dirk", "persons/stacking", "geweigerd"));
        byPerson.ShouldContain(("regisseur-bert", "persons/stacking", "niet gevonden"));
        byPerson.ShouldContain(("regisseur-anna", "persons/stacking", "toegestaan"));
        var byHousehold = (await AccessLog(new { householdId = Gezin, userId = "regisseur-bert" })).GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        byHousehold.GetProperty("uitkomst").GetString().ShouldBe("niet gevonden");
        // Refused before the body is read: who tried, and where, is logged; the BSN it carried is not known yet.
        (await AccessLog(new { userId = "regisseur-anna" })).GetProperty("items").EnumerateArray()
            .ShouldContain(e => e.GetProperty("resource").GetString() == "jeugdwet/clients/provisions" && e.GetProperty("uitkomst").GetString() == "geweigerd");
    }

    [Fact]
    public async Task A_team_lead_lists_the_gemeentes_households_with_signals_and_no_bsns_and_gestapeld_means_more_than_one_law()
    {
        await AGezinWithJeugdhulpAndBijstand();
        await Eventually.Get(() => View(Regisseur, null), v => v.GetProperty("combinatie").GetString() == "Jeugd en P-wet");
        // A household with signals (two parties claim regie) but no provisions: signals are not stapeling.
        var alleen = Guid.NewGuid();
        (await Client.PostAsJsonAsync($"/api/v1/households/{alleen}/members", new { bsn = Broer, gemeente = "0344", rol = "Overig", van = "2020-01-01" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await Client.PostAsJsonAsync($"/api/v1/households/{alleen}/regisseur", new { regisseurId = "regisseur-bert", naam = "Bert", van = "2025-01-01" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var naam in new[] { "Sanne", "Piet" })
            (await Collega.PostAsJsonAsync($"/api/v1/households/{alleen}/involved-parties",
                new { naam, organisatie = "Wijkteam", domein = "Wmo", regie = true, van = "2025-01-01" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var signalen = await Eventually.Get(() => Teamleider.GetFromJsonAsync<JsonElement>("/api/v1/gemeenten/0344/households?signalen=true", Ct),
            l => l.GetProperty("total").GetInt32() == 2);
        signalen.GetProperty("total").GetInt32().ShouldBe(2);
        (await Teamleider.GetFromJsonAsync<JsonElement>("/api/v1/gemeenten/0344/households", Ct)).GetProperty("total").GetInt32().ShouldBe(2);
        var gestapeld = await Teamleider.GetFromJsonAsync<JsonElement>("/api/v1/gemeenten/0344/households?gestapeld=true", Ct);
        var item = gestapeld.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        item.GetProperty("householdId").GetGuid().ShouldBe(Gezin);
        item.GetProperty("toegang").GetBoolean().ShouldBeFalse("a teamleider opens a household only through regie or consent");
        gestapeld.GetRawText().ShouldNotContain(Kind);
        gestapeld.GetRawText().ShouldNotContain(Ouder);
        (await Host.As(Roles.Teamleider, "0363").GetAsync("/api/v1/gemeenten/0344/households", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Collega.GetFromJsonAsync<JsonElement>("/api/v1/gemeenten/0344/households", Ct)).GetProperty("items").EnumerateArray()
            .Select(h => h.GetProperty("householdId").GetGuid()).ShouldBe([alleen], "a regisseur's list is the households it coordinates");
    }

    [Fact]
    public async Task One_household_has_one_regisseur_at_a_time()
    {
        await AGezinWithJeugdhulpAndBijstand();

        var second = await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/regisseur", new { regisseurId = "regisseur-bert", naam = "Bert", van = "2025-06-01" }, Ct);

        await ShouldBeProblem(second, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Add_member_records_a_membership_and_refuses_a_second_one_with_409()
    {
        var feed = Host.As(Roles.Aanleverancier, "0344", "brp-koppeling");
        var join = new { bsn = Ouder, gemeente = "0344", rol = "Ouder", van = "2010-01-01" };

        var first = await feed.PostAsJsonAsync($"/api/v1/households/{Gezin}/members", join, Ct);
        var second = await feed.PostAsJsonAsync($"/api/v1/households/{Gezin}/members", join, Ct);

        (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("version").GetInt64().ShouldBe(1);
        await ShouldBeProblem(second, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Remove_member_refuses_a_leave_before_the_join_with_400_on_tot()
    {
        await AHousehold();

        var early = await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/members/leave", new { bsn = Kind, tot = "2009-12-31" }, Ct);
        var leave = await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/members/leave", new { bsn = Kind, tot = "2025-06-30" }, Ct);

        (await ShouldBeProblem(early, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("tot", out _).ShouldBeTrue();
        leave.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Assign_regisseur_to_a_household_that_does_not_exist_is_404()
    {
        var assign = await Client.PostAsJsonAsync($"/api/v1/households/{Guid.NewGuid()}/regisseur",
            new { regisseurId = "regisseur-anna", naam = "Anna", van = "2025-01-01" }, Ct);

        await ShouldBeProblem(assign, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Release_regisseur_ends_the_regie_once_and_then_answers_409()
    {
        await AHousehold();

        var release = await Regisseur.PostAsJsonAsync($"/api/v1/households/{Gezin}/regisseur/release", new { tot = "2025-06-30" }, Ct);
        var again = await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/regisseur/release", new { tot = "2025-06-30" }, Ct);

        release.StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldBeProblem(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Transfer_regisseur_passes_the_regie_in_one_step_and_the_view_follows()
    {
        await AHousehold();

        var transfer = await Regisseur.PostAsJsonAsync($"/api/v1/households/{Gezin}/regisseur/transfer",
            new { regisseurId = "regisseur-bert", naam = "Bert de Regisseur", per = "2025-06-01" }, Ct);
        var toSelf = await Collega.PostAsJsonAsync($"/api/v1/households/{Gezin}/regisseur/transfer",
            new { regisseurId = "regisseur-bert", naam = "Bert de Regisseur", per = "2025-07-01" }, Ct);
        var incomplete = await Collega.PostAsJsonAsync($"/api/v1/households/{Gezin}/regisseur/transfer", new { regisseurId = "regisseur-anna" }, Ct);

        transfer.StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldBeProblem(toSelf, HttpStatusCode.Conflict);
        var errors = (await ShouldBeProblem(incomplete, HttpStatusCode.BadRequest)).GetProperty("errors");
        errors.TryGetProperty("naam", out _).ShouldBeTrue();
        errors.TryGetProperty("per", out _).ShouldBeTrue();
        var view = await Eventually.Get(() => View(Collega, null), v => v.GetProperty("regisseur").GetProperty("regisseurId").GetString() == "regisseur-bert");
        view.GetProperty("regisseur").GetProperty("van").GetString().ShouldBe("2025-06-01");
        (await View(Client, "2025-05-31")).GetProperty("regisseur").GetProperty("regisseurId").GetString().ShouldBe("regisseur-anna");
        (await Regisseur.GetAsync($"/api/v1/households/{Gezin}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Set_goal_is_404_for_a_household_that_does_not_exist()
    {
        await AHousehold();
        var goal = new { leefgebied = "Financien", omschrijving = "Huurachterstand inlopen", eigenaar = "Ouder" };

        var set = await Regisseur.PutAsJsonAsync($"/api/v1/households/{Gezin}/plan/goals/{Financien}", goal, Ct);
        var elsewhere = await Client.PutAsJsonAsync($"/api/v1/households/{Guid.NewGuid()}/plan/goals/{Financien}", goal, Ct);

        set.StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldBeProblem(elsewhere, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Set_action_on_a_goal_the_plan_does_not_have_is_404()
    {
        await AHousehold();

        var action = await Regisseur.PutAsJsonAsync($"/api/v1/households/{Gezin}/plan/goals/{Financien}/actions/{Guid.NewGuid()}",
            new { omschrijving = "Betalingsregeling", eigenaar = "Schuldhulp" }, Ct);

        (await ShouldBeProblem(action, HttpStatusCode.NotFound)).GetProperty("title").GetString().ShouldBe("No such goal");
    }

    [Fact]
    public async Task Mark_goal_conflict_of_a_goal_with_itself_is_400()
    {
        await AHousehold();
        (await Regisseur.PutAsJsonAsync($"/api/v1/households/{Gezin}/plan/goals/{Financien}",
            new { leefgebied = "Financien", omschrijving = "Huurachterstand inlopen", eigenaar = "Ouder" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var conflict = await Regisseur.PostAsJsonAsync($"/api/v1/households/{Gezin}/plan/goals/{Financien}/conflicts",
            new { conflictsWithGoalId = Financien, gemarkeerdDoor = "Schuldhulp", toelichting = "x" }, Ct);

        (await ShouldBeProblem(conflict, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("conflictsWithGoalId", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Record_involved_party_answers_its_id_and_refuses_an_end_before_the_start()
    {
        await AHousehold();

        var party = await Regisseur.PostAsJsonAsync($"/api/v1/households/{Gezin}/involved-parties",
            new { naam = "Sanne", organisatie = "Schuldhulp", domein = "Schuldhulpverlening", van = "2025-01-01" }, Ct);
        var backwards = await Regisseur.PostAsJsonAsync($"/api/v1/households/{Gezin}/involved-parties",
            new { naam = "Piet", organisatie = "Jeugdteam", domein = "Jeugdwet", van = "2025-01-01", tot = "2024-12-31" }, Ct);

        (await party.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid().ShouldNotBe(Guid.Empty);
        (await ShouldBeProblem(backwards, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("tot", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Give_consent_with_a_last_day_and_refuse_it_for_someone_who_is_not_a_member()
    {
        await AHousehold();

        var stranger = await Regisseur.PostAsJsonAsync($"/api/v1/households/{Gezin}/consents",
            new { gegevenDoor = Broer, ontvanger = "regisseur-bert", wetten = new[] { "Wmo" }, van = "2025-01-01" }, Ct);
        var consent = await Regisseur.PostAsJsonAsync($"/api/v1/households/{Gezin}/consents",
            new { gegevenDoor = Ouder, ontvanger = "regisseur-bert", wetten = new[] { "Participatiewet" }, van = "2025-01-01", tot = "2099-12-31" }, Ct);

        (await ShouldBeProblem(stranger, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("gegevenDoor", out _).ShouldBeTrue();
        consent.StatusCode.ShouldBe(HttpStatusCode.Created);
        var view = await Eventually.Get(() => View(Regisseur, null), v => v.GetProperty("toestemmingen").GetArrayLength() == 1);
        view.GetProperty("toestemmingen")[0].GetProperty("tot").GetString().ShouldBe("2099-12-31");
    }

    [Fact]
    public async Task Withdraw_consent_once_and_then_answers_409()
    {
        await AHousehold();
        var consent = await Regisseur.PostAsJsonAsync($"/api/v1/households/{Gezin}/consents",
            new { gegevenDoor = Ouder, ontvanger = "regisseur-bert", wetten = new[] { "Participatiewet" }, van = "2025-01-01" }, Ct);
        var consentId = (await consent.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        var withdraw = await Regisseur.PostAsJsonAsync($"/api/v1/households/{Gezin}/consents/{consentId}/withdraw", new { per = "2025-02-01" }, Ct);
        var again = await Regisseur.PostAsJsonAsync($"/api/v1/households/{Gezin}/consents/{consentId}/withdraw", new { per = "2025-03-01" }, Ct);

        withdraw.StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldBeProblem(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Withdrawing_a_consent_the_household_never_had_answers_404_and_records_nothing()
    {
        await AHousehold();
        var before = (await AllStored(Households.HouseholdsService.Name)).Count;

        var response = await Regisseur.PostAsJsonAsync($"/api/v1/households/{Gezin}/consents/{Guid.NewGuid()}/withdraw", new { per = "2025-02-01" }, Ct);

        (await ShouldBeProblem(response, HttpStatusCode.NotFound)).GetProperty("title").GetString().ShouldBe("No such consent");
        (await AllStored(Households.HouseholdsService.Name)).Count.ShouldBe(before);
    }

    /// <summary>Ouder and Kind, with Anna their regisseur since 2025: only the Households service's own events.</summary>
    private async Task AHousehold()
    {
        var feed = Host.As(Roles.Aanleverancier, "0344", "brp-koppeling");
        foreach (var (bsn, rol) in new[] { (Ouder, "Ouder"), (Kind, "Kind") })
            (await feed.PostAsJsonAsync($"/api/v1/households/{Gezin}/members", new { bsn, gemeente = "0344", rol, van = "2010-01-01" }, Ct))
                .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/regisseur", new { regisseurId = "regisseur-anna", naam = "Anna de Regisseur", van = "2025-01-01" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>
    /// Ouder in the bijstand since 2025; Kind (18 in two months) in ambulant youth care since 2024; Anna their
    /// regisseur; a plan whose finance goal conflicts with a goal another party set; two parties that both claim regie.
    /// </summary>
    protected async Task AGezinWithJeugdhulpAndBijstand()
    {
        async Task Ok(Task<HttpResponseMessage> call)
        {
            var response = await call;
            response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync(Ct));
        }
        var feed = Host.As(Roles.Aanleverancier, "0344", "brp-koppeling");
        await Ok(feed.PostAsJsonAsync($"/api/v1/households/{Gezin}/members",
            new { bsn = Ouder, gemeente = "0344", rol = "Ouder", van = "2010-01-01", wijk = "WK034401", geboortedatum = "1985-05-05" }, Ct));
        await Ok(feed.PostAsJsonAsync($"/api/v1/households/{Gezin}/members",
            new { bsn = Kind, gemeente = "0344", rol = "Kind", van = "2010-01-01", geboortedatum = Achttien.AddYears(-18) }, Ct));
        await Ok(Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/regisseur", new { regisseurId = "regisseur-anna", naam = "Anna de Regisseur", van = "2025-01-01" }, Ct));

        var aanbieder = Host.As(Roles.Aanleverancier, "0344", "zorgaanbieder");
        await Ok(aanbieder.PostAsJsonAsync("/api/v1/jeugdwet/provisions", new { bsn = Kind, gemeente = "0344", productcategorie = "45", begindatum = "2024-01-01" }, Ct));
        await Ok(aanbieder.PostAsJsonAsync("/api/v1/participatiewet/provisions", new { bsn = Ouder, gemeente = "0344", productcategorie = "PW01", begindatum = "2025-01-01" }, Ct));

        await Ok(Regisseur.PutAsJsonAsync($"/api/v1/households/{Gezin}/plan/goals/{Financien}",
            new { leefgebied = "Financien", omschrijving = "Huurachterstand inlopen", eigenaar = "Ouder", status = "Lopend" }, Ct));
        await Ok(Regisseur.PutAsJsonAsync($"/api/v1/households/{Gezin}/plan/goals/{Financien}/actions/{Guid.NewGuid()}",
            new { omschrijving = "Betalingsregeling met de verhuurder", eigenaar = "Schuldhulp", deadline = "2026-02-01" }, Ct));
        await Ok(Regisseur.PutAsJsonAsync($"/api/v1/households/{Gezin}/plan/goals/{Kamer}",
            new { leefgebied = "Opvoeding", omschrijving = "Kamer van het kind opknappen", eigenaar = "Jeugdhulp" }, Ct));
        await Ok(Regisseur.PostAsJsonAsync($"/api/v1/households/{Gezin}/plan/goals/{Kamer}/conflicts",
            new { conflictsWithGoalId = Financien, gemarkeerdDoor = "Schuldhulp", toelichting = "Eerst de huur, anders volgt uitzetting" }, Ct));
        foreach (var (naam, organisatie, domein, regie) in new[]
                 {
                     ("Sanne", "Schuldhulp Utrecht", "Schuldhulpverlening", true), ("Piet", "Jeugdteam", "Jeugdwet", true),
                     ("Dokter Jansen", "Huisartsenpraktijk", "Huisarts", false),
                 })
            await Ok(Regisseur.PostAsJsonAsync($"/api/v1/households/{Gezin}/involved-parties",
                new { naam, organisatie, domein, regie, van = "2025-01-01" }, Ct));
    }

    private async Task<JsonElement> View(HttpClient client, string? date) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/v1/households/{Gezin}" + (date is null ? "" : $"?date={date}"), Ct);
}
