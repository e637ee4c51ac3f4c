using SocialDomain.Contracts;
using SocialDomain.Provisions;

namespace SocialDomain.Jeugdwet;

/// <summary>Jeugdhulp, jeugdbescherming and jeugdreclassering: productcategorieën JZ020, redenen JZ588.</summary>
public static class JeugdwetLaw
{
    public static readonly LawDefinition Definition = new(Law.Jeugdwet, "jeugdwet", "Jeugdwet",
        new AgeRule(WarnFrom: 18, RefuseFrom: 23,
            RefuseReason: "jeugdhulp ends at 23 at the latest (verlengde jeugdhulp).",
            WarnReason: "only as verlengde jeugdhulp, from 18 up to 23."));
}
