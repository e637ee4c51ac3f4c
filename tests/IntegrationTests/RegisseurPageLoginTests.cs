using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// Logging in to the regisseur's page outside Development: through the configured OpenID Connect issuer with the
/// authorization code flow and PKCE (<see cref="TestIssuer"/>), in a real Chromium; no pasted token.
/// </summary>
public sealed class RegisseurPageLoginTests : IAsyncLifetime
{
    private const string Audience = "sociaal-domein-api";
    private readonly EmbeddedHosts _hosts = new("sdp-login-");
    private TestIssuer _issuer = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _issuer = await TestIssuer.StartAsync();

    [Fact]
    public async Task A_regisseur_logs_in_at_the_identity_provider_with_pkce_and_logs_out()
    {
        await using var browser = await LoggedIn();
        var page = browser.Page;
        await page.SelectOptionAsync("#doel", "Keukentafelgesprek");
        await page.ClickAsync("#doel-formulier button[type=submit]");
        await Assertions.Expect(page.Locator("#lijst-uitleg")).ToHaveTextAsync("U heeft nu van geen huishouden de regie.");

        // Logging out ends the session at the provider too, so the next person at this computer is not let in as Anna.
        await page.ClickAsync("#afmelden");
        await Assertions.Expect(page.Locator("#oidc-aanmelden")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#melding")).ToHaveTextAsync("U bent afgemeld, ook bij uw organisatie.");
        _issuer.SessionsEnded.ShouldBe(["regisseur-anna"]);
        page.Url.ShouldBe(_issuer.RedirectUri);
        (await page.EvaluateAsync<string?>("sessionStorage.getItem('token')")).ShouldBeNull();
        (await page.EvaluateAsync<string?>("sessionStorage.getItem('idToken')")).ShouldBeNull();
        await Assertions.Expect(page.Locator("#wie")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Logging_out_where_the_provider_offers_no_logout_tells_the_user_to_close_the_browser()
    {
        _issuer.PublishesEndSession = false;
        await using var browser = await LoggedIn();
        var page = browser.Page;

        await page.ClickAsync("#afmelden");
        await Assertions.Expect(page.Locator("#oidc-aanmelden")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#melding")).ToContainTextAsync("sluit de browser");
        _issuer.SessionsEnded.ShouldBeEmpty();
        (await page.EvaluateAsync<string?>("sessionStorage.getItem('token')")).ShouldBeNull();
    }

    /// <summary>Anna, logged in at the provider on the page of a host that trusts it, as far as choosing a purpose.</summary>
    private async Task<LoggedInBrowser> LoggedIn()
    {
        var host = await StartHost(new() { ["Auth:ClientId"] = TestIssuer.ClientId });
        _issuer.RedirectUri = new Uri(host.Address, "/regisseur").ToString();
        _issuer.LogIn = (Audience, new Dictionary<string, object> { ["sub"] = "regisseur-anna", ["role"] = "regisseur", ["gemeente"] = "0344" });
        var playwright = await Playwright.CreateAsync();
        var browser = await RegisseurPageHost.LaunchChromium(playwright);
        var page = await browser.NewPageAsync(new() { BaseURL = host.Address.ToString() });

        await page.GotoAsync("/regisseur");
        await Assertions.Expect(page.Locator("#token-formulier")).ToBeHiddenAsync();
        await page.ClickAsync("#oidc-aanmelden");

        await Assertions.Expect(page.Locator("#wie-tekst")).ToHaveTextAsync("regisseur-anna · regisseur · gemeente 0344");
        _issuer.Redeemed.ShouldBe(1);
        page.Url.ShouldBe(_issuer.RedirectUri, "the code and state leave the address bar");
        return new LoggedInBrowser(playwright, browser, page);
    }

    private sealed record LoggedInBrowser(IPlaywright Playwright, IBrowser Browser, IPage Page) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            Playwright.Dispose();
        }
    }

    [Fact]
    public async Task A_code_is_redeemed_only_with_the_verifier_of_its_challenge_and_only_once()
    {
        var host = await StartHost(new() { ["Auth:ClientId"] = TestIssuer.ClientId });
        _issuer.RedirectUri = new Uri(host.Address, "/regisseur").ToString();
        _issuer.LogIn = (Audience, new Dictionary<string, object> { ["sub"] = "regisseur-anna", ["role"] = "regisseur", ["gemeente"] = "0344" });
        var config = await host.Anonymous().GetFromJsonAsync<JsonElement>("/regisseur/config", Ct);
        config.GetProperty("aanmelden").GetString().ShouldBe("oidc");
        config.GetProperty("clientId").GetString().ShouldBe(TestIssuer.ClientId);
        config.GetProperty("endSessionEndpoint").GetString().ShouldBe(_issuer.Issuer + TestIssuer.EndSessionPath);
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var code = await Authorize(config.GetProperty("authorizationEndpoint").GetString()!, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));

        using var wrong = await host.Anonymous().PostAsJsonAsync("/regisseur/token",
            new { code, codeVerifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)), redirectUri = _issuer.RedirectUri }, Ct);
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadAsStringAsync(Ct)).ShouldContain("invalid_grant");

        code = await Authorize(config.GetProperty("authorizationEndpoint").GetString()!, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
        using var right = await host.Anonymous().PostAsJsonAsync("/regisseur/token", new { code, codeVerifier = verifier, redirectUri = _issuer.RedirectUri }, Ct);
        right.StatusCode.ShouldBe(HttpStatusCode.OK);
        var tokens = await right.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var token = tokens.GetProperty("accessToken").GetString();
        tokens.GetProperty("idToken").GetString().ShouldNotBeNullOrEmpty();
        var caller = host.Anonymous();
        caller.DefaultRequestHeaders.Authorization = new("Bearer", token);
        (await caller.GetFromJsonAsync<JsonElement>("/regisseur/sessie", Ct)).GetProperty("gebruiker").GetString().ShouldBe("regisseur-anna");

        using var again = await host.Anonymous().PostAsJsonAsync("/regisseur/token", new { code, codeVerifier = verifier, redirectUri = _issuer.RedirectUri }, Ct);
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a code is redeemed once");
    }

    [Fact]
    public async Task Outside_Development_without_an_issuer_the_page_takes_no_pasted_token()
    {
        var host = await _hosts.StartAsync([], RunningHost.Args);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RegisseurPageHost.LaunchChromium(playwright);
        var page = await browser.NewPageAsync(new() { BaseURL = host.Address.ToString() });

        await page.GotoAsync("/regisseur");
        await Assertions.Expect(page.Locator("#aanmelden-uitleg")).ToContainTextAsync("Aanmelden is op deze server niet ingesteld.");
        await Assertions.Expect(page.Locator("#token-formulier")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#oidc-aanmelden")).ToBeHiddenAsync();
    }

    /// <summary>What the browser does at the authorization endpoint: follows it to the redirect and takes the code.</summary>
    private async Task<string> Authorize(string endpoint, string challenge)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var url = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(endpoint, new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = TestIssuer.ClientId, ["redirect_uri"] = _issuer.RedirectUri, ["scope"] = "openid",
            ["state"] = "s", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        });
        using var response = await client.GetAsync(url, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(response.Headers.Location!.Query)["code"].ToString();
    }

    private Task<RunningHost> StartHost(Dictionary<string, string?> settings)
    {
        settings["Auth:Authority"] = _issuer.Issuer;
        settings["Auth:Audience"] = Audience;
        // The test issuer serves plain HTTP on loopback; a deployment's issuer is https, which is the default.
        settings["Auth:RequireHttpsMetadata"] = "false";
        return _hosts.StartAsync(settings, EmbeddedHosts.Args("Production"));
    }

    public async ValueTask DisposeAsync()
    {
        await _hosts.DisposeAsync();
        await _issuer.DisposeAsync();
    }
}
