using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>The regisseur's workplace (docs/regisseur.md) in a real headless Chromium, at a desktop's and a phone's width.</summary>
public sealed class RegisseurPageTests : RegisseurPageHost
{
    [Fact]
    public async Task A_regisseur_chooses_a_purpose_before_any_read_and_sees_her_household_whole_from_the_worklist()
    {
        await AHousehold();
        var before = (await AccessLogOf("regisseur-anna")).Count;
        var page = await NewPage();
        await page.GotoAsync("/regisseur");
        await page.FillAsync("#token", TokenOf("regisseur-anna"));
        await page.ClickAsync("#token-formulier button[type=submit]");

        await Assertions.Expect(page.Locator("#wie-tekst")).ToHaveTextAsync("regisseur-anna · regisseur · gemeente 0344");
        (await page.InputValueAsync("#token")).ShouldBeEmpty("the token does not stay on the screen");
        await Assertions.Expect(page.Locator("#token-formulier")).ToBeHiddenAsync();
        (await page.InputValueAsync("#doel")).ShouldBeEmpty("the purpose is never chosen for the user");
        await Assertions.Expect(page.Locator("#werk")).ToBeHiddenAsync();
        (await AccessLogOf("regisseur-anna")).Count.ShouldBe(before, "nothing is read before a purpose is chosen");

        await page.SelectOptionAsync("#doel", "Signaal opvolgen");
        await page.ClickAsync("#doel-formulier button[type=submit]");
        await Assertions.Expect(page.Locator("#lijst-kop")).ToHaveTextAsync("Mijn huishoudens");
        await Assertions.Expect(page.Locator("#werklijst li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#werklijst li")).ToContainTextAsync("Wijk WK034401 · 2 leden");
        await page.ClickAsync("#werklijst button");

        await Assertions.Expect(page.Locator("#hh-kop")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#hh-feiten")).ToContainTextAsync("Jeugd en P-wet");
        await Assertions.Expect(page.Locator("#hh-feiten")).ToContainTextAsync("Anna de Regisseur");
        await Assertions.Expect(page.Locator(".signaal").First).ToContainTextAsync("meer dan één wet");
        // Ages from the birth dates, and the child's 18th birthday marked on its rows.
        await Assertions.Expect(page.Locator($".lid[data-bsn='{Ouder}'] h4")).ToHaveTextAsync($"ouder, {Leeftijd(new DateOnly(1985, 3, 1))} jaar");
        await Assertions.Expect(page.Locator($".lid[data-bsn='{Kind}'] h4")).ToHaveTextAsync("kind, 17 jaar");
        await Assertions.Expect(page.Locator($".lid[data-bsn='{Kind}'] .lid-feiten")).ToContainTextAsync("wordt 18 op");
        await Assertions.Expect(page.Locator($".lid[data-bsn='{Kind}'] .achttien")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator($".lid[data-bsn='{Ouder}'] .achttien")).ToHaveCountAsync(0);
        // A date axis with years, the peildatum as a line on every track, one bar per period.
        (await page.Locator(".as .tik.jaar span").AllTextContentsAsync()).ShouldContain("2024");
        await Assertions.Expect(page.Locator(".spoor .peillijn")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator(".balk.Jeugdwet")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".balk.Wmo.afgelopen")).ToHaveCountAsync(1);
        // Enum values by their Dutch names; consents with who, which laws and since when.
        await Assertions.Expect(page.Locator("#plan h4")).ToHaveTextAsync(["Financiën", "Lichamelijke gezondheid"]);
        await Assertions.Expect(page.Locator("#plan")).ToContainTextAsync("Betalingsregeling met de verhuurder — Schuldhulp · Loopt · uiterlijk 1 maart 2026");
        await Assertions.Expect(page.Locator("#plan .conflict").First).ToContainTextAsync("Botst met “Elke week sporten” (Lichamelijke gezondheid): De sportclub kost geld");
        await Assertions.Expect(page.Locator("#toestemmingen tbody tr")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"kind, BSN {Kind}\\s*regisseur-bert\\s*Jeugdwet\\s*1 januari 2025\\s*tot intrekking"));
        await Assertions.Expect(page.Locator("#afgeschermd")).ToHaveTextAsync("U ziet alle voorzieningen van alle leden.");
        await Assertions.Expect(page.Locator("#betrokkenen")).ToContainTextAsync("Schuldhulpverlening");

        var log = (await AccessLogOf("regisseur-anna")).SkipLast(before).ToList();
        log.ShouldNotBeEmpty();
        log.ShouldAllBe(e => e.GetProperty("doelbinding").GetString() == "Signaal opvolgen", "every read carries the purpose chosen");

        await page.ClickAsync("#afmelden");
        await Assertions.Expect(page.Locator("#token-formulier")).ToBeVisibleAsync();
        (await page.EvaluateAsync<string?>("sessionStorage.getItem('token')")).ShouldBeNull("logout forgets the token");
        await Assertions.Expect(page.Locator("#werk")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_token_the_server_does_not_accept_is_told_in_Dutch_and_forgotten()
    {
        var page = await NewPage();
        await page.GotoAsync("/regisseur");
        await page.FillAsync("#token", Tokens.Issue(Convert.ToBase64String(new byte[48]), "regisseur-anna", Roles.Regisseur, "0344", TimeSpan.FromHours(1)));
        await page.PressAsync("#token", "Enter");

        await Assertions.Expect(page.Locator("#melding")).ToHaveTextAsync("Dit toegangstoken wordt niet (meer) geaccepteerd. Meld u opnieuw aan.");
        await Assertions.Expect(page.Locator("#token")).ToBeFocusedAsync();
        (await page.InputValueAsync("#token")).ShouldBeEmpty();
        (await page.EvaluateAsync<string?>("sessionStorage.getItem('token')")).ShouldBeNull();
        await Assertions.Expect(page.Locator("#doel-paneel")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_past_peildatum_keeps_every_bar_inside_its_row_on_the_date_axis()
    {
        await AHousehold();
        var page = await NewPage();
        await LogIn(page, TokenOf("regisseur-anna"));
        await page.ClickAsync("#werklijst button");
        await page.FillAsync("#peildatum", "2015-06-01");
        await page.PressAsync("#peildatum", "Enter");

        await Assertions.Expect(page.Locator("#hh-feiten")).ToContainTextAsync("1 juni 2015");
        var years = await page.Locator(".as .tik.jaar span").AllTextContentsAsync();
        years.ShouldContain("2016");
        years.ShouldContain("2020");
        // Every bar and line lies within its track: left and right edges inside it.
        var outside = await page.EvaluateAsync<int>("""
            [...document.querySelectorAll('.spoor')].flatMap(s => [...s.children].map(c => [s.getBoundingClientRect(), c.getBoundingClientRect()]))
              .filter(([s, c]) => c.left < s.left - 0.5 || c.right > s.right + 0.5).length
            """);
        outside.ShouldBe(0);
        await Assertions.Expect(page.Locator($".lid[data-bsn='{Kind}'] h4")).ToHaveTextAsync($"kind, {Leeftijd(Achttien.AddYears(-18), new DateOnly(2015, 6, 1))} jaar");
    }

    [Fact]
    public async Task Keyboard_alone_searches_opens_the_household_and_edits_a_goal()
    {
        await AHousehold();
        var page = await NewPage();
        await page.GotoAsync("/regisseur");
        await page.FocusAsync("#token");
        await page.Keyboard.InsertTextAsync(TokenOf("regisseur-anna"));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#doel")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("#bsn")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(Kind);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#hh-kop")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#resultaat-kop")).ToHaveTextAsync("Zoekresultaat: 1 huishouden");

        var target = $"doel-wijzigen-{Financien}";
        for (var tabs = 0; tabs < 60 && await ActiveId(page) != target; tabs++) await page.Keyboard.PressAsync("Tab");
        (await ActiveId(page)).ShouldBe(target, "Tab reaches the goal's edit button");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#dialoog")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#veld-leefgebied")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("Huurachterstand in twaalf maanden inlopen");
        for (var tabs = 0; tabs < 6 && await ActiveId(page) != "dialoog-opslaan"; tabs++) await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator($"#doel-{Financien} strong")).ToHaveTextAsync("Huurachterstand in twaalf maanden inlopen");
        await Assertions.Expect(page.Locator("#dialoog")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#" + target)).ToBeFocusedAsync();
        var view = await Host.As(Roles.Regisseur, "0344", "regisseur-anna").GetFromJsonAsync<JsonElement>($"/api/v1/households/{Gezin}", Ct);
        view.GetProperty("plan").EnumerateArray().Select(g => g.GetProperty("omschrijving").GetString()).ShouldContain("Huurachterstand in twaalf maanden inlopen");
    }

    [Fact]
    public async Task A_consent_regisseur_sees_what_is_withheld_and_a_refused_change_and_a_wrong_bsn_are_told_in_Dutch()
    {
        await AHousehold();
        var page = await NewPage();
        await LogIn(page, TokenOf("regisseur-bert"));
        await Assertions.Expect(page.Locator("#lijst-uitleg")).ToHaveTextAsync("U heeft nu van geen huishouden de regie.");

        await page.FillAsync("#bsn", "123456789");
        await page.PressAsync("#bsn", "Enter");
        await Assertions.Expect(page.Locator("#resultaat-kop")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#zoekresultaat")).ToContainTextAsync("BSN: Een BSN bestaat uit negen cijfers en voldoet aan de 11-proef.");

        await page.FillAsync("#bsn", Kind);
        await page.PressAsync("#bsn", "Enter");
        await Assertions.Expect(page.Locator("#afgeschermd")).ToContainTextAsync($"kind (BSN {Kind}): u ziet alleen Jeugdwet; afgeschermd: Wmo 2015 en Participatiewet.");
        await Assertions.Expect(page.Locator("#afgeschermd")).ToContainTextAsync($"ouder (BSN {Ouder}): u ziet geen voorzieningen; afgeschermd: Jeugdwet, Wmo 2015 en Participatiewet.");
        await Assertions.Expect(page.Locator(".balk")).ToHaveCountAsync(1);

        await page.ClickAsync("#doel-toevoegen");
        await page.SelectOptionAsync("#veld-leefgebied", "Huisvesting");
        await page.FillAsync("#veld-omschrijving", "Een grotere woning");
        await page.FillAsync("#veld-eigenaar", "Ouder");
        await page.ClickAsync("#dialoog-opslaan");
        await Assertions.Expect(page.Locator("#dialoog-melding")).ToHaveTextAsync("Alleen de regisseur van het huishouden mag het plan wijzigen.");
    }

    [Fact]
    public async Task Every_form_changes_the_household_through_the_api()
    {
        await AHousehold();
        var page = await NewPage();
        await LogIn(page, TokenOf("regisseur-anna"), "Gezinsplan opstellen of bijwerken");
        await page.ClickAsync("#werklijst button");

        await page.ClickAsync($"#actie-toevoegen-{Gezondheid}");
        await page.FillAsync("#veld-omschrijving", "Lidmaatschap via het jeugdfonds");
        await page.FillAsync("#veld-eigenaar", "Anna");
        await page.FillAsync("#veld-deadline", "2027-02-01");
        await page.ClickAsync("#dialoog-opslaan");
        await Assertions.Expect(page.Locator($"#doel-{Gezondheid} .acties")).ToContainTextAsync("Lidmaatschap via het jeugdfonds — Anna · Open · uiterlijk 1 februari 2027");

        await page.ClickAsync($"#botsing-{Gezondheid}");
        await page.SelectOptionAsync("#veld-conflictsWithGoalId", Financien.ToString());
        await page.FillAsync("#veld-toelichting", "Eerst de huur");
        await page.ClickAsync("#dialoog-opslaan");
        await Assertions.Expect(page.Locator($"#doel-{Gezondheid} .conflict")).ToHaveCountAsync(2);

        await page.ClickAsync("#toestemming-toevoegen");
        await page.SelectOptionAsync("#veld-gegevenDoor", Ouder);
        await page.FillAsync("#veld-ontvanger", "regisseur-carla");
        await page.CheckAsync("input[name=wetten][value=Wmo]");
        await page.CheckAsync("input[name=wetten][value=Participatiewet]");
        await page.ClickAsync("#dialoog-opslaan");
        await Assertions.Expect(page.Locator("#toestemmingen tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#toestemmingen")).ToContainTextAsync("Wmo 2015 en Participatiewet");

        await page.ClickAsync("#toestemmingen button[aria-label='Intrekken: toestemming aan regisseur-bert']");
        await page.FillAsync("#veld-per", DateOnly.FromDateTime(DateTime.Today).AddDays(-1).ToString("yyyy-MM-dd"));
        await page.ClickAsync("#dialoog-opslaan");
        await Assertions.Expect(page.Locator("#toestemmingen tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#toestemmingen")).Not.ToContainTextAsync("regisseur-bert");

        await page.ClickAsync("#betrokkene-toevoegen");
        await page.FillAsync("#veld-naam", "Joke Leerplicht");
        await page.FillAsync("#veld-organisatie", "Gemeente Utrecht");
        await page.SelectOptionAsync("#veld-domein", "Leerplicht");
        await page.ClickAsync("#dialoog-opslaan");
        await Assertions.Expect(page.Locator("#betrokkenen tbody tr")).ToHaveCountAsync(2);

        // A form left incomplete is not sent: it says what is missing.
        await page.ClickAsync("#doel-toevoegen");
        await page.ClickAsync("#dialoog-opslaan");
        await Assertions.Expect(page.Locator("#dialoog-melding")).ToHaveTextAsync("Leefgebied: vul dit in. Omschrijving: vul dit in. Eigenaar (het gezinslid of de partij die het doel draagt): vul dit in.");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("#doel-toevoegen")).ToBeFocusedAsync();

        var view = await Host.As(Roles.Regisseur, "0344", "regisseur-anna").GetFromJsonAsync<JsonElement>($"/api/v1/households/{Gezin}", Ct);
        view.GetProperty("toestemmingen").EnumerateArray().ShouldHaveSingleItem().GetProperty("ontvanger").GetString().ShouldBe("regisseur-carla");
        view.GetProperty("betrokkenen").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task The_regisseur_hands_the_regie_over_and_the_household_leaves_her_worklist()
    {
        await AHousehold();
        var page = await NewPage();
        await LogIn(page, TokenOf("regisseur-anna"), "Overdracht van de regie");
        await page.ClickAsync("#werklijst button");
        await page.ClickAsync("#regie-overdragen");
        await page.FillAsync("#veld-regisseurId", "regisseur-anna");
        await page.FillAsync("#veld-naam", "Anna de Regisseur");
        await page.ClickAsync("#dialoog-opslaan");
        await Assertions.Expect(page.Locator("#dialoog-melding")).ToHaveTextAsync("Deze regisseur heeft de regie al.");

        await page.FillAsync("#veld-regisseurId", "regisseur-bert");
        await page.FillAsync("#veld-naam", "Bert Jansen");
        await page.ClickAsync("#dialoog-opslaan");
        await Assertions.Expect(page.Locator("#melding")).ToContainTextAsync("De regie is overgedragen.");
        await Assertions.Expect(page.Locator("#huishouden")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#werklijst li")).ToHaveCountAsync(0);

        var bert = await NewPage();
        await LogIn(bert, TokenOf("regisseur-bert"));
        await Assertions.Expect(bert.Locator("#werklijst li")).ToContainTextAsync("regie: Bert Jansen");
    }

    [Fact]
    public async Task A_teamleider_sees_the_gemeentes_households_with_signals()
    {
        await AHousehold();
        var page = await NewPage();
        await LogIn(page, TokenOf("teamleider-dirk", Roles.Teamleider), "Werkvoorraad bijhouden");
        await Assertions.Expect(page.Locator("#lijst-kop")).ToHaveTextAsync("Huishoudens met signalen");
        await Assertions.Expect(page.Locator("#werklijst li")).ToContainTextAsync("regie: Anna de Regisseur");
        await Assertions.Expect(page.Locator("#werklijst li")).ToContainTextAsync("Openen kan met de regie of een toestemming.");
    }

    /// <summary>
    /// Desktop and phone widths: no horizontal scrolling, and axe-core finds nothing on the login, the household and
    /// an open form. The screenshots go to SDP_SCREENSHOTS when set (docs/screenshots in the repository).
    /// </summary>
    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 360, 780)]
    [InlineData("phone-390", 390, 844)]
    public async Task The_page_fits_the_width_and_axe_core_finds_no_violation(string name, int width, int height)
    {
        await AHousehold();
        var page = await NewPage(width, height);
        await page.GotoAsync("/regisseur");
        await Assertions.Expect(page.Locator("#token-formulier")).ToBeVisibleAsync();
        await FitsAndIsClean(page, "login");
        await page.FillAsync("#token", TokenOf("regisseur-anna"));
        await page.ClickAsync("#token-formulier button[type=submit]");
        await Assertions.Expect(page.Locator("#doel")).ToBeFocusedAsync();
        await FitsAndIsClean(page, "purpose");
        await page.SelectOptionAsync("#doel", "Keukentafelgesprek");
        await page.ClickAsync("#doel-formulier button[type=submit]");
        await page.ClickAsync("#werklijst button");
        await Assertions.Expect(page.Locator(".balk").First).ToBeVisibleAsync();
        await FitsAndIsClean(page, "household");
        if (Environment.GetEnvironmentVariable("SDP_SCREENSHOTS") is { Length: > 0 } folder && name != "phone-390")
        {
            Directory.CreateDirectory(folder);
            // The phone's: the household from its heading down through the timeline.
            var top = await page.EvaluateAsync<float>("document.getElementById('hh-kop').getBoundingClientRect().top + scrollY - 8");
            await page.ScreenshotAsync(new()
            {
                Path = Path.Combine(folder, $"regisseur-{name}.png"), FullPage = true,
                Clip = name == "desktop" ? null : new() { X = 0, Y = top, Width = width, Height = 1400 },
            });
        }
        await page.ClickAsync($"#actie-toevoegen-{Financien}");
        await Assertions.Expect(page.Locator("#dialoog")).ToBeVisibleAsync();
        await FitsAndIsClean(page, "form");
    }

    private static async Task FitsAndIsClean(IPage page, string state)
    {
        var (scroll, inner) = (await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth"), await page.EvaluateAsync<int>("innerWidth"));
        scroll.ShouldBeLessThanOrEqualTo(inner, $"no horizontal scrolling on the {state} screen");
        var result = await page.RunAxe();
        result.Violations.ShouldBeEmpty(string.Join("\n", result.Violations.Select(v =>
            $"{state}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    private static Task<string?> ActiveId(IPage page) => page.EvaluateAsync<string?>("document.activeElement && document.activeElement.id");

    private static int Leeftijd(DateOnly geboren, DateOnly? op = null)
    {
        var peil = op ?? DateOnly.FromDateTime(DateTime.Today);
        return peil.Year - geboren.Year - (peil < geboren.AddYears(peil.Year - geboren.Year) ? 1 : 0);
    }

    private async Task<List<JsonElement>> AccessLogOf(string user)
    {
        var page = await (await Host.Client.PostAsJsonAsync("/api/v1/access-log/zoeken", new { userId = user, pageSize = 500 }, Ct))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(Ct);
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}
