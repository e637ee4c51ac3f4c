using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using SocialDomain.EventStore;
using SocialDomain.Projections;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// The hostile-input corpus (tests/IntegrationTests/Hostile/*.json) run against one embedded host with a scenario in
/// two gemeenten: every case is answered with its 4xx as problem+json (Kestrel's own refusals included), nothing is
/// stored or projected, and afterwards the host is healthy and still works.
/// </summary>
public sealed partial class HostileInputTests : EmbeddedPlatformTests
{
    private static readonly Guid Gezin = Guid.Parse("0195b000-0000-7000-8000-000000000344");
    private static readonly Guid Gezin363 = Guid.Parse("0195b000-0000-7000-8000-000000000363");
    private static readonly Guid Goal = Guid.Parse("0195b000-0000-7000-8000-0000000000b1");
    private static readonly Guid OtherGoal = Guid.Parse("0195b000-0000-7000-8000-0000000000b2");
    private static readonly Guid Action = Guid.Parse("0195b000-0000-7000-8000-0000000000c1");
    private static readonly string[] Stores = ["participatiewet", "wmo", "jeugdwet", "households"];

    /// <summary>One case of the corpus: what is sent, as whom, and what must come back.</summary>
    public sealed record HostileCase(
        string Name,
        string Kind,
        string Method,
        string Path,
        string Token,
        JsonElement? Body,
        string? RawBody,
        string? ContentType,
        JsonElement Expect,
        string? ErrorField,
        string? KnownDeviation)
    {
        public override string ToString() => $"{Kind} / {Name}";
    }

    private static readonly JsonSerializerOptions CorpusJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static IReadOnlyList<HostileCase> Corpus() =>
    [
        .. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Hostile"), "*.json").Order()
            .SelectMany(file => JsonSerializer.Deserialize<List<HostileCase>>(File.ReadAllText(file), CorpusJson)!),
    ];

    // Writes a minute per caller: the corpus sends more than the default from one token, and the limit is not what it tests.
    protected override void Configure(WebApplicationBuilder builder) =>
        RunningHost.With(new Dictionary<string, string?> { ["RateLimiting:WritesPerMinute"] = "1000000" })(builder);

    [Fact]
    public void The_corpus_holds_at_least_300_cases_with_unique_names_across_every_kind()
    {
        var corpus = Corpus();
        corpus.Count.ShouldBeGreaterThanOrEqualTo(300);
        corpus.Select(c => c.Name).ShouldBeUnique();
        corpus.Select(c => c.Kind).Distinct().Count().ShouldBeGreaterThanOrEqualTo(15);
    }

    [Fact]
    public async Task Every_hostile_case_is_refused_with_a_problem_nothing_is_stored_and_the_host_stays_healthy()
    {
        var ids = await Scenario();
        var storedBefore = await Stored();
        var inboxBefore = await Inbox();
        var failures = new List<string>();

        var corpus = Corpus();
        foreach (var hostile in corpus)
        {
            var before = hostile.Method == "GET" ? storedBefore : await Stored();
            string? why;
            try
            {
                why = await Deviation(hostile, await Send(hostile, ids));
            }
            catch (HttpRequestException e)
            {
                why = $"no answer: {e.Message}";
            }
            if (why is null && hostile.Method != "GET" && await Stored() != before) why = "stored something";
            if (why is not null)
                failures.Add($"{hostile}: {why}" + (hostile.KnownDeviation is { } known ? $" [known deviation: {known}]" : ""));
        }

        await Task.Delay(300, Ct);
        if (await Stored() is var stored && stored != storedBefore) failures.Add($"the whole run: {stored - storedBefore} events stored");
        if (await Inbox() is var inbox && inbox != inboxBefore) failures.Add($"the whole run: {inbox - inboxBefore} events reached the projection");
        failures.ShouldBeEmpty($"{failures.Count} deviations in {corpus.Count} cases:\n" + string.Join("\n", failures));

        (await Client.GetAsync("/health/ready", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Start("wmo", new { bsn = "999990019", gemeente = "0344", productcategorie = "01", toewijzingNummer = "NA1", begindatum = "2025-08-01" });
        (await Stored()).ShouldBeGreaterThan(storedBefore, "a valid request after the corpus is stored");
    }

    /// <summary>Null when the answer is what the case expects; else what is wrong with it.</summary>
    private static async Task<string?> Deviation(HostileCase hostile, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(Ct);
        var expected = hostile.Expect.ValueKind == JsonValueKind.Number ? hostile.Expect.GetInt32().ToString() : hostile.Expect.GetString()!;
        if (status is < 400 or >= 500) return $"answered {status}: {Cut(body)}";
        if (expected != "4xx" && expected != status.ToString()) return $"answered {status}, expected {expected}: {Cut(body)}";
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            return $"answered {status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}: {Cut(body)}";
        JsonElement problem;
        try
        {
            problem = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return $"the problem is not JSON: {Cut(body)}";
        }
        if (!problem.TryGetProperty("status", out var s) || s.GetInt32() != status) return $"the problem's status is not {status}: {Cut(body)}";
        foreach (var member in new[] { "title", "detail" })
            if (!problem.TryGetProperty(member, out var text) || text.GetString() is not { Length: > 0 }) return $"the problem has no {member}: {Cut(body)}";
        if (hostile.ErrorField is { } field && !(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _)))
            return $"the errors do not name {field}: {Cut(body)}";
        return null;
    }

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private async Task<HttpResponseMessage> Send(HostileCase hostile, IReadOnlyDictionary<string, string> ids)
    {
        var request = new HttpRequestMessage(new HttpMethod(hostile.Method), new Uri(Host.Address, Expand(hostile.Path, ids)));
        var text = hostile.RawBody ?? (hostile.Body is { } body ? body.GetRawText() : null);
        if (text is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(Expand(text, ids));
            var content = new ByteArrayContent(bytes);
            if (hostile.ContentType is { } type) content.Headers.TryAddWithoutValidation("Content-Type", type);
            request.Content = content;
            // A client that asks first gets the 413 before it sends a large body, instead of a reset connection.
            request.Headers.ExpectContinue = bytes.Length > 1024 * 1024;
        }
        if (Authorization(hostile.Token) is { } token) request.Headers.TryAddWithoutValidation("Authorization", token);
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        return await client.SendAsync(request, Ct);
    }

    /// <summary>The ids of the scenario, and <c>{repeat:text:count}</c> for the corpus's large and deep bodies.</summary>
    private static string Expand(string text, IReadOnlyDictionary<string, string> ids)
    {
        foreach (var (name, id) in ids) text = text.Replace("{" + name + "}", id, StringComparison.Ordinal);
        var result = new StringBuilder();
        var at = 0;
        while (text.IndexOf("{repeat:", at, StringComparison.Ordinal) is var start and >= 0)
        {
            var count = RepeatCount().Match(text, start + "{repeat:".Length);
            result.Append(text, at, start - at);
            var unit = text[(start + "{repeat:".Length)..count.Index];
            for (var i = int.Parse(count.Groups[1].Value); i > 0; i--) result.Append(unit);
            at = count.Index + count.Length;
        }
        return result.Append(text, at, text.Length - at).ToString();
    }

    [GeneratedRegex(@":(\d+)\}")]
    private static partial Regex RepeatCount();

    /// <summary>The Authorization header of a token kind: a role of the platform, or a token no host may accept.</summary>
    private static string? Authorization(string kind)
    {
        var now = DateTime.UtcNow;
        return kind switch
        {
            "none" => null,
            "garbage" => "Bearer not.a.token",
            "forged" => Bearer(Jwt(Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)), Tokens.Audience, now, now.AddHours(1))),
            "expired" => Bearer(Jwt(RunningHost.SigningKey, Tokens.Audience, now.AddHours(-2), now.AddHours(-1))),
            "wrong-audience" => Bearer(Jwt(RunningHost.SigningKey, "another-platform", now, now.AddHours(1))),
            "alg-none" => Bearer(Unsigned(now)),
            _ => Bearer(Role(kind)),
        };

        static string Bearer(string token) => "Bearer " + token;
    }

    /// <summary><c>role[:gemeente[:user[:agb]]]</c>, signed with the host's key.</summary>
    private static string Role(string kind)
    {
        var parts = kind.Split(':');
        string? Part(int i) => parts.Length > i && parts[i].Length > 0 ? parts[i] : null;
        return Tokens.Issue(RunningHost.SigningKey, Part(2) ?? $"{parts[0]}-test", parts[0], Part(1), TimeSpan.FromHours(1), Part(3));
    }

    private static readonly Claim[] BeheerderClaims = [new(TokenClaims.Default.User, "beheerder-test"), new(TokenClaims.Default.Role, Roles.Beheerder)];

    private static string Jwt(string key, string audience, DateTime notBefore, DateTime expires) =>
        new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(Tokens.Issuer, audience, BeheerderClaims, notBefore, expires,
            new SigningCredentials(Tokens.Key(key), SecurityAlgorithms.HmacSha256)));

    /// <summary>A beheerder's token with <c>alg: none</c> and no signature.</summary>
    private static string Unsigned(DateTime now)
    {
        static string Part(object value) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(value));
        var seconds = new DateTimeOffset(now).ToUnixTimeSeconds();
        return Part(new { alg = "none", typ = "JWT" }) + "." + Part(new Dictionary<string, object>
        {
            ["iss"] = Tokens.Issuer, ["aud"] = Tokens.Audience, ["nbf"] = seconds, ["exp"] = seconds + 3600,
            [TokenClaims.Default.User] = "beheerder-test", [TokenClaims.Default.Role] = Roles.Beheerder,
        }) + ".";
    }

    /// <summary>
    /// A household in 0344 with two members, a regisseur, a plan, a party and a consent, one in 0363, and a provision
    /// under every law: so "another gemeente" and existing-id cases meet real data.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> Scenario()
    {
        var feed344 = Host.As(Roles.Aanleverancier, "0344", "brp-koppeling");
        var feed363 = Host.As(Roles.Aanleverancier, "0363", "brp-koppeling");
        await Ok(feed344.PostAsJsonAsync($"/api/v1/households/{Gezin}/members",
            new { bsn = "111222333", gemeente = "0344", rol = "Ouder", van = "2010-01-01" }, Ct));
        await Ok(feed344.PostAsJsonAsync($"/api/v1/households/{Gezin}/members",
            new { bsn = "999990019", gemeente = "0344", rol = "Kind", van = "2012-01-01", geboortedatum = "2012-01-01" }, Ct));
        await Ok(Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/regisseur", new { regisseurId = "regisseur-anna", naam = "Anna", van = "2025-01-01" }, Ct));
        foreach (var goal in new[] { Goal, OtherGoal })
            await Ok(Client.PutAsJsonAsync($"/api/v1/households/{Gezin}/plan/goals/{goal}",
                new { leefgebied = "Financien", omschrijving = "Huurachterstand inlopen", eigenaar = "Ouder" }, Ct));
        await Ok(Client.PutAsJsonAsync($"/api/v1/households/{Gezin}/plan/goals/{Goal}/actions/{Action}",
            new { omschrijving = "Afspraak schuldhulp", eigenaar = "Ouder", deadline = "2025-03-01" }, Ct));
        await Ok(Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/involved-parties",
            new { naam = "Sanne", organisatie = "Wijkteam", domein = "Wmo", van = "2025-01-01" }, Ct));
        var consent = await Ok(Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/consents",
            new { gegevenDoor = "999990019", ontvanger = "regisseur-bert", wetten = new[] { "Wmo" }, van = "2025-01-01" }, Ct));
        await Ok(feed363.PostAsJsonAsync($"/api/v1/households/{Gezin363}/members",
            new { bsn = "999900006", gemeente = "0363", rol = "Ouder", van = "2010-01-01" }, Ct));
        await Ok(Client.PostAsJsonAsync($"/api/v1/households/{Gezin363}/regisseur", new { regisseurId = "regisseur-carla", naam = "Carla", van = "2025-01-01" }, Ct));

        var jeugd = await Start("jeugdwet", new { bsn = "999990019", gemeente = "0344", productcategorie = "45", toewijzingNummer = "J1", begindatum = "2025-01-01" });
        var wmo = await Start("wmo", new { bsn = "111222333", gemeente = "0344", productcategorie = "02", toewijzingNummer = "W1", begindatum = "2025-03-01" });
        var bijstand = await Start("participatiewet", new { bsn = "111222333", gemeente = "0344", productcategorie = "PW01", toewijzingNummer = "P1", begindatum = "2025-01-01" });
        var aanbieder = Host.As(Roles.Aanbieder, "0363", "zorgaanbieder", "65656055");
        var wmo363 = await Ok(aanbieder.PostAsJsonAsync("/api/v1/wmo/provisions", new
        {
            bsn = "999900006", gemeente = "0363", productcategorie = "01", productCode = "01A11", toewijzingNummer = "820099", begindatum = "2025-04-03",
        }, Ct));

        // Settled: every provision event reached the projection before the counts the corpus is held to.
        await Projected("jeugdwet", "999990019");
        await Projected("wmo", "999900006");
        await Projected("participatiewet", "111222333");
        await Projected("wmo", "111222333");
        return new Dictionary<string, string>
        {
            ["H"] = Gezin.ToString(), ["H363"] = Gezin363.ToString(), ["G"] = Goal.ToString(), ["G2"] = OtherGoal.ToString(),
            ["A"] = Action.ToString(), ["C"] = consent.GetProperty("id").GetString()!, ["PJ"] = jeugd.ToString(), ["PW"] = wmo.ToString(),
            ["PP"] = bijstand.ToString(), ["PW363"] = wmo363.GetProperty("provisionId").GetString()!,
        };
    }

    private static async Task<JsonElement> Ok(Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task<int> Stored()
    {
        var count = 0;
        foreach (var store in Stores)
            count += (await Services.GetRequiredKeyedService<IEventStore>(store).ReadAllAsync(LogPosition.Start, 100_000, Ct)).Count;
        return count;
    }

    private Task<long> Inbox() => Services.GetRequiredService<IInbox>().CountAsync(Ct);
}
