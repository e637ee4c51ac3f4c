using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// Hostile values in every field kind of every endpoint that takes it (docs/api-input.md): each is answered with a
/// 400 problem naming the field, and nothing is stored. And the one form of a toewijzingnummer on every path.
/// </summary>
public sealed class InputValidationTests : EmbeddedPlatformTests
{
    private const string Child = "999990019";
    private static readonly Guid Gezin = Guid.Parse("0195a000-0000-7000-8000-0000000000a1");
    private static readonly Guid OtherGezin = Guid.Parse("0195a000-0000-7000-8000-0000000000a2");
    private static readonly Guid Goal = Guid.Parse("0195a000-0000-7000-8000-0000000000b1");
    private static readonly Guid OtherGoal = Guid.Parse("0195a000-0000-7000-8000-0000000000b2");
    private static readonly Guid Action = Guid.Parse("0195a000-0000-7000-8000-0000000000c1");
    private static readonly Guid Consent = Guid.Parse("0195a000-0000-7000-8000-0000000000d1");

    /// <summary>A single-line text: a name, an organisation, an id.</summary>
    private static readonly Dictionary<string, object?> Regel = new()
    {
        ["NUL"] = "Jan\0Jansen",
        ["CR/LF"] = "Jan\r\nJansen",
        ["LF"] = "Jan\n",
        ["TAB"] = "Jan\tJansen",
        ["ESC"] = "\u001b[31mJan",
        ["C1 NEL"] = "Jan\u0085Jansen",
        ["RTL override"] = "Jan\u202Enesnaj",
        ["zero-width space"] = "Jan\u200BJansen",
        ["byte-order mark"] = "\uFEFFJan",
        ["201 characters"] = new string('a', 201),
        ["100,000 characters"] = new string('a', 100_000),
        ["blank"] = "   ",
        ["a number"] = 12345,
    };

    /// <summary>A description: line breaks and tabs are allowed, the rest as for a line.</summary>
    private static readonly Dictionary<string, object?> Omschrijving = new()
    {
        ["NUL"] = "Huur\0achterstand",
        ["ESC"] = "\u001b[2JHuur",
        ["C1 CSI"] = "Huur\u009b",
        ["RTL override"] = "Huur\u202Ednatsrethca",
        ["zero-width joiner"] = "Huur\u200Dachterstand",
        ["line separator"] = "Huur\u2028achterstand",
        ["2001 characters"] = new string('a', 2001),
        ["100,000 characters"] = new string('a', 100_000),
        ["a number"] = 12345,
    };

    private static readonly Dictionary<string, object?> Datum = new()
    {
        ["0001-01-01"] = "0001-01-01",
        ["9999-12-31"] = "9999-12-31",
        ["1899-12-31"] = "1899-12-31",
        ["2101-01-01"] = "2101-01-01",
        ["not a date"] = "2025-02-30",
        ["a number"] = 20250101,
    };

    /// <summary>An iStandaard code typed as a string: exactly the code, never a number, never another way to write it.</summary>
    private static readonly Dictionary<string, object?> Code = new()
    {
        ["NUL"] = "45\0",
        ["CR/LF"] = "45\r\n",
        ["RTL override"] = "\u202E45",
        ["zero-width space"] = "4\u200B5",
        ["100,000 characters"] = new string('4', 100_000),
        ["a number"] = 45,
    };

    private sealed record Endpoint(string Method, string Path, Func<Dictionary<string, object?>> Body, string? Law = null);

    private static readonly Dictionary<string, Endpoint> Endpoints = new()
    {
        ["members"] = new("POST", $"/api/v1/households/{Gezin}/members",
            () => new() { ["bsn"] = Child, ["gemeente"] = "0344", ["rol"] = "Kind", ["van"] = "2020-01-01", ["geboortedatum"] = "2012-01-01" }),
        ["members batch"] = new("POST", "/api/v1/households/members/batch",
            () => new() { ["soort"] = "join", ["householdId"] = OtherGezin, ["bsn"] = Child, ["gemeente"] = "0344", ["rol"] = "Kind", ["van"] = "2020-01-01", ["geboortedatum"] = "2012-01-01" }),
        ["regisseur"] = new("POST", $"/api/v1/households/{Gezin}/regisseur",
            () => new() { ["regisseurId"] = "regisseur-bert", ["naam"] = "Bert", ["van"] = "2025-01-01" }),
        ["regisseur/transfer"] = new("POST", $"/api/v1/households/{Gezin}/regisseur/transfer",
            () => new() { ["regisseurId"] = "regisseur-bert", ["naam"] = "Bert", ["per"] = "2025-02-01" }),
        ["regisseur/release"] = new("POST", $"/api/v1/households/{Gezin}/regisseur/release", () => new() { ["tot"] = "2025-02-01" }),
        ["goal"] = new("PUT", $"/api/v1/households/{Gezin}/plan/goals/{Goal}",
            () => new() { ["leefgebied"] = "Financien", ["omschrijving"] = "Huurachterstand inlopen", ["eigenaar"] = "Ouder" }),
        ["action"] = new("PUT", $"/api/v1/households/{Gezin}/plan/goals/{Goal}/actions/{Action}",
            () => new() { ["omschrijving"] = "Afspraak schuldhulp", ["eigenaar"] = "Ouder", ["deadline"] = "2025-03-01" }),
        ["conflict"] = new("POST", $"/api/v1/households/{Gezin}/plan/goals/{Goal}/conflicts",
            () => new() { ["conflictsWithGoalId"] = OtherGoal, ["gemarkeerdDoor"] = "Anna", ["toelichting"] = "Twee doelen botsen" }),
        ["involved-party"] = new("POST", $"/api/v1/households/{Gezin}/involved-parties",
            () => new() { ["naam"] = "Sanne", ["organisatie"] = "Wijkteam", ["domein"] = "Wmo", ["van"] = "2025-01-01", ["tot"] = "2025-12-31" }),
        ["consent"] = new("POST", $"/api/v1/households/{Gezin}/consents",
            () => new() { ["gegevenDoor"] = "111222333", ["ontvanger"] = "regisseur-bert", ["wetten"] = new[] { "Wmo" }, ["van"] = "2025-01-01", ["tot"] = "2025-12-31" }),
        ["consent/withdraw"] = new("POST", $"/api/v1/households/{Gezin}/consents/{Consent}/withdraw", () => new() { ["per"] = "2025-02-01" }),
        ["provision start"] = new("POST", "/api/v1/jeugdwet/provisions",
            () => new() { ["bsn"] = Child, ["gemeente"] = "0344", ["productcategorie"] = "45", ["productCode"] = "45A11", ["toewijzingNummer"] = "820099", ["begindatum"] = "2025-01-01", ["geboortedatum"] = "2012-01-01" }, "jeugdwet"),
        ["provision batch"] = new("POST", "/api/v1/jeugdwet/provisions/batch",
            () => new() { ["soort"] = "start", ["bsn"] = Child, ["gemeente"] = "0344", ["productcategorie"] = "45", ["productCode"] = "45A11", ["toewijzingNummer"] = "820099", ["begindatum"] = "2025-01-01", ["geboortedatum"] = "2012-01-01" }, "jeugdwet"),
    };

    /// <summary>Every field of every endpoint with the kind of its values.</summary>
    public static TheoryData<string, string, string> Fields => new()
    {
        { "members", "van", nameof(Datum) }, { "members", "geboortedatum", nameof(Datum) }, { "members", "gemeente", nameof(Code) },
        { "members batch", "van", nameof(Datum) }, { "members batch", "geboortedatum", nameof(Datum) }, { "members batch", "gemeente", nameof(Code) },
        { "regisseur", "regisseurId", nameof(Regel) }, { "regisseur", "naam", nameof(Regel) }, { "regisseur", "van", nameof(Datum) },
        { "regisseur/transfer", "regisseurId", nameof(Regel) }, { "regisseur/transfer", "naam", nameof(Regel) }, { "regisseur/transfer", "per", nameof(Datum) },
        { "regisseur/release", "tot", nameof(Datum) },
        { "goal", "omschrijving", nameof(Omschrijving) }, { "goal", "eigenaar", nameof(Regel) },
        { "action", "omschrijving", nameof(Omschrijving) }, { "action", "eigenaar", nameof(Regel) }, { "action", "deadline", nameof(Datum) },
        { "conflict", "gemarkeerdDoor", nameof(Regel) }, { "conflict", "toelichting", nameof(Omschrijving) },
        { "involved-party", "naam", nameof(Regel) }, { "involved-party", "organisatie", nameof(Regel) },
        { "involved-party", "van", nameof(Datum) }, { "involved-party", "tot", nameof(Datum) },
        { "consent", "ontvanger", nameof(Regel) }, { "consent", "van", nameof(Datum) }, { "consent", "tot", nameof(Datum) },
        { "consent/withdraw", "per", nameof(Datum) },
        { "provision start", "productcategorie", nameof(Code) }, { "provision start", "productCode", nameof(Code) },
        { "provision start", "toewijzingNummer", nameof(Code) }, { "provision start", "gemeente", nameof(Code) },
        { "provision start", "begindatum", nameof(Datum) }, { "provision start", "geboortedatum", nameof(Datum) },
        { "provision batch", "productCode", nameof(Code) }, { "provision batch", "toewijzingNummer", nameof(Code) },
        { "provision batch", "begindatum", nameof(Datum) }, { "provision batch", "geboortedatum", nameof(Datum) },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task Every_hostile_value_is_refused_with_a_problem_naming_the_field_and_nothing_is_stored(string endpoint, string field, string kind)
    {
        await AHouseholdWithAMemberAndARegisseur();
        var values = kind switch { nameof(Regel) => Regel, nameof(Omschrijving) => Omschrijving, nameof(Datum) => Datum, _ => Code };
        var target = Endpoints[endpoint];
        var before = await Stored();

        var wrong = new List<string>();
        foreach (var (name, value) in values)
        {
            var body = target.Body();
            body[field] = value;
            var answer = await Send(target, body);
            var named = target.Path.EndsWith("/batch", StringComparison.Ordinal) ? $"records[0].{field}" : field;
            if (await Refusal(answer, named) is { } why) wrong.Add($"{name}: {why}");
        }

        wrong.ShouldBeEmpty();
        (await Stored()).ShouldBe(before, "nothing of a refused request is stored");
        // Some of these requests are refused further on (no such goal, a regisseur already): what counts is that
        // the same request without the hostile value passes the validation, so the value alone was refused.
        var valid = await Send(target, target.Body());
        valid.StatusCode.ShouldNotBe(HttpStatusCode.BadRequest, await valid.Content.ReadAsStringAsync(Ct));
    }

    public static TheoryData<object?> StatusAanleveringen => new() { "01", "1 ", "", 1, 3, true };

    [Theory]
    [MemberData(nameof(StatusAanleveringen))]
    public async Task StatusAanlevering_is_the_iStandaard_code_string_exactly(object? status)
    {
        var body = Endpoints["provision start"].Body();
        body["statusAanlevering"] = status;

        var response = await Client.PostAsJsonAsync("/api/v1/jeugdwet/provisions", body, Ct);

        (await Refusal(response, "statusAanlevering")).ShouldBeNull();
        await NothingStoredOrPublished("jeugdwet");
    }

    [Fact]
    public async Task A_stop_refuses_an_einddatum_outside_the_window_and_a_reden_sent_as_a_number()
    {
        var id = await Start("jeugdwet", Endpoints["provision start"].Body());
        var before = await Stored();

        foreach (var (einddatum, reden, field) in new (object, object, string)[]
                 { ("9999-12-31", "31", "einddatum"), ("0001-01-01", "31", "einddatum"), ("2025-06-30", 31, "redenBeeindiging") })
        {
            var response = await Client.PostAsJsonAsync($"/api/v1/jeugdwet/provisions/{id}/end", new { einddatum, redenBeeindiging = reden }, Ct);
            (await Refusal(response, field)).ShouldBeNull($"{einddatum} {reden}");
        }

        (await Stored()).ShouldBe(before);
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("1899-12-31")]
    public async Task A_view_on_a_date_outside_the_window_is_refused_naming_date(string date)
    {
        await AHouseholdWithAMemberAndARegisseur();

        (await Refusal(await Client.GetAsync($"/api/v1/households/{Gezin}?date={date}", Ct), "date")).ShouldBeNull();
        (await Refusal(await Client.GetAsync($"/api/v1/persons/111222333/stacking?date={date}", Ct), "date")).ShouldBeNull();
    }

    [Fact]
    public async Task Line_breaks_are_kept_in_a_description_and_surrounding_white_space_is_trimmed()
    {
        await AHouseholdWithAMemberAndARegisseur();

        (await Client.PutAsJsonAsync($"/api/v1/households/{Gezin}/plan/goals/{Goal}",
            new { leefgebied = "Financien", omschrijving = "  Huur inlopen\r\nvoor de zomer  ", eigenaar = " Ouder " }, Ct)).EnsureSuccessStatusCode();

        var goal = (await Eventually.Get(() => Client.GetFromJsonAsync<JsonElement>($"/api/v1/households/{Gezin}", Ct),
            v => v.GetProperty("plan").GetArrayLength() == 1)).GetProperty("plan")[0];
        goal.GetProperty("omschrijving").GetString().ShouldBe("Huur inlopen\r\nvoor de zomer");
        goal.GetProperty("eigenaar").GetString().ShouldBe("Ouder");
    }

    [Fact]
    public async Task Creates_answer_201_with_the_household_view_as_their_location()
    {
        var feed = Host.As(Roles.Aanleverancier, "0344", "brp-koppeling");
        var member = await feed.PostAsJsonAsync($"/api/v1/households/{Gezin}/members",
            new { bsn = "111222333", gemeente = "0344", rol = "Ouder", van = "2020-01-01" }, Ct);
        await Created(member, expectsId: false);
        (await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/regisseur", new { regisseurId = "regisseur-anna", naam = "Anna", van = "2025-01-01" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.OK, "assigning the regie creates nothing of its own");

        await Created(await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/involved-parties",
            new { naam = "Sanne", organisatie = "Wijkteam", domein = "Wmo", van = "2025-01-01" }, Ct), expectsId: true);
        var consent = await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/consents",
            new { gegevenDoor = "111222333", ontvanger = "regisseur-bert", wetten = new[] { "Wmo" }, van = "2025-01-01" }, Ct);
        await Created(consent, expectsId: true);

        var view = await Eventually.Get(() => Client.GetAsync(consent.Headers.Location, Ct), r => r.IsSuccessStatusCode);
        view.StatusCode.ShouldBe(HttpStatusCode.OK, "the Location is a path that answers");
        (await view.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("householdId").GetGuid().ShouldBe(Gezin);
    }

    // The toewijzingnummer: the iStandaarden type it as LDT_Nummer, an xs:integer, so leading zeros do not count.

    private const string Afzender = "65656055";
    private const string Client363 = "999900006";

    private HttpClient Aanbieder => Host.As(Roles.Aanbieder, "0363", "zorgaanbieder", Afzender);

    private static object WmoStart(string toewijzing) => new
    {
        bsn = Client363, gemeente = "0363", productcategorie = "01", productCode = "01A11", toewijzingNummer = toewijzing, begindatum = "2025-04-03",
    };

    [Fact]
    public async Task A_JSON_start_with_leading_zeros_is_stopped_by_a_WMO307_with_the_same_number()
    {
        var start = await Aanbieder.PostAsJsonAsync("/api/v1/wmo/provisions", WmoStart("0820099"), Ct);
        start.StatusCode.ShouldBe(HttpStatusCode.Created, await start.Content.ReadAsStringAsync(Ct));
        (await start.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("toewijzingNummer").GetString().ShouldBe("820099");

        RetourCodes(await Bericht(Wmo307("0820099"))).ShouldBe(["0200"]);

        (await StoredEvents("wmo")).Select(e => e.Type).ShouldBe(["ProvisionStarted", "ProvisionEnded"]);
    }

    [Fact]
    public async Task A_JSON_start_without_leading_zeros_and_an_XML_stop_with_them_are_the_same_provision()
    {
        var id = await StartAs(Aanbieder, WmoStart("820099"));

        RetourCodes(await Bericht(Wmo307("0820099"))).ShouldBe(["0200"]);

        var history = await Aanbieder.GetFromJsonAsync<JsonElement>($"/api/v1/wmo/provisions/{id}/history", Ct);
        history.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ShouldBe(["ProvisionStarted", "ProvisionEnded"]);
        history.GetProperty("provision").GetProperty("status").GetString().ShouldNotBe("Actief");
    }

    [Fact]
    public async Task A_start_by_message_is_found_by_the_JSON_paths_whatever_the_leading_zeros()
    {
        RetourCodes(await Bericht(Wmo305("00820099"))).ShouldBe(["0200"]);

        var again = await Aanbieder.PostAsJsonAsync("/api/v1/wmo/provisions", WmoStart("820099"), Ct);
        (await ShouldBeProblem(again, HttpStatusCode.Conflict)).GetProperty("retourcode").GetString().ShouldBe("9326");

        var stop = await Aanbieder.PostAsJsonAsync("/api/v1/wmo/provisions/batch", new
        {
            records = new[] { new { soort = "stop", bsn = Client363, gemeente = "0363", productcategorie = "01", productCode = "01A11",
                toewijzingNummer = "0820099", begindatum = "2025-04-03", einddatum = "2025-07-18", redenBeeindiging = "31" } },
        }, Ct);
        stop.StatusCode.ShouldBe(HttpStatusCode.OK, await stop.Content.ReadAsStringAsync(Ct));
        var id = (await stop.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("provisionIds")[0].GetGuid();

        var history = await Aanbieder.GetFromJsonAsync<JsonElement>($"/api/v1/wmo/provisions/{id}/history", Ct);
        history.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ShouldBe(["ProvisionStarted", "ProvisionEnded"]);
        history.GetProperty("provision").GetProperty("toewijzingNummer").GetString().ShouldBe("820099");
    }

    private async Task<Guid> StartAs(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/wmo/provisions", body, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("provisionId").GetGuid();
    }

    private async Task AHouseholdWithAMemberAndARegisseur()
    {
        var feed = Host.As(Roles.Aanleverancier, "0344", "brp-koppeling");
        (await feed.PostAsJsonAsync($"/api/v1/households/{Gezin}/members",
            new { bsn = "111222333", gemeente = "0344", rol = "Ouder", van = "2010-01-01" }, Ct)).EnsureSuccessStatusCode();
        (await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/regisseur",
            new { regisseurId = "regisseur-anna", naam = "Anna", van = "2025-01-01" }, Ct)).EnsureSuccessStatusCode();
    }

    private Task<HttpResponseMessage> Send(Endpoint endpoint, Dictionary<string, object?> body)
    {
        object payload = endpoint.Path.EndsWith("/batch", StringComparison.Ordinal) ? new { records = new[] { body } } : body;
        var client = endpoint.Path.Contains("/members", StringComparison.Ordinal) ? Host.As(Roles.Aanleverancier, "0344", "brp-koppeling") : Client;
        return client.SendAsync(new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path) { Content = JsonContent.Create(payload) }, Ct);
    }

    /// <summary>Null when the answer is a 400 problem whose errors name the field; else what is wrong with it.</summary>
    private static async Task<string?> Refusal(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        if (response.StatusCode != HttpStatusCode.BadRequest) return $"answered {(int)response.StatusCode}: {Cut(body)}";
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return "not a problem";
        var problem = JsonDocument.Parse(body).RootElement;
        return problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var messages)
                                                                && messages.EnumerateArray().All(m => m.GetString() is { Length: > 0 and < 300 })
            ? null
            : $"the errors do not name {field} with a short message: {Cut(body)}";
    }

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>Every event in every store of the platform.</summary>
    private async Task<int> Stored()
    {
        var count = 0;
        foreach (var store in new[] { "households", "jeugdwet", "wmo", "participatiewet" }) count += (await AllStored(store)).Count;
        return count;
    }

    private static async Task Created(HttpResponseMessage response, bool expectsId)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        response.Headers.Location!.OriginalString.ShouldBe($"/api/v1/households/{Gezin}");
        var change = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        change.GetProperty("householdId").GetGuid().ShouldBe(Gezin);
        (change.GetProperty("id").ValueKind == JsonValueKind.String).ShouldBe(expectsId);
    }

    private async Task<XDocument> Bericht(string xml)
    {
        var response = await Aanbieder.PostAsync("/api/v1/wmo/berichten", new StringContent(xml, Encoding.UTF8, "application/xml"), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return XDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
    }

    private static List<string> RetourCodes(XDocument retour) =>
        [.. retour.Descendants().Where(e => e.Name.LocalName is "StartProduct" or "StopProduct")
            .Select(p => p.Descendants().First(d => d.Name.LocalName == "RetourCode").Value)];

    private static string Wmo305(string toewijzing) => WmoBericht("305", "418", "StartProducten", $"""
        <wmo305:StartProduct>
            <wmo305:ToewijzingNummer>{toewijzing}</wmo305:ToewijzingNummer>
            <wmo305:Product><iwmo:Categorie>01</iwmo:Categorie><iwmo:Code>01A11</iwmo:Code></wmo305:Product>
            <wmo305:ToewijzingIngangsdatum>2025-04-01</wmo305:ToewijzingIngangsdatum>
            <wmo305:Begindatum>2025-04-03</wmo305:Begindatum>
            <wmo305:StatusAanlevering>1</wmo305:StatusAanlevering>
        </wmo305:StartProduct>
        """);

    private static string Wmo307(string toewijzing) => WmoBericht("307", "420", "StopProducten", $"""
        <wmo307:StopProduct>
            <wmo307:ToewijzingNummer>{toewijzing}</wmo307:ToewijzingNummer>
            <wmo307:Product><iwmo:Categorie>01</iwmo:Categorie><iwmo:Code>01A11</iwmo:Code></wmo307:Product>
            <wmo307:ToewijzingIngangsdatum>2025-04-01</wmo307:ToewijzingIngangsdatum>
            <wmo307:Begindatum>2025-04-03</wmo307:Begindatum>
            <wmo307:RedenBeeindiging>31</wmo307:RedenBeeindiging>
            <wmo307:Einddatum>2025-07-18</wmo307:Einddatum>
            <wmo307:StatusAanlevering>1</wmo307:StatusAanlevering>
        </wmo307:StopProduct>
        """);

    /// <summary>A message shaped like the official examples (tests/UnitTests/Examples/WMO307.xml).</summary>
    private static string WmoBericht(string soort, string code, string products, string body) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <wmo{soort}:Bericht xmlns:iwmo="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema" xmlns:wmo{soort}="http://www.istandaarden.nl/iwmo/3_2/wmo{soort}/schema">
            <wmo{soort}:Header>
                <wmo{soort}:BerichtCode>{code}</wmo{soort}:BerichtCode>
                <wmo{soort}:BerichtVersie>3</wmo{soort}:BerichtVersie>
                <wmo{soort}:BerichtSubversie>2</wmo{soort}:BerichtSubversie>
                <wmo{soort}:Afzender>{Afzender}</wmo{soort}:Afzender>
                <wmo{soort}:Ontvanger>0363</wmo{soort}:Ontvanger>
                <wmo{soort}:BerichtIdentificatie><iwmo:Identificatie>123456789014</iwmo:Identificatie><iwmo:Dagtekening>2025-07-21</iwmo:Dagtekening></wmo{soort}:BerichtIdentificatie>
                <wmo{soort}:XsdVersie><iwmo:BasisschemaXsdVersie>1.0.0</iwmo:BasisschemaXsdVersie><iwmo:BerichtXsdVersie>1.0.0</iwmo:BerichtXsdVersie></wmo{soort}:XsdVersie>
            </wmo{soort}:Header>
            <wmo{soort}:Client>
                <wmo{soort}:Bsn>{Client363}</wmo{soort}:Bsn>
                <wmo{soort}:Geboortedatum><iwmo:Datum>1967-08-13</iwmo:Datum></wmo{soort}:Geboortedatum>
                <wmo{soort}:Geslacht>1</wmo{soort}:Geslacht>
                <wmo{soort}:Naam><iwmo:Geslachtsnaam><iwmo:Achternaam>Vries</iwmo:Achternaam><iwmo:Voorvoegsel>de</iwmo:Voorvoegsel></iwmo:Geslachtsnaam><iwmo:Voornamen>Peter</iwmo:Voornamen><iwmo:Voorletters>P</iwmo:Voorletters></wmo{soort}:Naam>
                <wmo{soort}:{products}>{body}</wmo{soort}:{products}>
            </wmo{soort}:Client>
        </wmo{soort}:Bericht>
        """;
}
