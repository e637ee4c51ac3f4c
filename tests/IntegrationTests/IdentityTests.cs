using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using SocialDomain.Embedded;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// Who may call: tokens of a real OpenID Connect issuer (<see cref="TestIssuer"/>, over HTTP on loopback) checked by
/// an embedded host in the Production environment, every way a token can be wrong, and the configurations a host
/// refuses to start with.
/// </summary>
public sealed class IdentityTests : IAsyncLifetime
{
    private const string Audience = "sociaal-domein-api";
    private const string Gemeente = "0344";
    private static readonly Guid Gezin = Guid.Parse("1d000000-0000-4000-8000-000000000001");

    /// <summary>What a host that refuses to start says, whatever was wrong.</summary>
    private const string Remedy = "Set Auth__Authority and Auth__Audience (an OpenID Connect issuer) or Auth__SigningKey " +
        "(at least 32 bytes); the development key is accepted only in the Development environment.";

    private const string ShortKey = "short-key";
    private const string LongKey = "a-deployment-key-of-more-than-32-bytes";

    private readonly EmbeddedHosts _hosts = new("sdp-identity-");
    private TestIssuer _issuer = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _issuer = await TestIssuer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _hosts.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task RS256_and_ES256_tokens_of_the_issuer_are_accepted_and_their_role_gemeente_and_user_are_the_callers()
    {
        var host = await StartHost(OidcSettings());
        var feed = Client(host, _issuer.Token(Audience, Claims("brp-koppeling", Roles.Aanleverancier, Gemeente)));
        var teamleider = Client(host, _issuer.Token(Audience, Claims("teamleider-dirk", Roles.Teamleider, Gemeente), _issuer.Es256));
        var regisseur = Client(host, _issuer.Token(Audience, Claims("regisseur-anna", Roles.Regisseur, Gemeente)));
        var elsewhere = Client(host, _issuer.Token(Audience, Claims("regisseur-anna", Roles.Regisseur, "0599"), _issuer.Es256));
        var beheerder = Client(host, _issuer.Token(Audience, Claims("beheer-1", Roles.Beheerder, null), _issuer.Es256));

        await Succeeds(feed.PostAsJsonAsync($"/api/v1/households/{Gezin}/members",
            new { bsn = "111222333", gemeente = Gemeente, rol = "Ouder", van = "2010-01-01", wijk = "WK034401" }, Ct));
        await Succeeds(teamleider.PostAsJsonAsync($"/api/v1/households/{Gezin}/regisseur",
            new { regisseurId = "regisseur-anna", naam = "Anna de Regisseur", van = "2025-01-01" }, Ct));

        var read = await Eventually.Get(() => regisseur.GetAsync($"/api/v1/households/{Gezin}", Ct), r => r.IsSuccessStatusCode);
        read.StatusCode.ShouldBe(HttpStatusCode.OK, await read.Content.ReadAsStringAsync(Ct));
        (await read.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("regisseur").GetProperty("naam").GetString().ShouldBe("Anna de Regisseur");
        (await elsewhere.GetAsync($"/api/v1/households/{Gezin}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound,
            "the same user with another gemeente in its token is of another gemeente");

        var log = await Succeeds(beheerder.GetAsync("/api/v1/access-log?userId=regisseur-anna", Ct));
        var entry = log.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("uitkomst").GetString() == "toegestaan").ShouldHaveSingleItem();
        entry.GetProperty("role").GetString().ShouldBe(Roles.Regisseur);
        entry.GetProperty("householdId").GetGuid().ShouldBe(Gezin);
    }

    [Fact]
    public async Task The_claims_that_carry_user_role_and_gemeente_are_configurable()
    {
        var host = await StartHost(OidcSettings(new()
        {
            ["Auth:UserClaim"] = "preferred_username",
            ["Auth:RoleClaim"] = "groups",
            ["Auth:GemeenteClaim"] = "organisatie",
        }));
        Dictionary<string, object> Token(string user, string[] groups, string? organisatie = null, string? role = null)
        {
            var claims = new Dictionary<string, object> { ["sub"] = "opaque-" + user, ["preferred_username"] = user, ["groups"] = groups };
            if (organisatie is not null) claims["organisatie"] = organisatie;
            if (role is not null) claims["role"] = role;
            return claims;
        }
        var teamleider = Client(host, _issuer.Token(Audience, Token("dirk", ["medewerkers", Roles.Teamleider], Gemeente)));
        var otherTeamleider = Client(host, _issuer.Token(Audience, Token("erik", [Roles.Teamleider], "0599")));
        var beheerder = Client(host, _issuer.Token(Audience, Token("beheer-1", ["medewerkers", Roles.Beheerder]), _issuer.Es256));
        var roleInTheDefaultClaim = Client(host, _issuer.Token(Audience, Token("beheer-2", ["medewerkers"], role: Roles.Beheerder)));
        var twoRoles = Client(host, _issuer.Token(Audience, Token("beheer-3", [Roles.Teamleider, Roles.Beheerder], Gemeente)));

        await Succeeds(teamleider.GetAsync($"/api/v1/gemeenten/{Gemeente}/households", Ct));
        (await otherTeamleider.GetAsync($"/api/v1/gemeenten/{Gemeente}/households", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var log = await Succeeds(beheerder.GetAsync("/api/v1/access-log?userId=dirk", Ct));
        var entry = log.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        (entry.GetProperty("userId").GetString(), entry.GetProperty("role").GetString()).ShouldBe(("dirk", Roles.Teamleider));

        (await roleInTheDefaultClaim.GetAsync("/api/v1/access-log", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden,
            "with roles in groups, a role claim is just another claim");
        (await twoRoles.GetAsync("/api/v1/access-log", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden,
            "a token with two platform roles has neither");
    }

    [Theory]
    [InlineData("a wrong audience")]
    [InlineData("a wrong issuer")]
    [InlineData("expired")]
    [InlineData("not yet valid")]
    [InlineData("signed by a key not in the JWKS")]
    [InlineData("alg none")]
    [InlineData("HS256 with the development key")]
    [InlineData("a tampered payload")]
    public async Task A_token_that_is_not_the_issuers_own_valid_one_is_refused_with_401(string flaw)
    {
        var host = await StartHost(OidcSettings());
        var beheerder = Claims("beheer-1", Roles.Beheerder, null);
        await Succeeds(Client(host, _issuer.Token(Audience, beheerder)).GetAsync("/api/v1/access-log", Ct));

        var token = flaw switch
        {
            "a wrong audience" => _issuer.Token("another-api", beheerder),
            "a wrong issuer" => _issuer.Token(Audience, beheerder, issuer: "http://127.0.0.1:1/another-issuer"),
            "expired" => _issuer.Token(Audience, beheerder, notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddMinutes(-5)),
            "not yet valid" => _issuer.Token(Audience, beheerder, notBefore: DateTime.UtcNow.AddMinutes(5)),
            // The same key id as the issuer's RSA key, another key: a forger who read the JWKS.
            "signed by a key not in the JWKS" => _issuer.Token(Audience, beheerder,
                new SigningCredentials(new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha256)),
            "alg none" => Unsigned(_issuer.Token(Audience, beheerder)),
            "HS256 with the development key" => _issuer.Token(Audience, beheerder,
                new SigningCredentials(Tokens.Key(Tokens.DevelopmentKey), SecurityAlgorithms.HmacSha256)),
            "a tampered payload" => Tampered(_issuer.Token(Audience, Claims("stat-1", Roles.Statisticus, null)), Roles.Statisticus, Roles.Beheerder),
            _ => throw new ArgumentOutOfRangeException(nameof(flaw)),
        };
        var response = await Client(host, token).GetAsync("/api/v1/access-log", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetInt32().ShouldBe(401);
    }

    [Theory]
    [InlineData("Production", "", "No token configuration in the Production environment.")]
    [InlineData("Staging", "", "No token configuration in the Staging environment.")]
    [InlineData("Production", "Auth:SigningKey=" + Tokens.DevelopmentKey, "Auth__SigningKey is the development key, which is in the repository.")]
    [InlineData("Production", "Auth:SigningKey=" + ShortKey, "Auth__SigningKey is 9 bytes, too short to keep tokens from being forged.")]
    [InlineData("Development", "Auth:SigningKey=" + ShortKey, "Auth__SigningKey is 9 bytes, too short to keep tokens from being forged.")]
    [InlineData("Production", "Auth:Authority=https://127.0.0.1:1", "An OpenID Connect issuer needs both Auth__Authority and Auth__Audience.")]
    [InlineData("Production", "Auth:Authority=http://127.0.0.1:1;Auth:Audience=api",
        "Auth__Authority 'http://127.0.0.1:1' is not https; set Auth__RequireHttpsMetadata=false only for a test issuer on loopback.")]
    [InlineData("Production", "Auth:Authority=https://127.0.0.1:1;Auth:Audience=api;Auth:SigningKey=" + LongKey,
        "Auth__Authority and Auth__SigningKey are both set: a host trusts one token issuer, so set one.")]
    public void A_host_without_a_token_configuration_it_may_use_refuses_to_start_saying_what_to_set(string environment, string settings, string problem)
    {
        var configured = settings.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => (string?)kv[1]);
        var refusal = Should.Throw<TokenConfigurationException>(() =>
            EmbeddedHost.Build(["--urls", "http://127.0.0.1:0", "--environment", environment], RunningHost.With(configured)));
        refusal.Message.ShouldBe($"{problem} {Remedy}");
        refusal.Message.ShouldNotContain('\n');
    }

    [Fact]
    public async Task The_development_key_and_the_token_command_work_in_Development_only()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        DevToken.Print(["--role", Roles.Beheerder], "Production", output, error).ShouldNotBe(0);
        output.ToString().ShouldBeEmpty();
        error.ToString().ShouldContain("works only in the Development environment");

        DevToken.Print(["--role", Roles.Beheerder], "Development", output, error).ShouldBe(0);
        var token = output.ToString().Trim();

        var development = await StartHost(new(), "Development");
        await Succeeds(Client(development, token).GetAsync("/api/v1/access-log", Ct));
        var production = await StartHost(new() { ["Auth:SigningKey"] = LongKey });
        (await Client(production, token).GetAsync("/api/v1/access-log", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await Succeeds(Client(production, Tokens.Issue(LongKey, "beheer-1", Roles.Beheerder, null, TimeSpan.FromMinutes(5))).GetAsync("/api/v1/access-log", Ct));
    }

    // ---- Plumbing ------------------------------------------------------------------------------------------------

    private Dictionary<string, string?> OidcSettings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Authority"] = _issuer.Issuer,
            ["Auth:Audience"] = Audience,
            // The test issuer serves plain HTTP on loopback; a deployment's issuer is https, which is the default.
            ["Auth:RequireHttpsMetadata"] = "false",
        };
        foreach (var (key, value) in more ?? []) settings[key] = value;
        return settings;
    }

    private Task<RunningHost> StartHost(Dictionary<string, string?> settings, string environment = "Production") =>
        _hosts.StartAsync(settings, EmbeddedHosts.Args(environment));

    private static Dictionary<string, object> Claims(string user, string role, string? gemeente)
    {
        var claims = new Dictionary<string, object> { ["sub"] = user, ["role"] = role };
        if (gemeente is not null) claims["gemeente"] = gemeente;
        return claims;
    }

    private static HttpClient Client(RunningHost host, string token)
    {
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    /// <summary>The same claims with <c>alg: none</c> and no signature.</summary>
    private static string Unsigned(string token)
    {
        var payload = token.Split('.')[1];
        return Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + payload + ".";
    }

    /// <summary>The token with a claim value changed in its payload and the original signature kept.</summary>
    private static string Tampered(string token, string from, string to)
    {
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]);
        payload.ShouldContain($"\"{from}\"");
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.Replace($"\"{from}\"", $"\"{to}\""))}.{parts[2]}";
    }

    private static async Task<JsonElement> Succeeds(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.IsSuccessStatusCode.ShouldBeTrue($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}
