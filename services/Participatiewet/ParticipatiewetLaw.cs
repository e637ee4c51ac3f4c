using SocialDomain.Contracts;
using SocialDomain.Provisions;

namespace SocialDomain.Participatiewet;

/// <summary>
/// Bijstand (granted to a leefeenheid, recorded on the recipient's BSN) and re-integratie. No iStandaard exists:
/// data goes through Suwinet, so the productcategorieën and redenen beëindiging are our own catalogue.
/// </summary>
public static class ParticipatiewetLaw
{
    public static readonly Law Law = new("Participatiewet");

    public static readonly LawDescription Description = new(Law, "Participatiewet", "P-wet", Doelgroep.Volwassenen,
        Productcategorieen: new Dictionary<string, string>
        {
            ["PW01"] = "Algemene bijstand (levensonderhoud)",
            ["PW02"] = "IOAW",
            ["PW03"] = "IOAZ",
            ["PW04"] = "Bbz",
            ["PW05"] = "Bijzondere bijstand",
            ["PW06"] = "Loonkostensubsidie",
            ["PW07"] = "Beschut werk",
            ["PW08"] = "Jobcoaching",
            ["PW09"] = "Overige re-integratievoorziening",
        },
        // Our own list, in the two-digit shape of the iStandaarden.
        RedenenBeeindiging: new Dictionary<string, string>
        {
            ["02"] = "Overlijden",
            ["20"] = "Tijdelijk beëindigd",
            ["41"] = "Uitstroom naar werk",
            ["42"] = "Andere inkomsten of vermogen",
            ["43"] = "Verhuizing naar een andere gemeente",
            ["44"] = "Bereiken AOW-leeftijd",
            ["45"] = "Re-integratietraject afgerond",
            ["46"] = "Beëindigd door de gemeente",
            ["49"] = "Overige reden",
        });

    public static readonly LawDefinition Definition = new(Description, "participatiewet",
        new AgeRule(RefuseBelow: 18, WarnFrom: 67,
            RefuseReason: "the Participatiewet provides for people of 18 and older.",
            WarnReason: "bijstand is for people below the AOW age; check the AOW date."),
        IStandaard: null);
}
