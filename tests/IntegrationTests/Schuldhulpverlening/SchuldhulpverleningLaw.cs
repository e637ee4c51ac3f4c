using SocialDomain.Contracts;
using SocialDomain.Provisions;

namespace SocialDomain.IntegrationTests.Schuldhulpverlening;

/// <summary>
/// A fourth law that exists only in the tests (Wet gemeentelijke schuldhulpverlening): the proof that a law is a
/// folder of its own. Nothing outside this file names it; the module initializer registers it beside the platform's.
/// </summary>
public static class SchuldhulpverleningLaw
{
    public static readonly Law Law = new("Schuldhulpverlening");

    public static readonly LawDescription Description = new(Law, "Wet gemeentelijke schuldhulpverlening", "Schuldhulp", Doelgroep.Volwassenen,
        Productcategorieen: new Dictionary<string, string>
        {
            ["SH01"] = "Schuldhulpverlening (integraal)",
            ["SH02"] = "Budgetbeheer",
            ["SH03"] = "Stabilisatie en nazorg",
        },
        RedenenBeeindiging: new Dictionary<string, string>
        {
            ["02"] = "Overlijden",
            [RedenBeeindiging.TijdelijkBeeindigd] = "Tijdelijk beëindigd",
            ["51"] = "Schuldenvrij",
            ["52"] = "Voortijdig beëindigd",
        });

    public static readonly LawDefinition Definition = new(Description, "schuldhulpverlening",
        new AgeRule(RefuseBelow: 18, RefuseReason: "schuldhulpverlening is for people of 18 and older."),
        IStandaard: null);
}
