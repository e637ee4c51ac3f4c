using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>The team lead's list over HTTP, answered from the persisted view, and the beheerder's look at the views.</summary>
public sealed class HouseholdListTests : EmbeddedPlatformTests
{
    private HttpClient Teamleider => Host.As(Roles.Teamleider, "0344", "teamleider-dirk");

    [Fact]
    public async Task Pages_follow_the_next_cursor_to_the_last_and_a_wijk_narrows_the_list()
    {
        var feed = Host.As(Roles.Aanleverancier, "0344", "brp-koppeling");
        string[] personen = ["111222333", "999990019", "123456782", "999990020", "999990032"];
        var households = new List<Guid>();
        foreach (var (bsn, i) in personen.Select((b, i) => (b, i)))
        {
            var id = Guid.NewGuid();
            households.Add(id);
            (await feed.PostAsJsonAsync($"/api/v1/households/{id}/members",
                new { bsn, gemeente = "0344", rol = "Ouder", van = "2020-01-01", wijk = i < 2 ? "WK034401" : "WK034402" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }
        await Eventually.Get(() => Teamleider.GetFromJsonAsync<JsonElement>("/api/v1/gemeenten/0344/households", Ct), l => l.GetProperty("total").GetInt32() == 5);

        var seen = new List<Guid>();
        var url = "/api/v1/gemeenten/0344/households?pageSize=2";
        for (var pages = 1; ; pages++)
        {
            var page = await Teamleider.GetFromJsonAsync<JsonElement>(url, Ct);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("householdId").GetGuid()));
            if (pages == 1) page.GetProperty("total").GetInt32().ShouldBe(5);
            else page.GetProperty("total").ValueKind.ShouldBe(JsonValueKind.Null, "no count after a cursor");
            if (page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null)
            {
                pages.ShouldBe(3);
                break;
            }
            page.GetProperty("page").ValueKind.ShouldBe(pages == 1 ? JsonValueKind.Number : JsonValueKind.Null, "a page after a cursor has no number");
            url = $"/api/v1/gemeenten/0344/households?pageSize=2&cursor={page.GetProperty("nextCursor").GetString()}";
        }
        seen.Order().ShouldBe(households.Order());

        var wijk = await Teamleider.GetFromJsonAsync<JsonElement>("/api/v1/gemeenten/0344/households?wijk=WK034401", Ct);
        wijk.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("householdId").GetGuid()).Order().ShouldBe(households.Take(2).Order());
    }

    [Fact]
    public async Task Every_one_of_many_concurrent_reads_is_in_the_access_log_before_it_is_answered()
    {
        var id = Guid.NewGuid();
        (await Host.As(Roles.Aanleverancier, "0344", "brp-koppeling").PostAsJsonAsync($"/api/v1/households/{id}/members",
            new { bsn = "111222333", gemeente = "0344", rol = "Ouder", van = "2020-01-01" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var beheerder = Host.As(Roles.Beheerder);
        await Eventually.Get(() => beheerder.GetAsync($"/api/v1/households/{id}", Ct), r => r.StatusCode == HttpStatusCode.OK);

        // Concurrent reads share the access log's commits; each still waits for its own entry.
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => beheerder.GetAsync($"/api/v1/households/{id}", Ct)));
        answers.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var log = await (await beheerder.PostAsJsonAsync("/api/v1/access-log/zoeken", new { householdId = id, pageSize = 500 }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        log.GetProperty("items").EnumerateArray().Count(e => e.GetProperty("resource").GetString() == $"households/{id}")
            .ShouldBeGreaterThanOrEqualTo(41, "the 40 reads and the one that waited for the household");
    }

    [Theory]
    [InlineData("cursor=bm90IGEgY3Vyc29y", "cursor")]
    [InlineData("cursor=%%%", "cursor")]
    [InlineData("cursor=MjowMTkwYTFiMmMzZDQ3ZTVmOGE2YjAwMDAwMDAwMDAwMQ&page=2", "cursor")]
    [InlineData("wijk=WK03", "wijk")]
    public async Task A_cursor_or_wijk_the_list_did_not_give_out_is_refused(string query, string field)
    {
        using var response = await Teamleider.GetAsync($"/api/v1/gemeenten/0344/households?{query}", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain($"\"{field}\"");
    }

    [Fact]
    public async Task The_beheerder_rebuilds_the_views_from_the_inbox_over_http_and_from_the_command_line()
    {
        var feed = Host.As(Roles.Aanleverancier, "0344", "brp-koppeling");
        var id = Guid.NewGuid();
        (await feed.PostAsJsonAsync($"/api/v1/households/{id}/members", new { bsn = "111222333", gemeente = "0344", rol = "Ouder", van = "2020-01-01" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await Host.As(Roles.Aanleverancier, "0344", "aanbieder").PostAsJsonAsync("/api/v1/wmo/provisions",
            new { bsn = "111222333", gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var beheerder = Host.As(Roles.Beheerder);
        var views = await Eventually.Get(() => beheerder.GetFromJsonAsync<JsonElement>("/api/v1/beheer/views", Ct), v => v.GetProperty("applied").GetInt64() == 2);
        views.GetProperty("version").GetInt32().ShouldBe(views.GetProperty("currentVersion").GetInt32());
        views.GetProperty("inboxProvisionEvents").GetInt64().ShouldBe(1);

        (await Host.As(Roles.Regisseur, "0344").PostAsync("/api/v1/beheer/views/rebuild", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var rebuilt = await (await beheerder.PostAsync("/api/v1/beheer/views/rebuild", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        rebuilt.GetProperty("events").GetInt64().ShouldBe(2);
        rebuilt.GetProperty("households").GetInt32().ShouldBe(1);
        var list = await Teamleider.GetFromJsonAsync<JsonElement>("/api/v1/gemeenten/0344/households", Ct);
        list.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().GetProperty("combinatie").GetString().ShouldBe("Alleen Wmo");

        var (output, error) = (new StringWriter(), new StringWriter());
        (await SocialDomain.Beheer.ViewsCommand.Run(["views", "rebuild", "--store", "Sqlite", "--data", DataDirectory], output, error)).ShouldBe(0, error.ToString());
        output.ToString().ShouldContain("rebuilt 2 events, 1 households");
        output.ToString().ShouldContain("2 events applied, 1 provision events in the inbox");
        (await SocialDomain.Beheer.ViewsCommand.Run(["views", "undo"], output, error)).ShouldBe(2);
    }
}
