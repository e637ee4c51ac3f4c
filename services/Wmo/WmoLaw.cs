using SocialDomain.Contracts;
using SocialDomain.Provisions;

namespace SocialDomain.Wmo;

/// <summary>Support at home, hulpmiddelen, beschermd wonen and opvang: productcategorieën WMO020, redenen WMO588.</summary>
public static class WmoLaw
{
    public static readonly LawDefinition Definition = new(Law.Wmo, "wmo", "Wmo 2015",
        new AgeRule(WarnBelow: 18,
            WarnReason: "the Wmo serves adults; a minor only in exceptional cases."));
}
