using SocialDomain.Contracts;

namespace SocialDomain.Provisions;

/// <summary>What makes a law service the service of one law.</summary>
/// <param name="Service">The service's name, also its PostgreSQL schema and SQLite file: "wmo".</param>
/// <param name="Naam">The law's name as people write it: "Wmo 2015".</param>
/// <param name="Leeftijd">Who the law is for by age, checked when a birth date is known.</param>
public sealed record LawDefinition(Law Law, string Service, string Naam, AgeRule Leeftijd)
{
    public IReadOnlyDictionary<string, string> Productcategorieen => Productcategorie.Of(Law);
    public IReadOnlyDictionary<string, string> RedenenBeeindiging => RedenBeeindiging.Of(Law);
}

/// <summary>
/// Eligibility sanity by age at the begindatum: refuse what the law cannot allow, warn where it is exceptional.
/// A bound is inclusive-exclusive: <c>RefuseFrom: 23</c> refuses a client who has turned 23.
/// </summary>
public sealed record AgeRule(int? RefuseBelow = null, int? WarnBelow = null, int? WarnFrom = null, int? RefuseFrom = null,
    string RefuseReason = "", string WarnReason = "")
{
    public static int AgeOn(DateOnly geboortedatum, DateOnly date)
    {
        var age = date.Year - geboortedatum.Year;
        return date < geboortedatum.AddYears(age) ? age - 1 : age;
    }

    /// <returns>A refusal, a warning, or neither.</returns>
    public (string? Refusal, string? Warning) Check(int age) =>
        age < RefuseBelow || age >= RefuseFrom ? ($"Client is {age} at the begindatum: {RefuseReason}", null)
        : age < WarnBelow || age >= WarnFrom ? (null, $"Client is {age} at the begindatum: {WarnReason}")
        : (null, null);
}
