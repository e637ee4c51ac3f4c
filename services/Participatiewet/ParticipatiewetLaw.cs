using SocialDomain.Contracts;
using SocialDomain.Provisions;

namespace SocialDomain.Participatiewet;

/// <summary>
/// Bijstand (granted to a leefeenheid, recorded on the recipient's BSN) and re-integratie. No iStandaard exists:
/// data goes through Suwinet, so the productcategorieën are our own catalogue.
/// </summary>
public static class ParticipatiewetLaw
{
    public static readonly LawDefinition Definition = new(Law.Participatiewet, "participatiewet", "Participatiewet",
        new AgeRule(RefuseBelow: 18, WarnFrom: 67,
            RefuseReason: "the Participatiewet provides for people of 18 and older.",
            WarnReason: "bijstand is for people below the AOW age; check the AOW date."));
}
