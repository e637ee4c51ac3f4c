using SocialDomain.Contracts;
using SocialDomain.Provisions.IStandaarden;

namespace SocialDomain.Provisions;

/// <summary>What makes a law service the service of one law; each law's folder defines its own.</summary>
/// <param name="Description">What every consumer knows of the law: names, doelgroep, code lists.</param>
/// <param name="Service">The service's name, also its PostgreSQL schema and SQLite file: "wmo".</param>
/// <param name="Leeftijd">Who the law is for by age, checked when a birth date is known.</param>
/// <param name="IStandaard">The law's iStandaard, when it has one: then its service takes messages at /berichten.</param>
public sealed record LawDefinition(LawDescription Description, string Service, AgeRule Leeftijd, IStandaard? IStandaard)
{
    public Law Law => Description.Law;

    /// <summary>The law's name as people write it: "Wmo 2015".</summary>
    public string Naam => Description.Naam;

    public IReadOnlyDictionary<string, string> Productcategorieen => Description.Productcategorieen;
    public IReadOnlyDictionary<string, string> RedenenBeeindiging => Description.RedenenBeeindiging;
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
