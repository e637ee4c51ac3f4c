using System.Collections.Frozen;

namespace SocialDomain.Contracts;

/// <summary>Who a law is for; the 18-/18+ transition is from a law for the young to one for adults.</summary>
public enum Doelgroep
{
    Jeugd,
    Volwassenen,
    Iedereen,
}

/// <summary>What every consumer needs to know of a law, defined by the law itself and registered with <see cref="Laws"/>.</summary>
/// <param name="Naam">The law's name as people write it: "Wmo 2015".</param>
/// <param name="Kort">The short label CBS uses in its tables, such as P-wet; combinations are built from it.</param>
/// <param name="Productcategorieen">Code to name; a code means something only within its law.</param>
/// <param name="RedenenBeeindiging">Code to omschrijving; every list has <see cref="RedenBeeindiging.TijdelijkBeeindigd"/>.</param>
public sealed record LawDescription(Law Law, string Naam, string Kort, Doelgroep Doelgroep,
    IReadOnlyDictionary<string, string> Productcategorieen, IReadOnlyDictionary<string, string> RedenenBeeindiging)
{
    // Read on every event a consumer shows or counts, and never changed.
    public IReadOnlyDictionary<string, string> Productcategorieen { get; } = Productcategorieen.ToFrozenDictionary();
    public IReadOnlyDictionary<string, string> RedenenBeeindiging { get; } = RedenenBeeindiging.ToFrozenDictionary();
}
