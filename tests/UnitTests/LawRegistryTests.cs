using System.Text.Json;
using SocialDomain.Contracts;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Views;
using SocialDomain.Views.Statistics;
using SocialDomain.Wmo;

namespace SocialDomain.UnitTests;

public class LawRegistryTests
{
    private static readonly Law Onbekend = new("Onbekendewet");
    private static readonly Gemeentecode Utrecht = Gemeentecode.Parse("0344");
    private static readonly Bsn Client = Bsn.Parse("999990019");

    [Fact]
    public void A_law_goes_over_the_wire_as_its_plain_name_as_stored_events_have_it()
    {
        JsonSerializer.Serialize(new { law = JeugdwetLaw.Law }).ShouldBe("""{"law":"Jeugdwet"}""");
        JsonSerializer.Deserialize<Law>("\"Wmo\"").ShouldBe(WmoLaw.Law);
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<Law>("\"Wmo 2015\""));
    }

    [Fact]
    public void The_platform_laws_keep_the_order_of_the_former_enum()
    {
        Laws.All.Select(l => l.Law).ShouldBe([JeugdwetLaw.Law, WmoLaw.Law, ParticipatiewetLaw.Law]);
        new[] { ParticipatiewetLaw.Law, Onbekend, JeugdwetLaw.Law, WmoLaw.Law }.Order()
            .ShouldBe([JeugdwetLaw.Law, WmoLaw.Law, ParticipatiewetLaw.Law, Onbekend]);
        Laws.IndexOf(Onbekend).ShouldBe(-1);
        Laws.TryFind("jeugdwet", out var found).ShouldBeTrue();
        found.ShouldBe(JeugdwetLaw.Law);
    }

    [Fact]
    public void Registering_is_idempotent_but_closed_once_the_laws_are_in_use()
    {
        _ = Laws.All;

        Laws.Register(WmoLaw.Description);
        Should.Throw<InvalidOperationException>(() => Laws.Register(WmoLaw.Description with { Kort = "W" }));
        Should.Throw<InvalidOperationException>(() => Laws.Register(WmoLaw.Description with { Law = Onbekend }))
            .Message.ShouldContain("before first use");
    }

    [Fact]
    public void With_three_laws_the_statistics_rows_are_what_they_were()
    {
        Soorten.Combinaties.Select(c => c.Bits).ShouldBe([1, 2, 4, 3, 5, 6, 7]);
        Soorten.Combinaties.Select(c => c.CbsLabel()).ShouldBe(
            ["Alleen Jeugd", "Alleen Wmo", "Alleen P-wet", "Jeugd en Wmo", "Jeugd en P-wet", "P-wet en Wmo", "Jeugd, P-wet en Wmo"]);
        (Soorten.EersteWet, Soorten.EersteCategorie).ShouldBe((8, 11));
        new[] { JeugdwetLaw.Law, WmoLaw.Law, ParticipatiewetLaw.Law }.Select(Soorten.Wet).ShouldBe([8, 9, 10]);
        Soorten.Naam(10).ShouldBe("Participatiewet");
        Soorten.Categorieen[0].ShouldBe(Productcategorie.Parse(JeugdwetLaw.Law, "31"));
        Soorten.Volgorde.Take(11).ShouldBe([0, 1, 2, 4, 3, 5, 6, 7, 8, 9, 10]);
    }

    [Fact]
    public void A_provision_of_a_law_this_build_does_not_know_is_shown_but_not_counted_in_the_combination()
    {
        var id = Guid.NewGuid();
        IProvisionEvent[] events =
        [
            new ProvisionStarted(Guid.NewGuid(), $"provision-{id}", 1, DateTimeOffset.UtcNow, Utrecht, Onbekend, id, Client, "X1", null, null,
                new DateOnly(2025, 1, 1), null),
            new ProvisionStarted(Guid.NewGuid(), $"provision-{Guid.NewGuid()}", 1, DateTimeOffset.UtcNow, Utrecht, WmoLaw.Law, Guid.NewGuid(), Client,
                "02", null, null, new DateOnly(2025, 1, 1), null),
        ];

        var stacking = PersonStacking.At(ProvisionFold.Fold(events), new DateOnly(2025, 6, 1));

        stacking.Active.Select(p => p.Law).ShouldBe([WmoLaw.Law, Onbekend]);
        stacking.Combinatie.ShouldBe("Alleen Wmo");
        Productcategorie.NaamOf(Onbekend, "X1").ShouldBe("X1");
        Productcategorie.TryParse(Onbekend, "X1", out _, out var error).ShouldBeFalse();
        error.ShouldContain("not a law this build knows");
    }
}
