using System.Net.Http.Json;
using Microsoft.Playwright;
using SocialDomain.Embedded;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// The embedded platform for the regisseur's page, and a real headless Chromium (Debian's package, driven by
/// Playwright). The host runs in the Development environment, where the page takes a pasted token, with a key of
/// the test run's own; <see cref="Gezin"/> is a household that has everything the page shows.
/// </summary>
public abstract class RegisseurPageHost : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    protected const string Ouder = "111222333";
    protected const string Kind = "999990019";
    protected static readonly Guid Gezin = Guid.Parse("7a000000-0000-4000-8000-000000000001");
    protected static readonly Guid Financien = Guid.Parse("7a000000-0000-4000-8000-0000000000f1");
    protected static readonly Guid Gezondheid = Guid.Parse("7a000000-0000-4000-8000-0000000000f2");

    /// <summary>The child turns 18 four months from today: inside the period the timeline shows.</summary>
    protected static readonly DateOnly Achttien = DateOnly.FromDateTime(DateTime.Today).AddMonths(4);

    private readonly string _data = Path.Combine(Path.GetTempPath(), "sdp-page-" + Guid.NewGuid().ToString("N"));
    private IPlaywright _playwright = null!;

    protected RunningHost Host { get; private set; } = null!;
    protected IBrowser Browser { get; private set; } = null!;
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: apt-get install -y chromium (./test.sh installs it).");
        Host = await RunningHost.StartAsync(EmbeddedHost.Build(
            ["--urls", "http://127.0.0.1:0", "--environment", "Development", "--Auth:SigningKey", RunningHost.SigningKey],
            RunningHost.With(new Dictionary<string, string?> { ["Store:DataDirectory"] = _data })));
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromium(_playwright);
    }

    public static Task<IBrowser> LaunchChromium(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Chromium,
        Headless = true,
        // The machine has no network beyond loopback: keep Chromium from reaching out.
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--lang=nl-NL"],
    });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected static string TokenOf(string user, string role = Roles.Regisseur) =>
        Tokens.Issue(RunningHost.SigningKey, user, role, "0344", TimeSpan.FromHours(1));

    protected async Task<IPage> NewPage(int width = 1280, int height = 900)
    {
        var page = await Browser.NewPageAsync(new() { BaseURL = Host.Address.ToString(), ViewportSize = new() { Width = width, Height = height }, Locale = "nl-NL" });
        page.SetDefaultTimeout(15_000);
        return page;
    }

    /// <summary>Logs in with a pasted token and chooses the purpose, as a user does.</summary>
    protected static async Task LogIn(IPage page, string token, string doel = "Keukentafelgesprek")
    {
        await page.GotoAsync("/regisseur");
        await page.FillAsync("#token", token);
        await page.ClickAsync("#token-formulier button[type=submit]");
        await page.SelectOptionAsync("#doel", doel);
        await page.ClickAsync("#doel-formulier button[type=submit]");
        await Assertions.Expect(page.Locator("#doel-tekst")).ToHaveTextAsync(doel);
    }

    /// <summary>
    /// A parent with a Participatiewet benefit and an ended Wmo provision, a child in youth care who turns 18 soon,
    /// Anna as regisseur, a plan of two conflicting goals with an action, a party involved, and the child's consent
    /// that lets Bert see the child's Jeugdwet provisions.
    /// </summary>
    protected async Task AHousehold()
    {
        var client = Host.Client;
        async Task Ok(Task<HttpResponseMessage> call) => (await call).EnsureSuccessStatusCode();
        var h = $"/api/v1/households/{Gezin}";
        await Ok(client.PostAsJsonAsync($"{h}/members", new { bsn = Ouder, gemeente = "0344", rol = "Ouder", van = "2010-01-01", wijk = "WK034401", geboortedatum = "1985-03-01" }, Ct));
        await Ok(client.PostAsJsonAsync($"{h}/members", new { bsn = Kind, gemeente = "0344", rol = "Kind", van = "2010-01-01", geboortedatum = Achttien.AddYears(-18).ToString("yyyy-MM-dd") }, Ct));
        await Ok(client.PostAsJsonAsync($"{h}/regisseur", new { regisseurId = "regisseur-anna", naam = "Anna de Regisseur", van = "2025-01-01" }, Ct));
        await Ok(client.PostAsJsonAsync("/api/v1/jeugdwet/provisions", new { bsn = Kind, gemeente = "0344", productcategorie = "45", begindatum = "2024-01-01" }, Ct));
        await Ok(client.PostAsJsonAsync("/api/v1/participatiewet/provisions", new { bsn = Ouder, gemeente = "0344", productcategorie = "PW01", begindatum = "2025-01-01" }, Ct));
        var wmo = await (await client.PostAsJsonAsync("/api/v1/wmo/provisions",
            new { bsn = Ouder, gemeente = "0344", productcategorie = "02", begindatum = "2022-01-01", toewijzingNummer = "T1" }, Ct)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        await Ok(client.PostAsJsonAsync($"/api/v1/wmo/provisions/{wmo.GetProperty("provisionId").GetGuid()}/end", new { einddatum = "2023-06-30", redenBeeindiging = "19" }, Ct));
        await Ok(client.PutAsJsonAsync($"{h}/plan/goals/{Financien}", new { leefgebied = "Financien", omschrijving = "Huurachterstand inlopen", eigenaar = "Ouder" }, Ct));
        await Ok(client.PutAsJsonAsync($"{h}/plan/goals/{Gezondheid}", new { leefgebied = "LichamelijkeGezondheid", omschrijving = "Elke week sporten", eigenaar = "Kind", status = "Lopend" }, Ct));
        await Ok(client.PutAsJsonAsync($"{h}/plan/goals/{Financien}/actions/{Guid.NewGuid()}",
            new { omschrijving = "Betalingsregeling met de verhuurder", eigenaar = "Schuldhulp", status = "Lopend", deadline = "2026-03-01" }, Ct));
        await Ok(client.PostAsJsonAsync($"{h}/plan/goals/{Financien}/conflicts",
            new { conflictsWithGoalId = Gezondheid, gemarkeerdDoor = "Anna", toelichting = "De sportclub kost geld" }, Ct));
        await Ok(client.PostAsJsonAsync($"{h}/involved-parties", new { naam = "Piet Schuldhulp", organisatie = "Kredietbank", domein = "Schuldhulpverlening", regie = false, van = "2025-02-01" }, Ct));
        await Ok(client.PostAsJsonAsync($"{h}/consents", new { gegevenDoor = Kind, ontvanger = "regisseur-bert", wetten = new[] { "Jeugdwet" }, van = "2025-01-01" }, Ct));
        var anna = Host.As(Roles.Regisseur, "0344", "regisseur-anna");
        await Eventually.Get(() => anna.GetFromJsonAsync<System.Text.Json.JsonElement>($"{h}", Ct),
            v => v.GetProperty("combinatie").GetString() == "Jeugd en P-wet" && v.GetProperty("plan").GetArrayLength() == 2
                 && v.GetProperty("toestemmingen").GetArrayLength() == 1 && v.GetProperty("betrokkenen").GetArrayLength() == 1
                 && v.GetProperty("plan")[0].GetProperty("conflicten").GetArrayLength() == 1
                 && v.GetProperty("leden").EnumerateArray().Sum(m => m.GetProperty("voorzieningen").GetArrayLength()) == 3);
    }
}
