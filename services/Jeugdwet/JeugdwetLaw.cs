using SocialDomain.Contracts;
using SocialDomain.Provisions;

namespace SocialDomain.Jeugdwet;

/// <summary>Jeugdhulp, jeugdbescherming and jeugdreclassering: productcategorieën JZ020, redenen JZ588.</summary>
public static class JeugdwetLaw
{
    public static readonly LawDefinition Definition = new(Law.Jeugdwet, "jeugdwet", "Jeugdwet");
}
