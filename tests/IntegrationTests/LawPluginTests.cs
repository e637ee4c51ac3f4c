using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SocialDomain.IntegrationTests.Schuldhulpverlening;
using SocialDomain.Platform;
using SocialDomain.Provisions;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// A law is a plug-in: the test-only Schuldhulpverlening, hosted beside the platform's laws, gets its own service,
/// its own code lists and age rule, and takes part in stacking and the household view, with no change to shared code.
/// </summary>
public sealed class LawPluginTests : EmbeddedPlatformTests
{
    private const string Ouder = "111222333";
    private static readonly Guid Gezin = Guid.Parse("6f1c1c1e-0000-4000-8000-0000000000a4");

    protected override IReadOnlyList<LawDefinition> HostedLaws => [.. PlatformLaws.All, SchuldhulpverleningLaw.Definition];

    [Fact]
    public async Task A_fourth_law_starts_provisions_under_its_own_code_list()
    {
        var response = await Client.PostAsJsonAsync("/api/v1/schuldhulpverlening/provisions",
            new { bsn = Ouder, gemeente = "0344", productcategorie = "SH02", begindatum = "2025-02-01", geboortedatum = "1985-05-05" }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var provision = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        provision.GetProperty("law").GetString().ShouldBe("Schuldhulpverlening");
        provision.GetProperty("productcategorieNaam").GetString().ShouldBe("Budgetbeheer");
    }

    [Fact]
    public async Task Its_age_rule_and_its_code_list_refuse_what_the_law_cannot_allow()
    {
        var minor = await Client.PostAsJsonAsync("/api/v1/schuldhulpverlening/provisions",
            new { bsn = Ouder, gemeente = "0344", productcategorie = "SH01", begindatum = "2025-02-01", geboortedatum = "2010-05-05" }, Ct);
        var wmoCode = await Client.PostAsJsonAsync("/api/v1/schuldhulpverlening/provisions",
            new { bsn = Ouder, gemeente = "0344", productcategorie = "01", begindatum = "2025-02-01" }, Ct);

        (await ShouldBeProblem(minor, HttpStatusCode.BadRequest)).ToString().ShouldContain("18 and older");
        (await ShouldBeProblem(wmoCode, HttpStatusCode.BadRequest)).ToString().ShouldContain("SH01, SH02, SH03");
    }

    [Fact]
    public async Task Without_an_iStandaard_it_takes_no_messages()
    {
        using var body = new StringContent("<Bericht/>", Encoding.UTF8, "application/xml");

        var response = await Client.PostAsync("/api/v1/schuldhulpverlening/berichten", body, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task It_stacks_with_the_other_laws_under_its_own_CBS_label()
    {
        await Start("schuldhulpverlening", new { bsn = Ouder, gemeente = "0344", productcategorie = "SH01", begindatum = "2025-01-01" });
        await Start("wmo", new { bsn = Ouder, gemeente = "0344", productcategorie = "02", begindatum = "2025-03-01" });

        var stacking = await Eventually.Get(() => Stacking(Ouder, "2025-06-01"), s => s.GetProperty("combinatie").GetString() == "Schuldhulp en Wmo");

        stacking.GetProperty("gestapeld").GetBoolean().ShouldBeTrue();
        stacking.GetProperty("laws").EnumerateArray().Select(l => l.GetString()).ShouldBe(["Wmo", "Schuldhulpverlening"]);
        stacking.GetProperty("provisionsPerLaw").GetProperty("Schuldhulpverlening")[0]
            .GetProperty("productcategorieNaam").GetString().ShouldBe("Schuldhulpverlening (integraal)");
    }

    [Fact]
    public async Task The_regisseur_sees_it_in_the_household()
    {
        var feed = Host.As(Roles.Aanleverancier, "0344", "brp-koppeling");
        (await feed.PostAsJsonAsync($"/api/v1/households/{Gezin}/members",
            new { bsn = Ouder, gemeente = "0344", rol = "Ouder", van = "2010-01-01", geboortedatum = "1985-05-05" }, Ct)).IsSuccessStatusCode.ShouldBeTrue();
        (await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/regisseur",
            new { regisseurId = "regisseur-anna", naam = "Anna de Regisseur", van = "2025-01-01" }, Ct)).IsSuccessStatusCode.ShouldBeTrue();
        await Start("schuldhulpverlening", new { bsn = Ouder, gemeente = "0344", productcategorie = "SH03", begindatum = "2025-01-01" });
        var regisseur = Host.As(Roles.Regisseur, "0344", "regisseur-anna");

        var view = await Eventually.Get(() => regisseur.GetFromJsonAsync<JsonElement>($"/api/v1/households/{Gezin}?date=2025-06-01", Ct),
            v => v.GetProperty("combinatie").GetString() == "Alleen Schuldhulp");

        var provision = view.GetProperty("leden")[0].GetProperty("voorzieningen")[0];
        provision.GetProperty("law").GetString().ShouldBe("Schuldhulpverlening");
        provision.GetProperty("productcategorieNaam").GetString().ShouldBe("Stabilisatie en nazorg");
    }
}
