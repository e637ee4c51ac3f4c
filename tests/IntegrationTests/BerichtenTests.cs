using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>iJw and iWmo 305/307 messages posted to the law services, answered with a retour per product.</summary>
public sealed class BerichtenTests : EmbeddedPlatformTests
{
    /// <summary>The AGB code the example messages name as their Afzender.</summary>
    private const string Afzender = "65656055";

    /// <summary>The care provider that sends the messages, in its own name, to gemeente 0363.</summary>
    private HttpClient Aanbieder => Host.As(Roles.Aanbieder, "0363", "zorgaanbieder", Afzender);

    private static readonly XNamespace Retour = "urn:sociaal-domein-platform:retour:v1";

    [Fact]
    public async Task A_JW305_starts_every_product_and_a_JW307_stops_them_each_answered_with_0200()
    {
        var start = await Post("jeugdwet", Jw305(("300201", "2026-04-03"), ("300202", "2026-04-15")));
        RetourCodes(start).ShouldBe(["0200", "0200"]);
        (await StoredEvents("jeugdwet")).Select(e => e.Type).ShouldBe(["ProvisionStarted", "ProvisionStarted"]);

        var stop = await Post("jeugdwet", Jw307(("300201", "2026-04-03", "2026-06-30")));
        RetourCodes(stop).ShouldBe(["0200"]);

        await Projected("jeugdwet", "999900006");
        var stacking = await Stacking("999900006", "2026-07-01");
        stacking.GetProperty("provisionsPerLaw").GetProperty("Jeugdwet").EnumerateArray().ShouldHaveSingleItem().GetProperty("toewijzingNummer").GetString().ShouldBe("300202");
    }

    [Fact]
    public async Task Each_product_gets_its_own_retourcode_and_only_the_accepted_ones_are_stored()
    {
        await Post("jeugdwet", Jw305(("300201", "2026-04-03")));

        var retour = await Post("jeugdwet", Jw305(("300201", "2026-04-03"), ("300203", "2026-05-01")));

        RetourCodes(retour).ShouldBe(["9326", "0200"]);
        (await StoredEvents("jeugdwet")).Count.ShouldBe(2);
        var stop = await Post("jeugdwet", Jw307(("999999", "2026-04-03", "2026-06-30")));
        RetourCodes(stop).ShouldBe(["9069"]);
    }

    [Fact]
    public async Task A_correction_is_a_withdrawal_and_a_new_start_in_one_message()
    {
        await Post("jeugdwet", Jw305(("300201", "2026-04-03")));

        var retour = await Post("jeugdwet", Jw305(("300201", "2026-04-03", "3"), ("300201", "2026-04-10", "1")));

        RetourCodes(retour).ShouldBe(["0200", "0200"]);
        (await StoredEvents("jeugdwet")).Select(e => e.Type).ShouldBe(["ProvisionStarted", "ProvisionRetracted", "ProvisionStarted"]);
        await Projected("jeugdwet", "999900006");
        (await Stacking("999900006", "2026-04-05")).GetProperty("combinatie").GetString().ShouldBe("Geen");
        var corrected = await Stacking("999900006", "2026-04-11");
        corrected.GetProperty("provisionsPerLaw").GetProperty("Jeugdwet").EnumerateArray().ShouldHaveSingleItem().GetProperty("begindatum").GetString().ShouldBe("2026-04-10");
    }

    public static TheoryData<string, string> Hostile => new()
    {
        { "billion laughs", """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>""" },
        { "external entity", """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>""" },
        { "wrong namespace", Jw305(("300201", "2026-04-03")).Replace("http://www.istandaarden.nl/ijw/3_2/jw305/schema", "urn:other") },
        { "not valid against the XSD", Jw305(("300201", "2026-04-03")).Replace("<jw305:Begindatum>2026-04-03</jw305:Begindatum>", "<jw305:Begindatum>3 april</jw305:Begindatum>") },
        { "a Wmo message at the Jeugdwet", Jw305(("300201", "2026-04-03")).Replace("ijw/3_2/jw305", "iwmo/3_2/wmo305") },
        { "not XML", "this is not xml" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_bad_or_hostile_message_is_refused_with_0001_and_changes_nothing(string why, string body)
    {
        var response = await Aanbieder.PostAsync("/api/v1/jeugdwet/berichten", new StringContent(body, Encoding.UTF8, "application/xml"), Ct);

        var problem = await ShouldBeProblem(response, HttpStatusCode.BadRequest);
        problem.GetProperty("retourcode").GetString().ShouldBe("0001", why);
        problem.GetRawText().ShouldNotContain("root:");
        await NothingStoredOrPublished("jeugdwet");
    }

    [Fact]
    public async Task A_message_larger_than_the_limit_is_refused_and_changes_nothing()
    {
        var huge = Jw305(("300201", "2026-04-03")).Replace("<jw305:Naam>", "<!--" + new string('x', 11 * 1024 * 1024) + "--><jw305:Naam>");

        var response = await Aanbieder.PostAsync("/api/v1/jeugdwet/berichten", new StringContent(huge, Encoding.UTF8, "application/xml"), Ct);

        // The edge refuses it before the handler reads it (docs/api-edge.md).
        await ShouldBeProblem(response, HttpStatusCode.RequestEntityTooLarge);
        await NothingStoredOrPublished("jeugdwet");
    }

    [Fact]
    public async Task A_message_for_another_gemeente_is_forbidden_and_a_message_to_the_participatiewet_does_not_exist()
    {
        var elsewhere = await Host.As(Roles.Aanbieder, "0344", "zorgaanbieder", Afzender).PostAsync("/api/v1/jeugdwet/berichten",
            new StringContent(Jw305(("300201", "2026-04-03")), Encoding.UTF8, "application/xml"), Ct);
        await ShouldBeProblem(elsewhere, HttpStatusCode.Forbidden);
        await NothingStoredOrPublished("jeugdwet");

        var pwet = await Aanbieder.PostAsync("/api/v1/participatiewet/berichten", new StringContent(Jw305(("1", "2026-04-03")), Encoding.UTF8, "application/xml"), Ct);
        pwet.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(Roles.Aanbieder, "87654321", "another care provider")]
    [InlineData(Roles.Aanbieder, null, "a care provider's token without an AGB code")]
    [InlineData(Roles.Aanleverancier, null, "the gemeente's own system")]
    [InlineData(Roles.Beheerder, null, "the beheerder")]
    public async Task A_message_in_someone_elses_name_is_forbidden_and_changes_nothing(string role, string? agb, string who)
    {
        var spoofed = await Host.As(role, role == Roles.Beheerder ? null : "0363", "afzender-test", agb).PostAsync("/api/v1/jeugdwet/berichten",
            new StringContent(Jw305(("300201", "2026-04-03")), Encoding.UTF8, "application/xml"), Ct);

        (await ShouldBeProblem(spoofed, HttpStatusCode.Forbidden)).GetProperty("detail").GetString()!.ShouldContain(Afzender, Case.Sensitive, who);
        await NothingStoredOrPublished("jeugdwet");
    }

    [Fact]
    public async Task Every_event_of_a_message_records_the_authenticated_caller_and_the_afzender()
    {
        await Post("jeugdwet", Jw305(("300201", "2026-04-03")));
        var id = (await StoredEvents("jeugdwet")).ShouldHaveSingleItem().StreamId["provision-".Length..];

        var history = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/jeugdwet/provisions/{id}/history", Ct);

        var recorded = history.GetProperty("events").EnumerateArray().ShouldHaveSingleItem();
        recorded.GetProperty("actor").GetString().ShouldBe("zorgaanbieder");
        recorded.GetProperty("actorRole").GetString().ShouldBe(Roles.Aanbieder);
        recorded.GetProperty("agb").GetString().ShouldBe(Afzender);
        recorded.GetProperty("afzender").GetString().ShouldBe(Afzender);
    }

    [Fact]
    public async Task Another_care_provider_can_neither_stop_withdraw_nor_restart_a_provision_it_did_not_send()
    {
        const string Ander = "87654321";
        await Post("jeugdwet", Jw305(("300201", "2026-04-03")));
        var ander = Host.As(Roles.Aanbieder, "0363", "andere-aanbieder", Ander);
        async Task<List<string>> AsAnder(string message)
        {
            var response = await ander.PostAsync("/api/v1/jeugdwet/berichten", new StringContent(message.Replace(Afzender, Ander), Encoding.UTF8, "application/xml"), Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
            return RetourCodes(XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)));
        }

        (await AsAnder(Jw307(("300201", "2026-04-03", "2026-06-30")))).ShouldBe(["9069"], "to another provider there is no such start");
        (await AsAnder(Jw305(("300201", "2026-04-03", "3")))).ShouldBe(["9063"]);
        (await AsAnder(Jw305(("300201", "2026-04-03")))).ShouldBe(["9074"], "the key is taken, and that is all it learns");
        var id = (await StoredEvents("jeugdwet")).ShouldHaveSingleItem().StreamId["provision-".Length..];
        (await ander.PostAsJsonAsync($"/api/v1/jeugdwet/provisions/{id}/end", new { einddatum = "2026-06-30", redenBeeindiging = "31" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await StoredEvents("jeugdwet")).ShouldHaveSingleItem().Type.ShouldBe("ProvisionStarted");
    }

    [Fact]
    public async Task A_message_with_hundreds_of_products_is_processed_in_one_transaction()
    {
        var products = Enumerable.Range(0, 300).Select(i => ((400000 + i).ToString(), "2026-04-03")).ToArray();

        var retour = await Post("jeugdwet", Jw305(products));

        RetourCodes(retour).Count.ShouldBe(300);
        RetourCodes(retour).ShouldAllBe(c => c == "0200");
        (await StoredEvents("jeugdwet")).Count.ShouldBe(300);
    }

    [Fact]
    public async Task Of_the_same_message_sent_at_once_one_retour_accepts_each_product_and_the_others_say_it_was_there()
    {
        var message = Jw305([.. Enumerable.Range(0, 50).Select(i => ((500000 + i).ToString(), "2026-04-03"))]);

        // Each is decided against the stored state; those that lose the race to the store are decided again, and their
        // retour must say what the second decision was, not what the first would have been.
        var retouren = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Post("jeugdwet", message)));

        var codes = retouren.Select(RetourCodes).ToList();
        codes.ShouldAllBe(c => c.Count == 50);
        for (var product = 0; product < 50; product++)
        {
            codes.Count(c => c[product] == "0200").ShouldBe(1, $"product {product}");
            codes.Count(c => c[product] == "9326").ShouldBe(3, $"product {product}");
        }
        (await StoredEvents("jeugdwet")).Count.ShouldBe(50);
    }

    private async Task<XDocument> Post(string law, string xml)
    {
        var response = await Aanbieder.PostAsync($"/api/v1/{law}/berichten", new StringContent(xml, Encoding.UTF8, "application/xml"), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/xml");
        return XDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
    }

    private static List<string> RetourCodes(XDocument retour) =>
        [.. retour.Descendants().Where(e => e.Name.LocalName is "StartProduct" or "StopProduct")
            .Select(p => p.Descendants(Retour + "RetourCode").First().Value)];

    private static string Jw305(params (string Toewijzing, string Begindatum)[] products) =>
        Jw305([.. products.Select(p => (p.Toewijzing, p.Begindatum, "1"))]);

    private static string Jw305(params (string Toewijzing, string Begindatum, string Status)[] products) => Message("305", "438",
        "StartProducten", string.Concat(products.Select(p => $"""
            <jw305:StartProduct>
                <jw305:ToewijzingNummer>{p.Toewijzing}</jw305:ToewijzingNummer>
                <jw305:Product><ijw:Categorie>55</ijw:Categorie><ijw:Code>55A11</ijw:Code></jw305:Product>
                <jw305:ToewijzingIngangsdatum>2026-04-01</jw305:ToewijzingIngangsdatum>
                <jw305:Begindatum>{p.Begindatum}</jw305:Begindatum>
                <jw305:StatusAanlevering>{p.Status}</jw305:StatusAanlevering>
            </jw305:StartProduct>
            """)));

    private static string Jw307(params (string Toewijzing, string Begindatum, string Einddatum)[] products) => Message("307", "440",
        "StopProducten", string.Concat(products.Select(p => $"""
            <jw307:StopProduct>
                <jw307:ToewijzingNummer>{p.Toewijzing}</jw307:ToewijzingNummer>
                <jw307:Product><ijw:Categorie>55</ijw:Categorie><ijw:Code>55A11</ijw:Code></jw307:Product>
                <jw307:ToewijzingIngangsdatum>2026-04-01</jw307:ToewijzingIngangsdatum>
                <jw307:Begindatum>{p.Begindatum}</jw307:Begindatum>
                <jw307:RedenBeeindiging>31</jw307:RedenBeeindiging>
                <jw307:Einddatum>{p.Einddatum}</jw307:Einddatum>
                <jw307:StatusAanlevering>1</jw307:StatusAanlevering>
            </jw307:StopProduct>
            """)));

    /// <summary>A message shaped like the official examples in tests/UnitTests/Examples (one client, Tom de Wit, 999900006).</summary>
    private static string Message(string soort, string code, string products, string body) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <jw{soort}:Bericht xmlns:ijw="http://www.istandaarden.nl/ijw/3_2/basisschema/schema" xmlns:jw{soort}="http://www.istandaarden.nl/ijw/3_2/jw{soort}/schema">
            <jw{soort}:Header>
                <jw{soort}:BerichtCode>{code}</jw{soort}:BerichtCode>
                <jw{soort}:BerichtVersie>3</jw{soort}:BerichtVersie>
                <jw{soort}:BerichtSubversie>2</jw{soort}:BerichtSubversie>
                <jw{soort}:Afzender>65656055</jw{soort}:Afzender>
                <jw{soort}:Ontvanger>0363</jw{soort}:Ontvanger>
                <jw{soort}:BerichtIdentificatie><ijw:Identificatie>123456789012</ijw:Identificatie><ijw:Dagtekening>2026-04-15</ijw:Dagtekening></jw{soort}:BerichtIdentificatie>
                <jw{soort}:XsdVersie><ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie><ijw:BerichtXsdVersie>1.0.0</ijw:BerichtXsdVersie></jw{soort}:XsdVersie>
            </jw{soort}:Header>
            <jw{soort}:Client>
                <jw{soort}:Bsn>999900006</jw{soort}:Bsn>
                <jw{soort}:Geboortedatum><ijw:Datum>2010-02-14</ijw:Datum></jw{soort}:Geboortedatum>
                <jw{soort}:Geslacht>1</jw{soort}:Geslacht>
                <jw{soort}:Naam><ijw:Geslachtsnaam><ijw:Achternaam>Wit</ijw:Achternaam><ijw:Voorvoegsel>de</ijw:Voorvoegsel></ijw:Geslachtsnaam><ijw:Voornamen>Tom</ijw:Voornamen><ijw:Voorletters>T</ijw:Voorletters></jw{soort}:Naam>
                <jw{soort}:{products}>{body}</jw{soort}:{products}>
            </jw{soort}:Client>
        </jw{soort}:Bericht>
        """;
}
