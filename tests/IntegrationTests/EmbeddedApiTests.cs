using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SocialDomain.Embedded;
using SocialDomain.EventStore;
using SocialDomain.Projections;
using SocialDomain.Relay;

namespace SocialDomain.IntegrationTests;

/// <summary>The law services' API and the stacking view on the embedded default (SQLite and the in-memory bus).</summary>
public sealed class EmbeddedApiTests : EmbeddedPlatformTests
{
    [Fact]
    public async Task Starts_and_ends_under_two_laws_show_as_stacking_on_the_dates_they_overlap()
    {
        var jeugd = await Start("jeugdwet", new { bsn = "999990019", gemeente = "0344", productcategorie = "45", begindatum = "2025-01-01" });
        await Start("wmo", new { bsn = "999990019", gemeente = "0344", productcategorie = "02", begindatum = "2025-03-01", toewijzingNummer = "T123" });
        var end = await Client.PostAsJsonAsync($"/api/v1/jeugdwet/provisions/{jeugd}/end", new { einddatum = "2025-06-30", redenBeeindiging = "31" }, Ct);
        end.StatusCode.ShouldBe(HttpStatusCode.OK);

        await Projected("jeugdwet", "999990019");
        await Projected("wmo", "999990019");
        var during = await Stacking("999990019", "2025-04-01");
        during.GetProperty("combinatie").GetString().ShouldBe("Jeugd en Wmo");
        during.GetProperty("gestapeld").GetBoolean().ShouldBeTrue();
        during.GetProperty("provisionsPerLaw").GetProperty("Wmo")[0].GetProperty("toewijzingNummer").GetString().ShouldBe("T123");

        var after = await Stacking("999990019", "2025-07-01");
        after.GetProperty("combinatie").GetString().ShouldBe("Alleen Wmo");
        after.GetProperty("laws").EnumerateArray().Select(l => l.GetString()).ShouldBe(["Wmo"]);

        var before = await Stacking("999990019", "2024-12-31");
        before.GetProperty("combinatie").GetString().ShouldBe("Geen");
    }

    [Fact]
    public async Task A_started_provision_can_be_read_back_at_its_location()
    {
        var response = await Client.PostAsJsonAsync("/api/v1/participatiewet/provisions",
            new { bsn = "111222333", gemeente = "0363", productcategorie = "PW01", begindatum = "2025-02-01" }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        response.Headers.GetValues("API-Version").ShouldHaveSingleItem().ShouldBe("1.1.0");

        var provision = await Client.GetFromJsonAsync<JsonElement>(response.Headers.Location, Ct);
        provision.GetProperty("productcategorieNaam").GetString().ShouldBe("Algemene bijstand (levensonderhoud)");
        provision.GetProperty("status").GetString().ShouldBe("actueel");
    }

    public static TheoryData<string, string, string> BadStarts => new()
    {
        { "wmo", """{"bsn": "999990019", "gemeente": "0344", """, "$" },
        { "wmo", """{"bsn":"123456789","gemeente":"0344","productcategorie":"02","begindatum":"2025-01-01"}""", "bsn" },
        { "wmo", """{"bsn":"999990019","gemeente":"344","productcategorie":"02","begindatum":"2025-01-01"}""", "gemeente" },
        { "wmo", """{"bsn":"999990019","gemeente":"0344","productcategorie":"45","begindatum":"2025-01-01"}""", "productcategorie" },
        { "jeugdwet", """{"bsn":"999990019","gemeente":"0344","productcategorie":"02","begindatum":"2025-01-01"}""", "productcategorie" },
        { "participatiewet", """{"bsn":"999990019","gemeente":"0344","productcategorie":"01","begindatum":"2025-01-01"}""", "productcategorie" },
        { "wmo", """{"bsn":"999990019","gemeente":"0344","productcategorie":"02"}""", "begindatum" },
        { "wmo", """{"bsn":"999990019","gemeente":"0344","productcategorie":"02","begindatum":"1 januari"}""", "begindatum" },
        { "wmo", """["not", "an", "object"]""", "$" },
    };

    [Theory]
    [MemberData(nameof(BadStarts))]
    public async Task A_bad_start_is_refused_with_a_problem_naming_the_field_and_nothing_is_stored(string law, string body, string field)
    {
        var response = await Client.PostAsync($"/api/v1/{law}/provisions", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        var problem = await ShouldBeProblem(response, HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty(field, out var messages).ShouldBeTrue($"errors name '{field}': {problem}");
        messages[0].GetString().ShouldNotBeNullOrEmpty();
        await NothingStoredOrPublished(law);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_with_415()
    {
        var response = await Client.PostAsync("/api/v1/wmo/provisions", new StringContent("bsn=999990019", Encoding.UTF8, "text/plain"), Ct);
        await ShouldBeProblem(response, HttpStatusCode.UnsupportedMediaType);
        await NothingStoredOrPublished("wmo");
    }

    [Fact]
    public async Task A_second_start_with_the_same_key_is_refused_with_9326()
    {
        var start = new { bsn = "999990019", gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01", toewijzingNummer = "A1" };
        await Start("wmo", start);

        var again = await Client.PostAsJsonAsync("/api/v1/wmo/provisions", start with { begindatum = "2025-02-01" }, Ct);

        (await ShouldBeProblem(again, HttpStatusCode.Conflict)).GetProperty("retourcode").GetString().ShouldBe("9326");
        (await StoredEvents("wmo")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Ending_an_unknown_provision_is_refused_with_9069()
    {
        var response = await Client.PostAsJsonAsync($"/api/v1/jeugdwet/provisions/{Guid.NewGuid()}/end",
            new { einddatum = "2025-06-30", redenBeeindiging = "31" }, Ct);

        (await ShouldBeProblem(response, HttpStatusCode.NotFound)).GetProperty("retourcode").GetString().ShouldBe("9069");
        await NothingStoredOrPublished("jeugdwet");
    }

    [Fact]
    public async Task Ending_twice_is_refused_with_9069_because_there_is_no_actual_start()
    {
        var id = await Start("jeugdwet", new { bsn = "999990019", gemeente = "0344", productcategorie = "45", begindatum = "2025-01-01" });
        (await Client.PostAsJsonAsync($"/api/v1/jeugdwet/provisions/{id}/end", new { einddatum = "2025-03-31", redenBeeindiging = "31" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var again = await Client.PostAsJsonAsync($"/api/v1/jeugdwet/provisions/{id}/end", new { einddatum = "2025-04-30", redenBeeindiging = "31" }, Ct);

        (await ShouldBeProblem(again, HttpStatusCode.Conflict)).GetProperty("retourcode").GetString().ShouldBe("9069");
        (await StoredEvents("jeugdwet")).Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("""{"einddatum":"2024-12-31","redenBeeindiging":"31"}""", "einddatum")]
    [InlineData("""{"redenBeeindiging":"31"}""", "einddatum")]
    [InlineData("""{"einddatum":"2025-12-31","redenBeeindiging":"19"}""", "redenBeeindiging")]
    [InlineData("""{"einddatum":"2025-12-31"}""", "redenBeeindiging")]
    public async Task A_bad_end_is_refused_naming_the_field_and_changes_nothing(string body, string field)
    {
        // 19 is a Wmo reden ("volgens plan beëindigd"); under the Jeugdwet that is 31.
        var id = await Start("jeugdwet", new { bsn = "999990019", gemeente = "0344", productcategorie = "45", begindatum = "2025-01-01" });

        var response = await Client.PostAsync($"/api/v1/jeugdwet/provisions/{id}/end", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        (await ShouldBeProblem(response, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
        (await StoredEvents("jeugdwet")).Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("123456789", null, "bsn")]
    [InlineData("999990019", "2025-13-01", "date")]
    public async Task A_bad_stacking_query_is_refused_with_a_problem(string bsn, string? date, string field)
    {
        var response = await Client.PostAsync("/api/v1/persons/stacking/zoeken", new StringContent(
            date is null ? $"{{\"bsn\":\"{bsn}\"}}" : $"{{\"bsn\":\"{bsn}\",\"date\":\"{date}\"}}", Encoding.UTF8, "application/json"), Ct);
        (await ShouldBeProblem(response, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task The_api_describes_itself_and_reports_health()
    {
        var openApi = await Client.GetFromJsonAsync<JsonElement>("/api/v1/openapi.json", Ct);
        openApi.GetProperty("openapi").GetString().ShouldStartWith("3.");
        var paths = openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldContain("/wmo/provisions");
        paths.ShouldContain("/jeugdwet/provisions/{id}/end");
        paths.ShouldContain("/persons/stacking/zoeken");

        (await Client.GetAsync("/api/v1/docs", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Client.GetAsync("/health/live", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Client.GetAsync("/health/ready", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
