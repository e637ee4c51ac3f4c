using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SocialDomain.ServiceDefaults.OpenApi;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// The served OpenAPI document against the NL API Design Rules that a machine can check (the rule ids of
/// https://gitdocumentatie.logius.nl/publicatie/api/adr/), each rule one check that names every violation, and
/// against the handlers: a documented status is one they answer. Each check is also shown to fail on a document
/// with the thing it checks taken out.
/// </summary>
public sealed partial class ApiDesignRulesTests : EmbeddedPlatformTests
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    private async Task<JsonObject> Document() =>
        (JsonNode.Parse(await Client.GetStringAsync("/api/v1/openapi.json", Ct)) as JsonObject)!;

    private static IEnumerable<(string Name, JsonObject Operation)> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from method in path.Value!.AsObject()
        where Methods.Contains(method.Key)
        select ($"{method.Key.ToUpperInvariant()} {path.Key}", method.Value!.AsObject());

    private static IEnumerable<(string Name, JsonObject Response)> Responses(JsonObject document) =>
        from operation in Operations(document)
        from response in operation.Operation["responses"]?.AsObject() ?? []
        select ($"{operation.Name} {response.Key}", response.Value!.AsObject());

    /// <summary>A <c>$ref</c> inside the document, followed.</summary>
    private static JsonObject Resolve(JsonObject document, JsonObject node) =>
        node["$ref"]?.GetValue<string>() is { } reference
            ? Resolve(document, reference.TrimStart('#', '/').Split('/').Aggregate((JsonNode)document, (n, part) => n[part]!).AsObject())
            : node;

    // API-20 (/core/uri-version): the major version in the URI, and only there.
    private static List<string> MajorVersionInUri(JsonObject document)
    {
        var servers = document["servers"]?.AsArray().Select(s => s!["url"]!.GetValue<string>()).ToList() ?? [];
        var violations = servers.Count == 0 ? ["no servers"] : servers.Where(url => !VersionAtEnd().IsMatch(url)).Select(url => $"server {url}").ToList();
        violations.AddRange(document["paths"]!.AsObject().Select(p => p.Key).Where(p => AnyVersion().IsMatch(p)).Select(p => $"path {p} repeats a version"));
        return violations;
    }

    // API-57 (/core/version-header): the full version in an API-Version header on every response.
    private static List<string> VersionHeaderOnEveryResponse(JsonObject document) =>
        [.. Responses(document).Where(r => r.Response["headers"]?.AsObject().ContainsKey("API-Version") != true).Select(r => r.Name)];

    // API-48 (/core/no-trailing-slash).
    private static List<string> NoTrailingSlash(JsonObject document) =>
        [.. document["paths"]!.AsObject().Select(p => p.Key).Where(p => p.Length > 1 && p.EndsWith('/'))];

    // API-54/API-05 (/core/path-segments-kebab-case): lower-case kebab-case segments, parameters in braces.
    private static List<string> KebabCasePaths(JsonObject document) =>
        [.. from path in document["paths"]!.AsObject().Select(p => p.Key)
            from segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            where !KebabSegment().IsMatch(segment) && !ParameterSegment().IsMatch(segment)
            select $"{path}: {segment}"];

    // Property names are lowerCamelCase (API-25 area, the linter's property-casing).
    private static List<string> CamelCaseProperties(JsonObject document)
    {
        var violations = new List<string>();
        void Walk(string where, JsonNode? node)
        {
            if (node is JsonArray array) { foreach (var item in array) Walk(where, item); return; }
            if (node is not JsonObject schema) return;
            foreach (var property in schema["properties"]?.AsObject() ?? [])
            {
                if (!CamelCase().IsMatch(property.Key)) violations.Add($"{where}.{property.Key}");
                Walk($"{where}.{property.Key}", property.Value);
            }
            Walk(where, schema["allOf"]);
            Walk(where, schema["items"]);
        }
        foreach (var schema in document["components"]?["schemas"]?.AsObject() ?? []) Walk(schema.Key, schema.Value);
        return violations;
    }

    // API-51 (/core/doc-openapi-contact): info.contact with a name, an email and a url.
    private static List<string> Contact(JsonObject document) =>
        [.. new[] { "name", "email", "url" }.Where(field => string.IsNullOrWhiteSpace(document["info"]?["contact"]?[field]?.GetValue<string>()))
            .Select(field => $"info.contact.{field}")];

    // API-46 (/core/problem-details): every error is application/problem+json with status, title and detail.
    private static List<string> ProblemJsonForErrors(JsonObject document)
    {
        var violations = new List<string>();
        foreach (var (name, response) in Responses(document).Where(r => r.Name[^3] is '4' or '5'))
        {
            var content = response["content"]?.AsObject();
            if (content is null || content.Count != 1 || content["application/problem+json"]?["schema"] is not JsonObject schema)
            {
                violations.Add($"{name}: not only application/problem+json");
                continue;
            }
            var resolved = Resolve(document, schema);
            var required = (resolved["allOf"]?.AsArray().Select(s => Resolve(document, s!.AsObject())) ?? [resolved])
                .SelectMany(s => s["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? []).ToHashSet();
            if (!required.IsSupersetOf(["status", "title", "detail"])) violations.Add($"{name}: the problem does not require status, title and detail");
        }
        return violations;
    }

    // Invalid input is a documented problem: a 400 on every operation that takes parameters or a body.
    private static List<string> BadRequestForInput(JsonObject document) =>
        [.. Operations(document)
            .Where(o => (o.Operation["parameters"]?.AsArray().Count > 0 || o.Operation["requestBody"] is not null)
                        && o.Operation["responses"]?["400"] is null)
            .Select(o => o.Name)];

    // API-16 (/core/doc-openapi): every operation says what it does, has an id, and its success answer.
    private static List<string> DescribedOperations(JsonObject document)
    {
        var operations = Operations(document).ToList();
        var violations = operations.Where(o => string.IsNullOrWhiteSpace(o.Operation["description"]?.GetValue<string>())).Select(o => $"{o.Name}: no description").ToList();
        violations.AddRange(operations.Where(o => string.IsNullOrWhiteSpace(o.Operation["operationId"]?.GetValue<string>())).Select(o => $"{o.Name}: no operationId"));
        violations.AddRange(operations.GroupBy(o => o.Operation["operationId"]?.GetValue<string>()).Where(g => g.Count() > 1).Select(g => $"operationId {g.Key} twice"));
        violations.AddRange(operations.Where(o => o.Operation["responses"]!.AsObject().All(r => r.Key[0] != '2')).Select(o => $"{o.Name}: no success answer"));
        return violations;
    }

    // Every parameter and body has a description and an example; every property a description.
    private static List<string> DescriptionsAndExamples(JsonObject document)
    {
        var violations = new List<string>();
        foreach (var (name, operation) in Operations(document))
        {
            foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
            {
                if (parameter!["description"] is null) violations.Add($"{name} parameter {parameter["name"]}: no description");
                if (parameter["example"] is null) violations.Add($"{name} parameter {parameter["name"]}: no example");
            }
            if (operation["requestBody"] is JsonObject body)
            {
                if (body["description"] is null) violations.Add($"{name} body: no description");
                if (body["content"]!.AsObject().Any(c => c.Value!["example"] is null)) violations.Add($"{name} body: no example");
            }
        }
        foreach (var schema in document["components"]!["schemas"]!.AsObject())
            foreach (var property in schema.Value!["properties"]?.AsObject() ?? [])
                if (property.Value!["description"] is null) violations.Add($"{schema.Key}.{property.Key}: no description");
        return violations;
    }

    // Every operation but the anonymous ones asks for a token of a defined scheme and documents the 401.
    private static List<string> Secured(JsonObject document)
    {
        var schemes = document["components"]?["securitySchemes"]?.AsObject().Select(s => s.Key).ToHashSet() ?? [];
        var violations = schemes.Contains(ContractDocument.BearerScheme) ? new List<string>() : ["no bearer scheme"];
        foreach (var (name, operation) in Operations(document))
        {
            var required = operation["security"]?.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)).ToList() ?? [];
            if (required.Count == 0 || !required.All(schemes.Contains)) violations.Add($"{name}: no security requirement of a defined scheme");
            if (operation["responses"]?["401"] is null) violations.Add($"{name}: no 401");
        }
        return violations;
    }

    // No example holds a BSN other than the test BSNs.
    private static List<string> OnlyTestBsns(JsonObject document) =>
        [.. NineDigits().Matches(document.ToJsonString()).Select(m => m.Value)
            .Where(v => v is not (ContractText.TestBsn or ContractText.TweedeTestBsn)).Distinct()];

    public static TheoryData<string> Rules => [.. Checks.Keys];

    private static readonly Dictionary<string, Func<JsonObject, List<string>>> Checks = new()
    {
        ["API-20 major version in the URI"] = MajorVersionInUri,
        ["API-57 API-Version header on every response"] = VersionHeaderOnEveryResponse,
        ["API-48 no trailing slash"] = NoTrailingSlash,
        ["API-54 kebab-case path segments"] = KebabCasePaths,
        ["camelCase property names"] = CamelCaseProperties,
        ["API-51 contact"] = Contact,
        ["API-46 problem+json for errors"] = ProblemJsonForErrors,
        ["400 for operations with input"] = BadRequestForInput,
        ["every operation described, with an id and a success answer"] = DescribedOperations,
        ["descriptions and examples"] = DescriptionsAndExamples,
        ["token required and 401 documented"] = Secured,
        ["examples hold test BSNs only"] = OnlyTestBsns,
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task The_served_document_keeps_the_rule(string rule) =>
        Checks[rule](await Document()).ShouldBeEmpty();

    [Fact]
    public async Task The_checks_find_what_is_taken_out()
    {
        var document = await Document();
        var start = document["paths"]!["/wmo/provisions"]!["post"]!.AsObject();

        start["responses"]!["201"]!["headers"]!.AsObject().Remove("API-Version");
        start["responses"]!["409"]!["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject() } };
        start["responses"]!.AsObject().Remove("400");
        start.Remove("description");
        start.Remove("security");
        document["info"]!["contact"]!.AsObject().Remove("email");
        document["servers"] = new JsonArray(new JsonObject { ["url"] = "/api" });
        document["paths"]!["/Wmo_Bad/"] = new JsonObject();
        document["components"]!["schemas"]!["StartProvisionRequest"]!["properties"]!["Bad_Name"] = new JsonObject();
        document["components"]!["schemas"]!["StartProvisionRequest"]!["properties"]!["bsn"]!["examples"] = new JsonArray("123456782");

        VersionHeaderOnEveryResponse(document).ShouldBe(["POST /wmo/provisions 201"]);
        ProblemJsonForErrors(document).ShouldBe(["POST /wmo/provisions 409: not only application/problem+json"]);
        BadRequestForInput(document).ShouldBe(["POST /wmo/provisions"]);
        DescribedOperations(document).ShouldBe(["POST /wmo/provisions: no description"]);
        Secured(document).ShouldBe(["POST /wmo/provisions: no security requirement of a defined scheme"]);
        Contact(document).ShouldBe(["info.contact.email"]);
        MajorVersionInUri(document).ShouldBe(["server /api"]);
        NoTrailingSlash(document).ShouldBe(["/Wmo_Bad/"]);
        KebabCasePaths(document).ShouldBe(["/Wmo_Bad/: Wmo_Bad"]);
        CamelCaseProperties(document).ShouldBe(["StartProvisionRequest.Bad_Name"]);
        DescriptionsAndExamples(document).ShouldBe(["StartProvisionRequest.Bad_Name: no description"]);
        OnlyTestBsns(document).ShouldBe(["123456782"]);
    }

    /// <summary>The statuses an operation documents, and what it answers when asked with its own example.</summary>
    private static IReadOnlyList<string> Documented(JsonObject document, string path, string method) =>
        [.. document["paths"]![path]![method]!["responses"]!.AsObject().Select(r => r.Key)];

    private static JsonContent ExampleBody(JsonObject document, string path) =>
        JsonContent.Create(document["paths"]![path]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]);

    [Fact]
    public async Task A_start_sent_as_its_example_answers_the_documented_201_with_a_location()
    {
        var document = await Document();

        var response = await Client.PostAsync("/api/v1/wmo/provisions", ExampleBody(document, "/wmo/provisions"), Ct);

        Documented(document, "/wmo/provisions", "post").ShouldContain("201");
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        response.Headers.Location.ShouldNotBeNull();
        response.Headers.GetValues("API-Version").ShouldBe([SocialDomain.ServiceDefaults.HostingExtensions.ApiVersion]);
    }

    [Fact]
    public async Task A_start_with_only_its_required_fields_is_accepted()
    {
        var document = await Document();
        var schema = document["components"]!["schemas"]!["StartProvisionRequest"]!;
        var required = schema["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        var example = ExampleBody(document, "/wmo/provisions").Value as JsonObject;
        var body = new JsonObject(required.Select(field => KeyValuePair.Create(field, (JsonNode?)example![field]!.DeepClone())));

        required.ShouldBe(["bsn", "gemeente", "productcategorie", "begindatum"], ignoreOrder: true);
        var response = await Client.PostAsync("/api/v1/wmo/provisions", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_member_sent_as_its_example_answers_the_documented_201()
    {
        var document = await Document();

        var response = await Client.PostAsync($"/api/v1/households/{Guid.NewGuid()}/members",
            ExampleBody(document, "/households/{id}/members"), Ct);

        Documented(document, "/households/{id}/members", "post").ShouldContain("201");
        Documented(document, "/households/{id}/members", "post").ShouldNotContain("200");
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_membership_batch_sent_as_its_example_answers_the_documented_200_with_the_change()
    {
        var document = await Document();
        var example = ExampleBody(document, "/households/members/batch");

        var response = await Client.PostAsync("/api/v1/households/members/batch", example, Ct);

        foreach (var status in new[] { "200", "400", "403", "404", "409" }) Documented(document, "/households/members/batch", "post").ShouldContain(status);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        body!["accepted"]!.GetValue<int>().ShouldBe(1);
        body["changes"]![0]!["version"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public async Task An_unknown_household_answers_the_documented_404_as_a_problem()
    {
        var document = await Document();

        var response = await Client.GetAsync($"/api/v1/households/{Guid.NewGuid()}", Ct);

        Documented(document, "/households/{id}", "get").ShouldContain("404");
        (await ShouldBeProblem(response, HttpStatusCode.NotFound)).GetProperty("traceId").GetString().ShouldNotBeNullOrEmpty();
        response.Headers.GetValues("API-Version").ShouldBe([SocialDomain.ServiceDefaults.HostingExtensions.ApiVersion]);
    }

    [Fact]
    public async Task A_call_without_a_token_answers_the_documented_401_and_a_refused_role_the_documented_403()
    {
        var document = await Document();

        var anonymous = await Host.Anonymous().PostAsync("/api/v1/households/zoeken", ExampleBody(document, "/households/zoeken"), Ct);
        var statistician = await Host.As("statisticus").PostAsync("/api/v1/households/zoeken", ExampleBody(document, "/households/zoeken"), Ct);

        Documented(document, "/households/zoeken", "post").ShouldBe(["200", "400", "401", "403", "413", "415", "429"], ignoreOrder: true);
        await ShouldBeProblem(anonymous, HttpStatusCode.Unauthorized);
        anonymous.Headers.GetValues("API-Version").ShouldBe([SocialDomain.ServiceDefaults.HostingExtensions.ApiVersion]);
        await ShouldBeProblem(statistician, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Invalid_input_answers_the_documented_400_as_a_problem_naming_the_field()
    {
        var document = await Document();

        var response = await Client.PostAsJsonAsync("/api/v1/persons/stacking/zoeken", new { bsn = "123" }, Ct);

        Documented(document, "/persons/stacking/zoeken", "post").ShouldContain("400");
        (await ShouldBeProblem(response, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("bsn", out _).ShouldBeTrue();
    }

    [Fact]
    public void Every_documented_handler_returns_a_typed_result_so_its_answers_are_documented_from_the_code()
    {
        var handlers = Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(SocialDomain.ServiceDefaults.HostingExtensions.BasePath) == true
                        && e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true }
                        && e.Metadata.GetMetadata<System.Reflection.MethodInfo>() is not null)
            .ToList();

        handlers.Count.ShouldBeGreaterThan(20);
        handlers.Where(e => !IsTypedResult(e.Metadata.GetMetadata<System.Reflection.MethodInfo>()!.ReturnType))
            .Select(e => $"{e.DisplayName}: {e.Metadata.GetMetadata<System.Reflection.MethodInfo>()!.ReturnType}")
            .ShouldBeEmpty();
    }

    /// <summary>A result type that tells the endpoint its status and body (Ok&lt;T&gt;, Created&lt;T&gt;, Results&lt;…&gt;), awaited or not.</summary>
    private static bool IsTypedResult(Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Task<>) || definition == typeof(ValueTask<>)))
            type = type.GetGenericArguments()[0];
        return typeof(IResult).IsAssignableFrom(type) && typeof(Microsoft.AspNetCore.Http.Metadata.IEndpointMetadataProvider).IsAssignableFrom(type);
    }

    [GeneratedRegex(@"/v\d+$")]
    private static partial Regex VersionAtEnd();

    [GeneratedRegex(@"/v\d+(/|$)")]
    private static partial Regex AnyVersion();

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabSegment();

    [GeneratedRegex(@"^\{[a-z][a-zA-Z0-9]*\}$")]
    private static partial Regex ParameterSegment();

    [GeneratedRegex(@"^[a-z][a-zA-Z0-9]*$")]
    private static partial Regex CamelCase();

    [GeneratedRegex(@"(?<!\d)\d{9}(?!\d)")]
    private static partial Regex NineDigits();
}
