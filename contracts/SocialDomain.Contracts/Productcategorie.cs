using System.Diagnostics.CodeAnalysis;

namespace SocialDomain.Contracts;

/// <summary>
/// A product category, always qualified by its law: the same code means different things per law
/// (Jeugd JZ020, Wmo WMO020; the Participatiewet has no iStandaard, so its catalogue is our own).
/// </summary>
public readonly record struct Productcategorie
{
    public Law Law { get; }
    public string Code { get; }
    public string Naam => Catalogue[Law, Code];

    private Productcategorie(Law law, string code) => (Law, Code) = (law, code);

    public static Productcategorie Parse(Law law, string code) =>
        TryParse(law, code, out var categorie, out var error) ? categorie : throw new FormatException(error);

    public static bool TryParse(Law law, string? code, out Productcategorie categorie, [NotNullWhen(false)] out string? error)
    {
        categorie = Catalogue.Contains(law, code, out error) ? new Productcategorie(law, code) : default;
        return error is null;
    }

    public static IReadOnlyDictionary<string, string> Of(Law law) => Catalogue.Of(law);

    /// <summary>
    /// For showing a code that came in an event: its name, or the code itself when this build does not know it, so a
    /// consumer behind a newer code list shows what it has instead of failing.
    /// </summary>
    public static string NaamOf(Law law, string code) => Catalogue.NameOrCode(law, code);

    public override string ToString() => $"{Law}:{Code}";

    private static readonly LawCodeList Catalogue = new("productcategorie", new()
        {
            [Law.Jeugdwet] = new Dictionary<string, string>
            {
                ["31"] = "Jeugdhulp zonder verblijf: wijkteam",
                ["32"] = "Jeugdhulp zonder verblijf: ambulant",
                ["33"] = "Jeugdhulp zonder verblijf: daghulp",
                ["34"] = "Jeugdhulp zonder verblijf: in netwerk",
                ["35"] = "Jeugdhulp met verblijf: pleegzorg",
                ["36"] = "Jeugdhulp met verblijf: gezinsgericht",
                ["37"] = "Jeugdhulp met verblijf: gesloten",
                ["38"] = "Jeugdhulp met verblijf: overig residentieel",
                ["40"] = "Persoonlijke verzorging",
                ["41"] = "Dagbehandeling",
                ["42"] = "Vervoer",
                ["43"] = "Verblijf inclusief behandeling",
                ["44"] = "Verblijf exclusief behandeling",
                ["45"] = "Ambulant",
                ["46"] = "Crisis",
                ["47"] = "Jeugdreclassering",
                ["48"] = "Jeugdbescherming",
                ["49"] = "Preventief justitieel",
                ["50"] = "Maatwerkarrangementen",
                ["51"] = "Generalistische basis-ggz",
                ["52"] = "Specialistische ggz",
                ["53"] = "Kindergeneeskunde",
                ["54"] = "Jeugd-ggz",
                ["55"] = "Landelijk ingekocht",
            },
            [Law.Wmo] = new Dictionary<string, string>
            {
                ["01"] = "Hulp bij het huishouden",
                ["02"] = "Begeleiding",
                ["03"] = "Persoonlijke verzorging",
                ["04"] = "Kortdurend verblijf",
                ["05"] = "Woondiensten",
                ["06"] = "Overige individuele ondersteuning",
                ["07"] = "Dagbesteding",
                ["08"] = "Vervoerdiensten",
                ["09"] = "Overige groepsgerichte ondersteuning",
                ["10"] = "Overige maatwerkarrangementen",
                ["11"] = "Rolstoelen",
                ["12"] = "Vervoervoorzieningen",
                ["13"] = "Woonvoorzieningen",
                ["14"] = "Overige hulpmiddelen",
                ["15"] = "Beschermd wonen",
                ["16"] = "Opvang",
                ["17"] = "Spoedopvang",
                ["18"] = "Overige beschermd wonen en opvang",
            },
            [Law.Participatiewet] = new Dictionary<string, string>
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
        });
}
