using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// No BSN in a URL (docs/changelog.md, 2026-12-04): every search by BSN takes it in a POST body; the old routes
/// answer as before for one deprecation period and say so in their headers and in the OpenAPI document. And every
/// paged endpoint refuses a page outside its bounds instead of wrapping round.
/// </summary>
public sealed class BsnOutOfUrlTests : EmbeddedPlatformTests
{
    private const string Bsn = "999990019";
    private static readonly Guid Gezin = Guid.Parse("6f1c1c1e-0000-4000-8000-0000000000b5");

    [Fact]
    public async Task A_persons_stacking_is_searched_with_the_bsn_in_the_body()
    {
        await Start("wmo", new { bsn = Bsn, gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01" });

        var stacking = await Eventually.Get(() => Stacking(Bsn, "2025-06-01"), s => s.GetProperty("combinatie").GetString() == "Alleen Wmo");

        stacking.GetProperty("bsn").GetString().ShouldBe(Bsn);
        stacking.GetProperty("date").GetString().ShouldBe("2025-06-01");
    }

    [Fact]
    public async Task A_clients_provisions_are_searched_with_the_bsn_in_the_body()
    {
        var id = await Start("wmo", new { bsn = Bsn, gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01" });

        var response = await Client.PostAsJsonAsync("/api/v1/wmo/clients/provisions/zoeken", new { bsn = Bsn }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        page.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().GetProperty("provisionId").GetGuid().ShouldBe(id);
        (page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32(), page.GetProperty("total").GetInt32()).ShouldBe((1, 20, 1));
    }

    [Fact]
    public async Task The_access_log_is_searched_with_the_bsn_in_the_body()
    {
        await Client.PostAsJsonAsync("/api/v1/wmo/clients/provisions/zoeken", new { bsn = Bsn }, Ct);
        await Client.PostAsJsonAsync("/api/v1/wmo/clients/provisions/zoeken", new { bsn = "111222333" }, Ct);

        var log = await AccessLog(new { bsn = Bsn, pageSize = 10 });

        var entry = log.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        entry.GetProperty("bsn").GetString().ShouldBe(Bsn);
        entry.GetProperty("resource").GetString().ShouldBe("wmo/clients/provisions");
        entry.GetProperty("uitkomst").GetString().ShouldBe(Uitkomsten.Toegestaan);
        log.GetProperty("pageSize").GetInt32().ShouldBe(10);
    }

    [Fact]
    public async Task A_member_leaves_with_the_bsn_in_the_body()
    {
        (await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/members", new { bsn = Bsn, gemeente = "0344", rol = "Kind", van = "2024-01-01" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        var leave = await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/members/leave", new { bsn = Bsn, tot = "2025-06-30" }, Ct);

        leave.StatusCode.ShouldBe(HttpStatusCode.OK, await leave.Content.ReadAsStringAsync(Ct));
        (await leave.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("version").GetInt64().ShouldBe(2);
        var invalid = await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/members/leave", new { bsn = "123456789", tot = "2025-06-30" }, Ct);
        (await ShouldBeProblem(invalid, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("bsn", out _).ShouldBeTrue();
    }

    public static TheoryData<string, string, string> OldRoutes => new()
    {
        { "GET", $"/api/v1/persons/{Bsn}/stacking", "/api/v1/persons/stacking/zoeken" },
        { "GET", $"/api/v1/wmo/clients/{Bsn}/provisions", "/api/v1/wmo/clients/provisions/zoeken" },
        { "GET", $"/api/v1/jeugdwet/clients/{Bsn}/provisions?page=1", "/api/v1/jeugdwet/clients/provisions/zoeken" },
        { "GET", $"/api/v1/access-log?bsn={Bsn}", "/api/v1/access-log/zoeken" },
        { "POST", $"/api/v1/households/{Gezin}/members/{Bsn}/leave", $"/api/v1/households/{Gezin}/members/leave" },
    };

    [Theory]
    [MemberData(nameof(OldRoutes))]
    public async Task An_old_route_with_a_bsn_in_the_url_still_answers_and_names_its_deprecation_sunset_and_successor(
        string method, string path, string successor)
    {
        if (method == "POST")
            (await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/members", new { bsn = Bsn, gemeente = "0344", rol = "Kind", van = "2024-01-01" }, Ct))
                .StatusCode.ShouldBe(HttpStatusCode.Created);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = JsonContent.Create(new { tot = "2025-06-30" });

        var response = await Client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        response.Headers.GetValues("Deprecation").ShouldBe(["@1796342400"]);
        response.Headers.GetValues("Sunset").ShouldBe(["Fri, 04 Jun 2027 00:00:00 GMT"]);
        response.Headers.GetValues("Link").ShouldBe([$"<{successor}>; rel=\"successor-version\""]);
    }

    [Fact]
    public async Task A_refusal_on_an_old_route_says_it_is_deprecated_too()
    {
        var response = await Client.GetAsync("/api/v1/persons/123456789/stacking", Ct);

        await ShouldBeProblem(response, HttpStatusCode.BadRequest);
        response.Headers.Contains("Deprecation").ShouldBeTrue();
    }

    [Fact]
    public async Task A_new_route_is_not_deprecated()
    {
        var response = await Client.PostAsJsonAsync("/api/v1/persons/stacking/zoeken", new { bsn = Bsn }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Contains("Deprecation").ShouldBeFalse();
        response.Headers.Contains("Sunset").ShouldBeFalse();
    }

    [Fact]
    public async Task No_operation_of_the_openapi_document_takes_a_bsn_in_its_url_except_the_deprecated_ones()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/api/v1/openapi.json", Ct);

        var withBsn = new List<string>();
        var deprecated = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                var bsnParameter = operation.Value.TryGetProperty("parameters", out var parameters) && parameters.EnumerateArray()
                    .Any(p => p.GetProperty("name").GetString()!.Equals("bsn", StringComparison.OrdinalIgnoreCase));
                if (path.Name.Contains("{bsn}") || bsnParameter) withBsn.Add(name);
                if (operation.Value.TryGetProperty("deprecated", out var flag) && flag.GetBoolean()) deprecated.Add(name);
            }

        withBsn.ShouldAllBe(operation => deprecated.Contains(operation));
        withBsn.ShouldBe([
            "GET /persons/{bsn}/stacking", "GET /access-log", "POST /households/{id}/members/{bsn}/leave",
            "GET /participatiewet/clients/{bsn}/provisions", "GET /wmo/clients/{bsn}/provisions",
            "GET /jeugdwet/clients/{bsn}/provisions",
        ], ignoreOrder: true);
    }

    /// <summary>Every paged endpoint, asked for one page: the page and its size as the query or the body has them.</summary>
    public static TheoryData<string, string?, string?, string> OutOfBounds => new()
    {
        { "client provisions", "999999999", null, "page" },
        { "client provisions", "0", null, "page" },
        { "client provisions", null, "0", "pageSize" },
        { "client provisions", null, "101", "pageSize" },
        { "old client provisions", "999999999", null, "page" },
        { "old client provisions", "0", null, "page" },
        { "old client provisions", null, "0", "pageSize" },
        { "old client provisions", null, "101", "pageSize" },
        { "access log", "999999999", null, "page" },
        { "access log", "0", null, "page" },
        { "access log", "100001", null, "page" },
        { "access log", null, "0", "pageSize" },
        { "access log", null, "501", "pageSize" },
        { "old access log", "999999999", null, "page" },
        { "old access log", null, "501", "pageSize" },
        { "gemeente households", "999999999", null, "page" },
        { "gemeente households", "0", null, "page" },
        { "gemeente households", null, "0", "pageSize" },
        { "gemeente households", null, "101", "pageSize" },
    };

    [Theory]
    [MemberData(nameof(OutOfBounds))]
    public async Task A_page_outside_the_bounds_is_refused_with_a_problem_naming_it(string endpoint, string? page, string? pageSize, string field)
    {
        var query = string.Join("&", new[] { page is null ? null : $"page={page}", pageSize is null ? null : $"pageSize={pageSize}" }.OfType<string>());
        var body = new Dictionary<string, object> { ["bsn"] = Bsn };
        if (page is not null) body["page"] = int.Parse(page);
        if (pageSize is not null) body["pageSize"] = int.Parse(pageSize);

        var response = endpoint switch
        {
            "client provisions" => await Client.PostAsJsonAsync("/api/v1/wmo/clients/provisions/zoeken", body, Ct),
            "old client provisions" => await Client.GetAsync($"/api/v1/wmo/clients/{Bsn}/provisions?{query}", Ct),
            "access log" => await Client.PostAsJsonAsync("/api/v1/access-log/zoeken", body, Ct),
            "old access log" => await Client.GetAsync($"/api/v1/access-log?{query}", Ct),
            _ => await Client.GetAsync($"/api/v1/gemeenten/0344/households?{query}", Ct),
        };

        var problem = await ShouldBeProblem(response, HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe([field]);
    }

    [Fact]
    public async Task The_last_page_within_the_bounds_is_answered_empty_rather_than_wrapping_round()
    {
        await Start("wmo", new { bsn = Bsn, gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01" });

        var response = await Client.PostAsJsonAsync("/api/v1/wmo/clients/provisions/zoeken", new { bsn = Bsn, page = 100_000, pageSize = 100 }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        page.GetProperty("items").GetArrayLength().ShouldBe(0);
        page.GetProperty("total").GetInt32().ShouldBe(1);
    }
}
