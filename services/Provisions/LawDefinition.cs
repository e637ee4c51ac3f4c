using SocialDomain.Contracts;

namespace SocialDomain.Provisions;

/// <summary>What makes a law service the service of one law.</summary>
/// <param name="Service">The service's name, also its PostgreSQL schema and SQLite file: "wmo".</param>
/// <param name="Naam">The law's name as people write it: "Wmo 2015".</param>
public sealed record LawDefinition(Law Law, string Service, string Naam)
{
    public IReadOnlyDictionary<string, string> Productcategorieen => Productcategorie.Of(Law);
    public IReadOnlyDictionary<string, string> RedenenBeeindiging => RedenBeeindiging.Of(Law);
}
