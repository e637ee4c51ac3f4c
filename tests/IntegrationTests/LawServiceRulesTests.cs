using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>The provision lifecycle as the iStandaarden define it, through the JSON API of the law services.</summary>
public sealed class LawServiceRulesTests : EmbeddedPlatformTests
{
    private const string Child = "999990019";
    private const string Adult = "111222333";

    private static object Jeugd(string begindatum, string toewijzing = "T1", string? status = null, string? geboortedatum = null) => new
    {
        bsn = Child, gemeente = "0344", productcategorie = "45", productCode = "45A11", toewijzingNummer = toewijzing,
        begindatum, statusAanlevering = status, geboortedatum,
    };

    [Fact]
    public async Task After_a_temporary_stop_a_new_start_in_the_same_toewijzing_opens_a_second_period()
    {
        var id = await Start("jeugdwet", Jeugd("2025-01-01"));
        await End("jeugdwet", id, "2025-02-28", "20");

        var restart = await Client.PostAsJsonAsync("/api/v1/jeugdwet/provisions", Jeugd("2025-04-01"), Ct);

        restart.StatusCode.ShouldBe(HttpStatusCode.Created);
        var provision = await restart.Content.ReadFromJsonAsync<JsonElement>(Ct);
        provision.GetProperty("provisionId").GetGuid().ShouldBe(id);
        provision.GetProperty("perioden").GetArrayLength().ShouldBe(2);
        await Projected("jeugdwet", Child);
        (await Combination(Child, "2025-03-15")).ShouldBe("Geen");
        (await Combination(Child, "2025-04-15")).ShouldBe("Alleen Jeugd");
    }

    [Fact]
    public async Task After_a_definitive_stop_a_new_start_in_the_same_toewijzing_is_refused_with_9415()
    {
        var id = await Start("jeugdwet", Jeugd("2025-01-01"));
        await End("jeugdwet", id, "2025-02-28", "31");

        await ShouldBeRefused(await Client.PostAsJsonAsync("/api/v1/jeugdwet/provisions", Jeugd("2025-04-01"), Ct), "9415");
    }

    [Fact]
    public async Task A_withdrawn_start_counts_as_never_sent_and_a_correction_is_3_then_1()
    {
        await Start("jeugdwet", Jeugd("2025-01-01"));
        await Projected("jeugdwet", Child);
        (await Combination(Child, "2025-01-10")).ShouldBe("Alleen Jeugd");

        var withdrawn = await Client.PostAsJsonAsync("/api/v1/jeugdwet/provisions", Jeugd("2025-01-01", status: "3"), Ct);
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await StoredEvents("jeugdwet")).Select(e => e.Type).ShouldBe(["ProvisionStarted", "ProvisionRetracted"]);
        await Projected("jeugdwet", Child);
        (await Combination(Child, "2025-01-10")).ShouldBe("Geen");

        await Start("jeugdwet", Jeugd("2025-02-01"));
        await Projected("jeugdwet", Child);
        (await Combination(Child, "2025-02-10")).ShouldBe("Alleen Jeugd");
        (await Combination(Child, "2025-01-10")).ShouldBe("Geen");
    }

    [Fact]
    public async Task Withdrawing_what_was_never_sent_is_refused_with_9063()
    {
        var response = await Client.PostAsJsonAsync("/api/v1/jeugdwet/provisions", Jeugd("2025-01-01", status: "3"), Ct);
        (await ShouldBeProblem(response, HttpStatusCode.NotFound)).GetProperty("retourcode").GetString().ShouldBe("9063");
        await NothingStoredOrPublished("jeugdwet");
    }

    [Fact]
    public async Task A_withdrawn_stop_makes_the_start_actual_again()
    {
        var id = await Start("jeugdwet", Jeugd("2025-01-01"));
        await End("jeugdwet", id, "2025-02-28", "31");

        var batch = await Batch("jeugdwet", new { soort = "stop", bsn = Child, gemeente = "0344", productcategorie = "45", productCode = "45A11",
            toewijzingNummer = "T1", begindatum = "2025-01-01", statusAanlevering = "3" });

        batch.StatusCode.ShouldBe(HttpStatusCode.OK, await batch.Content.ReadAsStringAsync(Ct));
        var provision = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/jeugdwet/provisions/{id}", Ct);
        provision.GetProperty("status").GetString().ShouldBe("actueel");
        (await StoredEvents("jeugdwet")).Select(e => e.Type).ShouldBe(["ProvisionStarted", "ProvisionEnded", "ProvisionRetracted"]);
        await Projected("jeugdwet", Child);
        (await Combination(Child, "2025-06-01")).ShouldBe("Alleen Jeugd");
    }

    [Fact]
    public async Task An_unchanged_record_is_accepted_and_stores_nothing_new()
    {
        await Start("jeugdwet", Jeugd("2025-01-01"));

        var again = await Client.PostAsJsonAsync("/api/v1/jeugdwet/provisions", Jeugd("2025-01-01", status: "9"), Ct);

        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await StoredEvents("jeugdwet")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_stop_must_carry_the_product_of_its_start_9069()
    {
        await Start("jeugdwet", Jeugd("2025-01-01"));

        var stop = await Batch("jeugdwet", new { soort = "stop", bsn = Child, gemeente = "0344", productcategorie = "45", productCode = "45A99",
            toewijzingNummer = "T1", begindatum = "2025-01-01", einddatum = "2025-03-31", redenBeeindiging = "31" });

        var problem = await ShouldBeProblem(stop, HttpStatusCode.Conflict);
        problem.GetProperty("errors").GetProperty("records[0]")[0].GetString()!.ShouldStartWith("9069");
    }

    [Theory]
    [InlineData("jeugdwet", "45", "2000-01-01", HttpStatusCode.BadRequest, null)]
    [InlineData("jeugdwet", "45", "2006-06-01", HttpStatusCode.Created, "verlengde jeugdhulp")]
    [InlineData("wmo", "02", "2010-06-01", HttpStatusCode.Created, "exceptional")]
    [InlineData("participatiewet", "PW01", "2009-06-01", HttpStatusCode.BadRequest, null)]
    [InlineData("participatiewet", "PW01", "1955-06-01", HttpStatusCode.Created, "AOW")]
    [InlineData("participatiewet", "PW01", "1980-06-01", HttpStatusCode.Created, null)]
    public async Task The_age_at_the_begindatum_is_refused_where_the_law_cannot_allow_it_and_warned_where_it_is_exceptional(
        string law, string categorie, string geboortedatum, HttpStatusCode status, string? warning)
    {
        var response = await Client.PostAsJsonAsync($"/api/v1/{law}/provisions",
            new { bsn = Adult, gemeente = "0344", productcategorie = categorie, begindatum = "2025-01-01", geboortedatum }, Ct);

        response.StatusCode.ShouldBe(status);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        if (status == HttpStatusCode.BadRequest) body.GetProperty("errors").TryGetProperty("geboortedatum", out _).ShouldBeTrue();
        else if (warning is null) body.GetProperty("warnings").GetArrayLength().ShouldBe(0);
        else body.GetProperty("warnings")[0].GetString()!.ShouldContain(warning);
    }

    [Fact]
    public async Task Concurrent_starts_with_the_same_key_store_exactly_one()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Client.PostAsJsonAsync("/api/v1/jeugdwet/provisions", Jeugd("2025-01-01"), Ct)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(7);
        (await StoredEvents("jeugdwet")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_batch_of_thousands_of_starts_and_stops_is_stored_in_one_go()
    {
        var persons = RealStackTests.TestPersons.Take(1500).ToList();
        var records = persons.Select(bsn => (object)new { soort = "start", bsn, gemeente = "0363", productcategorie = "02", begindatum = "2025-01-01" })
            .Concat(persons.Take(500).Select(bsn => (object)new
            {
                soort = "stop", bsn, gemeente = "0363", productcategorie = "02", begindatum = "2025-01-01",
                einddatum = "2025-03-31", redenBeeindiging = "19",
            }))
            .ToArray();

        var response = await Batch("wmo", records);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accepted").GetInt32().ShouldBe(2000);
        (await StoredEvents("wmo")).Count.ShouldBe(2000);
        await Projected("wmo", persons[0]);
        await Projected("wmo", persons[^1]);
        (await Combination(persons[0], "2025-06-01")).ShouldBe("Geen");
        (await Combination(persons[^1], "2025-06-01")).ShouldBe("Alleen Wmo");
    }

    [Fact]
    public async Task A_batch_with_one_refused_record_stores_nothing_and_names_the_record()
    {
        var response = await Batch("wmo",
            new { soort = "start", bsn = Child, gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01" },
            new { soort = "start", bsn = "123456789", gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01" },
            new { soort = "stop", bsn = Adult, gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01", einddatum = "2025-02-01", redenBeeindiging = "19" });

        var problem = await ShouldBeProblem(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        errors.TryGetProperty("records[1].bsn", out _).ShouldBeTrue();
        errors.GetProperty("records[2]")[0].GetString()!.ShouldStartWith("9069");
        await NothingStoredOrPublished("wmo");
    }

    [Fact]
    public async Task The_history_of_a_provision_shows_every_event_who_sent_it_and_when()
    {
        var aanbieder = Host.As(Roles.Aanleverancier, "0344", "zorgaanbieder-65656055");
        var started = await aanbieder.PostAsJsonAsync("/api/v1/jeugdwet/provisions", Jeugd("2025-01-01"), Ct);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("provisionId").GetGuid();
        await End("jeugdwet", id, "2025-02-28", "31");

        var history = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/jeugdwet/provisions/{id}/history", Ct);

        var events = history.GetProperty("events").EnumerateArray().ToList();
        events.Select(e => e.GetProperty("type").GetString()).ShouldBe(["ProvisionStarted", "ProvisionEnded"]);
        events[0].GetProperty("actor").GetString().ShouldBe("zorgaanbieder-65656055");
        events[1].GetProperty("actor").GetString().ShouldBe("beheerder-test");
        events[0].GetProperty("source").GetString().ShouldBe("jeugdwet");
        events[1].GetProperty("data").GetProperty("einddatum").GetString().ShouldBe("2025-02-28");
        events[0].GetProperty("recordedAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task A_clients_provisions_are_listed_newest_first_in_pages()
    {
        foreach (var begin in new[] { "2025-01-01", "2025-02-01", "2025-03-01" })
            await Start("wmo", new { bsn = Adult, gemeente = "0344", productcategorie = "02", begindatum = begin });
        await Start("wmo", new { bsn = Child, gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01" });

        var first = await ClientProvisions(new { bsn = Adult, pageSize = 2 });
        first.GetProperty("total").GetInt32().ShouldBe(3);
        first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("perioden")[0].GetProperty("begindatum").GetString())
            .ShouldBe(["2025-03-01", "2025-02-01"]);

        var next = await ClientProvisions(new { bsn = Adult, page = 2, pageSize = 2 });
        next.GetProperty("items").GetArrayLength().ShouldBe(1);
        next.GetProperty("page").GetInt32().ShouldBe(2);
    }

    private async Task<JsonElement> ClientProvisions(object search)
    {
        var response = await Client.PostAsJsonAsync("/api/v1/wmo/clients/provisions/zoeken", search, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task End(string law, Guid id, string einddatum, string reden)
    {
        var response = await Client.PostAsJsonAsync($"/api/v1/{law}/provisions/{id}/end", new { einddatum, redenBeeindiging = reden }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
    }

    private Task<HttpResponseMessage> Batch(string law, params object[] records) =>
        Client.PostAsJsonAsync($"/api/v1/{law}/provisions/batch", new { records }, Ct);

    private async Task<string?> Combination(string bsn, string date) =>
        (await Stacking(bsn, date)).GetProperty("combinatie").GetString();

    private static async Task ShouldBeRefused(HttpResponseMessage response, string retourcode) =>
        (await ShouldBeProblem(response, HttpStatusCode.Conflict)).GetProperty("retourcode").GetString().ShouldBe(retourcode);
}
