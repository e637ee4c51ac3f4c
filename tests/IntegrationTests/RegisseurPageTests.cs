using System.Net.Http.Json;
using Microsoft.Playwright;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>The regisseur's web page in a real headless Chromium (Debian's package, driven by Playwright).</summary>
public sealed class RegisseurPageTests : EmbeddedPlatformTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly Guid Gezin = Guid.Parse("7a000000-0000-4000-8000-000000000001");

    [Fact]
    public async Task A_regisseur_logs_in_finds_the_household_by_bsn_and_sees_it_whole()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: apt-get install -y chromium (./test.sh installs it).");
        await AHousehold();
        var token = Tokens.Issue(RunningHost.SigningKey, "regisseur-anna", Roles.Regisseur, "0344", TimeSpan.FromHours(1));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            // The machine has no network beyond loopback: keep Chromium from reaching out.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new() { BaseURL = Host.Address.ToString() });

        await page.GotoAsync("/regisseur");
        await page.FillAsync("#token", token);
        await page.ClickAsync("#login-button");
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("regisseur-anna (regisseur, gemeente 0344)");
        await page.FillAsync("#bsn", "999990019");
        await page.ClickAsync("#search-button");

        await Assertions.Expect(page.Locator("#combinatie")).ToHaveTextAsync("Jeugd en P-wet");
        await Assertions.Expect(page.Locator("#regisseur")).ToHaveTextAsync("Anna de Regisseur");
        await Assertions.Expect(page.Locator(".signal").First).ToContainTextAsync("meer dan één wet");
        await Assertions.Expect(page.Locator("#leden tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".bar.Jeugdwet")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".bar.Participatiewet")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#plan")).ToContainTextAsync("Huurachterstand inlopen");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "regisseur-page.png"), FullPage = true });

        await page.FillAsync("#bsn", "123456789");
        await page.ClickAsync("#search-button");
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("11-proef");
    }

    private async Task AHousehold()
    {
        async Task Ok(Task<HttpResponseMessage> call) => (await call).EnsureSuccessStatusCode();
        await Ok(Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/members", new { bsn = "111222333", gemeente = "0344", rol = "Ouder", van = "2010-01-01", wijk = "WK034401" }, Ct));
        await Ok(Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/members", new { bsn = "999990019", gemeente = "0344", rol = "Kind", van = "2010-01-01" }, Ct));
        await Ok(Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/regisseur", new { regisseurId = "regisseur-anna", naam = "Anna de Regisseur", van = "2025-01-01" }, Ct));
        await Ok(Client.PostAsJsonAsync("/api/v1/jeugdwet/provisions", new { bsn = "999990019", gemeente = "0344", productcategorie = "45", begindatum = "2024-01-01" }, Ct));
        await Ok(Client.PostAsJsonAsync("/api/v1/participatiewet/provisions", new { bsn = "111222333", gemeente = "0344", productcategorie = "PW01", begindatum = "2025-01-01" }, Ct));
        await Ok(Client.PutAsJsonAsync($"/api/v1/households/{Gezin}/plan/goals/{Guid.NewGuid()}",
            new { leefgebied = "Financien", omschrijving = "Huurachterstand inlopen", eigenaar = "Ouder" }, Ct));
        var regisseur = Host.As(Roles.Regisseur, "0344", "regisseur-anna");
        await Eventually.Get(() => regisseur.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/households/{Gezin}", Ct),
            v => v.GetProperty("combinatie").GetString() == "Jeugd en P-wet" && v.GetProperty("plan").GetArrayLength() == 1);
    }
}
