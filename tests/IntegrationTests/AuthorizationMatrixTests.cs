using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using SocialDomain.Contracts;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// docs/access-policy.md asked of the running embedded host over HTTP, cell by cell: every caller of the table tries
/// every action on one household, and the answer, put in the table's words, must be the cell. The unit test
/// AccessPolicyTests holds the table to the policy class; this one holds it to the endpoints.
/// </summary>
public sealed class AuthorizationMatrixTests : EmbeddedPlatformTests
{
    private const string Utrecht = "0344";
    private const string Agb = "12345678";
    private const string OtherGemeente = "other gemeente";
    private const string AssignedRegisseur = "assigned regisseur";
    private const string Since = "2025-01-01";
    private static readonly Gemeentecode Home = Gemeentecode.Parse(Utrecht);
    private static readonly Gemeentecode Amsterdam = Gemeentecode.Parse("0363");
    private static readonly string Today = DateOnly.FromDateTime(DateTime.Today).ToString("yyyy-MM-dd");

    /// <summary>The callers of the table's columns, as in AccessPolicyTests.</summary>
    private static readonly Dictionary<string, Caller> Columns = new()
    {
        [AssignedRegisseur] = new("regisseur-anna", Roles.Regisseur, Home),
        ["consent regisseur"] = new("regisseur-bert", Roles.Regisseur, Home),
        ["unrelated regisseur"] = new("regisseur-carla", Roles.Regisseur, Home),
        ["teamleider"] = new("teamleider-dirk", Roles.Teamleider, Home),
        ["aanleverancier"] = new("systeem-0344", Roles.Aanleverancier, Home),
        ["aanbieder"] = new("zorg-bv", Roles.Aanbieder, Home, Agb),
        ["statisticus"] = new("statisticus-cbs", Roles.Statisticus, null),
        ["beheerder"] = new("beheerder", Roles.Beheerder, null),
    };

    /// <summary>
    /// Per row of the table: what its endpoint column must name, whose token of another gemeente asks the
    /// "other gemeente" cell (the column that may do it at home; null where the table says n/a), and the request.
    /// </summary>
    private static readonly Dictionary<string, Row> Rows = new()
    {
        ["read household view"] = new("GET /households/{id}", AssignedRegisseur, (t, c) => t.ReadHouseholdView(c)),
        ["read person stacking"] = new("POST /persons/stacking/zoeken", AssignedRegisseur, (t, c) => t.ReadPersonStacking(c)),
        ["read client provisions"] = new("POST /{law}/clients/provisions/zoeken", "aanleverancier", (t, c) => t.ReadClientProvisions(c)),
        ["read a provision and its history"] = new("GET /{law}/provisions/{id}", "aanleverancier", (t, c) => t.ReadProvisionHistory(c)),
        ["search households"] = new("POST /households/zoeken", AssignedRegisseur, (t, c) => t.SearchHouseholds(c)),
        ["list a gemeente's households"] = new("GET /gemeenten/{gemeente}/households", "teamleider", (t, c) => t.ListHouseholds(c)),
        ["record membership"] = new("POST /households/{id}/members", "aanleverancier", (t, c) => t.RecordMembership(c)),
        ["assign regie"] = new("POST /households/{id}/regisseur", "teamleider", (t, c) => t.AssignRegie(c)),
        ["release regie"] = new("POST /households/{id}/regisseur/release", AssignedRegisseur, (t, c) => t.ReleaseRegie(c)),
        ["transfer regie"] = new("POST /households/{id}/regisseur/transfer", AssignedRegisseur, (t, c) => t.TransferRegie(c)),
        ["edit the plan"] = new("PUT …/plan/goals/{goalId}", AssignedRegisseur, (t, c) => t.EditPlan(c)),
        ["record an involved party"] = new("POST /households/{id}/involved-parties", AssignedRegisseur, (t, c) => t.RecordInvolvedParty(c)),
        ["give consent"] = new("POST /households/{id}/consents", AssignedRegisseur, (t, c) => t.GiveConsent(c)),
        ["withdraw consent"] = new("POST /households/{id}/consents/{consentId}/withdraw", AssignedRegisseur, (t, c) => t.WithdrawConsent(c)),
        ["post provisions"] = new("POST /{law}/provisions", "aanleverancier", (t, c) => t.PostProvisions(c)),
        ["post messages"] = new("POST /{law}/berichten", "aanbieder", (t, c) => t.PostMessages(c)),
        // Platform-wide: there is no other gemeente to be of.
        ["read the access log"] = new("POST /access-log/zoeken", null, (t, c) => t.ReadAccessLog(c)),
        // A job that reads the stores with a statisticus's database credentials: no token, no HTTP request to ask.
        ["run statistics"] = new("a job, not an endpoint", null, null),
        ["operate the platform"] = new("…/beheer/…", null, (t, c) => t.OperatePlatform(c)),
    };

    private readonly List<string> _differences = [];
    private int _nextBsn = 20_000_000;
    private int _nextMessage = 1;
    private Scenario _scenario = null!;

    [Fact]
    public async Task Every_cell_of_the_documented_table_is_what_the_running_host_answers()
    {
        _scenario = await TheScenario();
        var cells = 0;

        foreach (var row in DocumentedTable.Read().Rows)
        {
            var definition = Rows.GetValueOrDefault(row.Action)
                ?? throw new InvalidOperationException($"The table has a row '{row.Action}' this test does not know how to ask.");
            if (definition.Ask is null)
            {
                // Statistics are a job whose access is its database credentials, not a token: no cell to ask over HTTP.
                row.Endpoint.ShouldContain(definition.Endpoint);
                continue;
            }
            foreach (var (column, expected) in row.Cells)
            {
                var caller = column == OtherGemeente
                    ? definition.OtherGemeente is { } home ? Columns[home] with { Gemeente = Amsterdam } : null
                    : Columns[column];
                if (caller is null || expected == "n/a")
                {
                    if ((caller is null) != (expected == "n/a"))
                        _differences.Add($"{row.Action} × {column}: expected {expected}, but the test {(caller is null ? "has no caller of another gemeente" : "has one")}");
                    continue;
                }
                cells++;
                var actual = await definition.Ask(this, new Cell(column, ClientFor(caller)));
                if (actual != expected) _differences.Add($"{row.Action} × {column}: expected {expected}, actual {actual}");
            }
        }

        if (_differences.Count > 0)
            Assert.Fail($"{_differences.Count} difference(s) between docs/access-policy.md and the running host ({cells} cells asked):\n"
                + string.Join("\n", _differences));
    }

    [Fact]
    public void The_table_has_a_row_per_endpoint_family_and_exactly_the_columns_the_doc_defines()
    {
        var table = DocumentedTable.Read();

        table.Columns.ShouldBe(table.DefinedColumns, "the table's columns are the callers the page defines, in that order");
        table.Columns.ShouldBe([.. Columns.Keys, OtherGemeente], ignoreOrder: true);
        table.Rows.Select(r => r.Action).ShouldBe(Rows.Keys, ignoreOrder: true);
        foreach (var row in table.Rows)
        {
            row.Endpoint.ShouldContain(Rows[row.Action].Endpoint, Case.Sensitive, $"the endpoint of '{row.Action}'");
            row.Cells.Select(c => c.Column).ShouldBe(table.Columns, $"'{row.Action}' has a cell for every column");
        }
    }

    // ---- The scenario -------------------------------------------------------------------------------------------

    /// <summary>
    /// The household of the table: a parent and a child in gemeente 0344, Anna their regisseur, the child's consent to
    /// Bert for the Wmo only (recorded by Anna); the child has a Jeugdwet and a Wmo provision, the parent a
    /// Participatiewet provision. The aanbieder sent the child's Wmo provision itself, in a WMO305; nothing else.
    /// </summary>
    private async Task<Scenario> TheScenario()
    {
        var household = await AHousehold(coordinated: true);
        await Succeeds(Client.PostAsJsonAsync("/api/v1/jeugdwet/provisions",
            new { bsn = household.Child, gemeente = Utrecht, productcategorie = "45", begindatum = Since, geboortedatum = "2012-03-04" }, Ct));
        await Succeeds(Client.PostAsJsonAsync("/api/v1/participatiewet/provisions",
            new { bsn = household.Parent, gemeente = Utrecht, productcategorie = "PW01", begindatum = Since }, Ct));
        await TheAanbiederSendsTheChildsWmoProvision(household.Child);

        // The views are eventually consistent: ask no cell before the beheerder sees the whole scenario.
        var view = await Eventually.Get(() => Client.GetFromJsonAsync<JsonElement>($"/api/v1/households/{household.Id}", Ct), v =>
            v.GetProperty("leden").GetArrayLength() == 2
            && Provisions(v).Count == 3
            && v.GetProperty("regisseur").GetProperty("regisseurId").GetString() == "regisseur-anna"
            && v.GetProperty("toestemmingen").EnumerateArray().Any(c => c.GetProperty("ontvanger").GetString() == "regisseur-bert"));
        var provisions = Provisions(view);
        provisions.Keys.ShouldBe(
            [Label(household.Parent, household, "Participatiewet"), Label(household.Child, household, "Jeugdwet"), Label(household.Child, household, "Wmo")],
            ignoreOrder: true, $"the scenario is complete in the beheerder's view: {view}");
        return new Scenario(household, provisions[Label(household.Child, household, "Wmo")], provisions[Label(household.Child, household, "Jeugdwet")]);

        Dictionary<string, Guid> Provisions(JsonElement v) => v.GetProperty("leden").EnumerateArray()
            .SelectMany(l => l.GetProperty("voorzieningen").EnumerateArray().Select(p =>
                (Label: Label(l.GetProperty("bsn").GetString()!, household, p.GetProperty("law").GetString()!), Id: p.GetProperty("provisionId").GetGuid())))
            .ToDictionary(p => p.Label, p => p.Id);
    }

    /// <summary>The aanbieder sends the child's Wmo provision itself: a message is sent in its Afzender's name only.</summary>
    private async Task TheAanbiederSendsTheChildsWmoProvision(string child)
    {
        var response = await ClientFor(Columns["aanbieder"]).PostAsync("/api/v1/wmo/berichten", Xml(Wmo305(child, "2012-03-04")), Ct);
        (await Accepted(response)).ShouldBe("yes", "the aanbieder's WMO305 for the child is accepted");
    }

    /// <summary>
    /// A household of fresh people, so that a change in one cell cannot change what another cell sees: a parent and a
    /// child, the child's consent to Bert for the Wmo, and, when coordinated, Anna as regisseur who recorded that
    /// consent. Access to a change is decided on these relations only, so it needs no provisions.
    /// </summary>
    private async Task<TestHousehold> AHousehold(bool coordinated)
    {
        var household = new TestHousehold(Guid.NewGuid(), FreshBsn(), FreshBsn(), Guid.Empty);
        await Succeeds(Client.PostAsJsonAsync($"/api/v1/households/{household.Id}/members",
            new { bsn = household.Parent, gemeente = Utrecht, rol = "Ouder", van = "2010-01-01", geboortedatum = "1985-05-05" }, Ct));
        await Succeeds(Client.PostAsJsonAsync($"/api/v1/households/{household.Id}/members",
            new { bsn = household.Child, gemeente = Utrecht, rol = "Kind", van = "2012-03-04", geboortedatum = "2012-03-04" }, Ct));
        if (coordinated)
            await Succeeds(Client.PostAsJsonAsync($"/api/v1/households/{household.Id}/regisseur",
                new { regisseurId = "regisseur-anna", naam = "Anna de Regisseur", van = Since }, Ct));
        // Without a regisseur there is no one but the beheerder to record it.
        var recorder = coordinated ? ClientFor(Columns[AssignedRegisseur]) : Client;
        var consent = await Succeeds(recorder.PostAsJsonAsync($"/api/v1/households/{household.Id}/consents",
            new { gegevenDoor = household.Child, ontvanger = "regisseur-bert", wetten = new[] { "Wmo" }, van = Since }, Ct));
        return household with { BertsConsent = consent.GetProperty("id").GetGuid() };
    }

    // ---- Reads: the answer in the table's words -----------------------------------------------------------------

    private async Task<string> ReadHouseholdView(Cell cell)
    {
        using var response = await cell.Client.GetAsync($"/api/v1/households/{_scenario.Household.Id}", Ct);
        return await Read(response, view => Showing(
            [.. view.GetProperty("leden").EnumerateArray().SelectMany(l => l.GetProperty("voorzieningen").EnumerateArray()
                .Select(p => Label(l.GetProperty("bsn").GetString()!, _scenario.Household, p.GetProperty("law").GetString()!)))],
            everything: ["parent Participatiewet", "child Jeugdwet", "child Wmo"], part: ["child Wmo"], partWord: "scoped"));
    }

    private async Task<string> ReadPersonStacking(Cell cell)
    {
        using var response = await cell.Client.PostAsJsonAsync("/api/v1/persons/stacking/zoeken", new { bsn = _scenario.Household.Child }, Ct);
        return await Read(response, stacking => Showing(
            [.. stacking.GetProperty("provisionsPerLaw").EnumerateObject().Select(law => $"child {law.Name}")],
            everything: ["child Jeugdwet", "child Wmo"], part: ["child Wmo"], partWord: "scoped"));
    }

    /// <summary>The child's listings under both of its laws, so that "own" (only the Wmo the aanbieder sent) differs from "yes".</summary>
    private async Task<string> ReadClientProvisions(Cell cell)
    {
        var shown = new List<string>();
        foreach (var (law, label) in new[] { ("wmo", "child Wmo"), ("jeugdwet", "child Jeugdwet") })
        {
            using var response = await cell.Client.PostAsJsonAsync($"/api/v1/{law}/clients/provisions/zoeken", new { bsn = _scenario.Household.Child }, Ct);
            if (!response.IsSuccessStatusCode) return await Answer(response);
            var items = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray()
                .Select(p => p.GetProperty("provisionId").GetGuid()).ToList();
            if (items.Contains(law == "wmo" ? _scenario.ChildWmo : _scenario.ChildJeugdwet)) shown.Add(label);
        }
        return Showing(shown, everything: ["child Jeugdwet", "child Wmo"], part: ["child Wmo"], partWord: "own");
    }

    /// <summary>The child's Wmo provision by both reads, which must agree; then the Jeugdwet one the aanbieder did not send.</summary>
    private async Task<string> ReadProvisionHistory(Cell cell)
    {
        using var history = await cell.Client.GetAsync($"/api/v1/wmo/provisions/{_scenario.ChildWmo}/history", Ct);
        using var provision = await cell.Client.GetAsync($"/api/v1/wmo/provisions/{_scenario.ChildWmo}", Ct);
        var (ofHistory, ofProvision) = (await Answer(history), await Answer(provision));
        if (ofHistory != ofProvision) return $"history {ofHistory} but provision {ofProvision}";
        if (ofHistory != "yes") return ofHistory;
        using var other = await cell.Client.GetAsync($"/api/v1/jeugdwet/provisions/{_scenario.ChildJeugdwet}", Ct);
        return await Answer(other) switch
        {
            "yes" => "yes",
            "404" => "own",
            var answer => $"the Wmo provision, and the child's Jeugdwet provision {answer}",
        };
    }

    private async Task<string> SearchHouseholds(Cell cell)
    {
        using var response = await cell.Client.PostAsJsonAsync("/api/v1/households/zoeken", new { bsn = _scenario.Household.Child }, Ct);
        return await Read(response, found => Among(found.GetProperty("households").EnumerateArray().Select(h => h.GetGuid())));
    }

    private async Task<string> ListHouseholds(Cell cell)
    {
        using var response = await cell.Client.GetAsync($"/api/v1/gemeenten/{Utrecht}/households?pageSize=100", Ct);
        return await Read(response, list => Among(list.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("householdId").GetGuid())));
    }

    private async Task<string> ReadAccessLog(Cell cell)
    {
        using var response = await cell.Client.PostAsJsonAsync("/api/v1/access-log/zoeken", new { }, Ct);
        return await Answer(response);
    }

    private async Task<string> OperatePlatform(Cell cell)
    {
        using var response = await cell.Client.GetAsync("/api/v1/beheer/error-queues", Ct);
        using var views = await cell.Client.GetAsync("/api/v1/beheer/views", Ct);
        var answer = await Answer(response);
        (await Answer(views)).ShouldBe(answer, "every beheer endpoint answers alike");
        return answer;
    }

    // ---- Writes: each on a household (or person) of its own; a refusal must store nothing -----------------------

    private async Task<string> RecordMembership(Cell cell)
    {
        var household = await AHousehold(coordinated: true);
        return await Write("households", () => cell.Client.PostAsJsonAsync($"/api/v1/households/{household.Id}/members",
            new { bsn = FreshBsn(), gemeente = Utrecht, rol = "Kind", van = Today }, Ct));
    }

    /// <summary>
    /// A caller that may assign gets a 2xx only on a household without a regisseur. The assigned regisseur is one only
    /// where she coordinates: there she is refused, and were she let through, the 409 of the taken regie would show.
    /// </summary>
    private async Task<string> AssignRegie(Cell cell)
    {
        var household = await AHousehold(coordinated: cell.Column == AssignedRegisseur);
        return await Write("households", () => cell.Client.PostAsJsonAsync($"/api/v1/households/{household.Id}/regisseur",
            new { regisseurId = "regisseur-erik", naam = "Erik de Regisseur", van = Today }, Ct));
    }

    private async Task<string> ReleaseRegie(Cell cell)
    {
        var household = await AHousehold(coordinated: true);
        return await Write("households", () => cell.Client.PostAsJsonAsync($"/api/v1/households/{household.Id}/regisseur/release",
            new { tot = Today }, Ct));
    }

    private async Task<string> TransferRegie(Cell cell)
    {
        var household = await AHousehold(coordinated: true);
        return await Write("households", () => cell.Client.PostAsJsonAsync($"/api/v1/households/{household.Id}/regisseur/transfer",
            new { regisseurId = "regisseur-erik", naam = "Erik de Regisseur", per = Today }, Ct));
    }

    private async Task<string> EditPlan(Cell cell)
    {
        var household = await AHousehold(coordinated: true);
        return await Write("households", () => cell.Client.PutAsJsonAsync($"/api/v1/households/{household.Id}/plan/goals/{Guid.NewGuid()}",
            new { leefgebied = "Financien", omschrijving = "Huurachterstand inlopen", eigenaar = "Ouder", status = "Open" }, Ct));
    }

    private async Task<string> RecordInvolvedParty(Cell cell)
    {
        var household = await AHousehold(coordinated: true);
        return await Write("households", () => cell.Client.PostAsJsonAsync($"/api/v1/households/{household.Id}/involved-parties",
            new { naam = "Sanne", organisatie = "Schuldhulp Utrecht", domein = "Schuldhulpverlening", regie = false, van = Today }, Ct));
    }

    private async Task<string> GiveConsent(Cell cell)
    {
        var household = await AHousehold(coordinated: true);
        return await Write("households", () => cell.Client.PostAsJsonAsync($"/api/v1/households/{household.Id}/consents",
            new { gegevenDoor = household.Child, ontvanger = "regisseur-carla", wetten = new[] { "Jeugdwet" }, van = Today }, Ct));
    }

    private async Task<string> WithdrawConsent(Cell cell)
    {
        var household = await AHousehold(coordinated: true);
        return await Write("households", () => cell.Client.PostAsJsonAsync(
            $"/api/v1/households/{household.Id}/consents/{household.BertsConsent}/withdraw", new { per = Today }, Ct));
    }

    private Task<string> PostProvisions(Cell cell) =>
        Write("participatiewet", () => cell.Client.PostAsJsonAsync("/api/v1/participatiewet/provisions",
            new { bsn = FreshBsn(), gemeente = Utrecht, productcategorie = "PW01", begindatum = Since }, Ct));

    private Task<string> PostMessages(Cell cell) =>
        Write("wmo", () => cell.Client.PostAsync("/api/v1/wmo/berichten", Xml(Wmo305(FreshBsn(), "1980-06-07")), Ct), Accepted);

    // ---- Answers in the table's words ---------------------------------------------------------------------------

    /// <summary>A refusal is the status alone when it is a problem document; anything else says what came back.</summary>
    private static async Task<string> Answer(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode) return "yes";
        var status = (int)response.StatusCode;
        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
        if (status is 403 or 404) return problem ? $"{status}" : $"{status} without application/problem+json";
        var body = await response.Content.ReadAsStringAsync(Ct);
        return $"{status} {(body.Length > 300 ? body[..300] + "…" : body)}";
    }

    private static async Task<string> Read(HttpResponseMessage response, Func<JsonElement, string> shown) =>
        response.IsSuccessStatusCode ? shown(await response.Content.ReadFromJsonAsync<JsonElement>(Ct)) : await Answer(response);

    /// <summary>"yes" when a read shows all, the row's word for the part a cell may see, "empty" for nothing.</summary>
    private static string Showing(IReadOnlyCollection<string> shown, string[] everything, string[] part, string partWord) =>
        shown.ToHashSet().SetEquals(everything) ? "yes"
        : shown.ToHashSet().SetEquals(part) ? partWord
        : shown.Count == 0 ? "empty"
        : $"200 showing {string.Join(", ", shown.Order())}";

    private string Among(IEnumerable<Guid> households) => households.Contains(_scenario.Household.Id) ? "yes" : "empty";

    /// <summary>The answer to a change; a refused change must leave the service's store as it was.</summary>
    private async Task<string> Write(string store, Func<Task<HttpResponseMessage>> send, Func<HttpResponseMessage, Task<string>>? accepted = null)
    {
        var before = await StoredCount(store);
        using var response = await send();
        if (response.IsSuccessStatusCode) return await (accepted ?? Answer)(response);
        var answer = await Answer(response);
        var stored = await StoredCount(store) - before;
        return stored == 0 ? answer : $"{answer}, but {stored} event(s) stored";
    }

    private async Task<int> StoredCount(string store) => (await AllStored(store)).Count;

    /// <summary>A message is taken when every product in its retour has 0200.</summary>
    private static async Task<string> Accepted(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode) return await Answer(response);
        var codes = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Descendants()
            .Where(e => e.Name.LocalName == "RetourCode").Select(e => e.Value).Distinct().ToList();
        return codes.SequenceEqual(["0200"]) ? "yes" : $"200 with retourcodes {string.Join(", ", codes)}";
    }

    /// <summary>Names a provision by member and law, so that a difference reads "child Jeugdwet", not a BSN.</summary>
    private static string Label(string bsn, TestHousehold household, string law) =>
        $"{(bsn == household.Child ? "child" : bsn == household.Parent ? "parent" : bsn)} {law}";

    // ---- Plumbing ------------------------------------------------------------------------------------------------

    private HttpClient ClientFor(Caller caller)
    {
        var client = Host.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer",
            Tokens.Issue(RunningHost.SigningKey, caller.UserId, caller.Role, caller.Gemeente?.Value, TimeSpan.FromHours(1), caller.Agb));
        return client;
    }

    private static async Task<JsonElement> Succeeds(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.IsSuccessStatusCode.ShouldBeTrue($"set-up: {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>A BSN nobody else in the test has: eight digits and the check digit of the 11-proef.</summary>
    private string FreshBsn()
    {
        while (true)
        {
            var digits = (_nextBsn++).ToString("D8");
            var check = digits.Select((d, i) => (9 - i) * (d - '0')).Sum() % 11;
            if (check < 10) return digits + check;
        }
    }

    private static StringContent Xml(string message) => new(message, Encoding.UTF8, "application/xml");

    /// <summary>A WMO305 (shaped like tests/UnitTests/Examples/WMO305.xml) from the aanbieder to gemeente 0344: one product for one client.</summary>
    private string Wmo305(string bsn, string geboortedatum)
    {
        var number = _nextMessage++;
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <wmo305:Bericht xmlns:iwmo="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema" xmlns:wmo305="http://www.istandaarden.nl/iwmo/3_2/wmo305/schema">
                <wmo305:Header>
                    <wmo305:BerichtCode>418</wmo305:BerichtCode>
                    <wmo305:BerichtVersie>3</wmo305:BerichtVersie>
                    <wmo305:BerichtSubversie>2</wmo305:BerichtSubversie>
                    <wmo305:Afzender>{Agb}</wmo305:Afzender>
                    <wmo305:Ontvanger>{Utrecht}</wmo305:Ontvanger>
                    <wmo305:BerichtIdentificatie><iwmo:Identificatie>{number:D12}</iwmo:Identificatie><iwmo:Dagtekening>2025-04-05</iwmo:Dagtekening></wmo305:BerichtIdentificatie>
                    <wmo305:XsdVersie><iwmo:BasisschemaXsdVersie>1.0.0</iwmo:BasisschemaXsdVersie><iwmo:BerichtXsdVersie>1.0.0</iwmo:BerichtXsdVersie></wmo305:XsdVersie>
                </wmo305:Header>
                <wmo305:Client>
                    <wmo305:Bsn>{bsn}</wmo305:Bsn>
                    <wmo305:Geboortedatum><iwmo:Datum>{geboortedatum}</iwmo:Datum></wmo305:Geboortedatum>
                    <wmo305:Geslacht>1</wmo305:Geslacht>
                    <wmo305:Naam><iwmo:Geslachtsnaam><iwmo:Achternaam>Wit</iwmo:Achternaam><iwmo:Voorvoegsel>de</iwmo:Voorvoegsel></iwmo:Geslachtsnaam><iwmo:Voornamen>Tim</iwmo:Voornamen><iwmo:Voorletters>T</iwmo:Voorletters></wmo305:Naam>
                    <wmo305:StartProducten>
                        <wmo305:StartProduct>
                            <wmo305:ToewijzingNummer>{700000 + number}</wmo305:ToewijzingNummer>
                            <wmo305:Product><iwmo:Categorie>01</iwmo:Categorie><iwmo:Code>01A11</iwmo:Code></wmo305:Product>
                            <wmo305:ToewijzingIngangsdatum>2025-04-01</wmo305:ToewijzingIngangsdatum>
                            <wmo305:Begindatum>2025-04-03</wmo305:Begindatum>
                            <wmo305:StatusAanlevering>1</wmo305:StatusAanlevering>
                        </wmo305:StartProduct>
                    </wmo305:StartProducten>
                </wmo305:Client>
            </wmo305:Bericht>
            """;
    }

    private sealed record Row(string Endpoint, string? OtherGemeente, Func<AuthorizationMatrixTests, Cell, Task<string>>? Ask);

    private sealed record Cell(string Column, HttpClient Client);

    private sealed record TestHousehold(Guid Id, string Parent, string Child, Guid BertsConsent);

    private sealed record Scenario(TestHousehold Household, Guid ChildWmo, Guid ChildJeugdwet);

    /// <summary>The table of docs/access-policy.md (copied beside the tests), read as AccessTable in the unit tests does.</summary>
    private sealed record DocumentedTable(IReadOnlyList<string> DefinedColumns, IReadOnlyList<string> Columns, IReadOnlyList<DocumentedRow> Rows)
    {
        public static DocumentedTable Read()
        {
            var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "access-policy.md"));
            var header = Array.FindIndex(lines, l => l.StartsWith("| action |", StringComparison.Ordinal));
            var columns = Split(lines[header])[2..];
            var rows = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).Select(Split)
                .Select(cells => new DocumentedRow(cells[0], cells[1], [.. columns.Zip(cells[2..])]))
                .ToList();
            // The callers section defines the columns: one row each in its "| column | who |" table.
            var callers = Array.FindIndex(lines, l => l.StartsWith("| column | who |", StringComparison.Ordinal));
            var defined = lines.Skip(callers + 2).TakeWhile(l => l.StartsWith('|')).Select(l => Split(l)[0]).ToList();
            return new DocumentedTable(defined, columns, rows);
        }

        private static string[] Split(string row) => [.. row.Trim('|').Split('|').Select(c => c.Trim())];
    }

    private sealed record DocumentedRow(string Action, string Endpoint, IReadOnlyList<(string Column, string Expected)> Cells);
}
