using SocialDomain.Contracts;
using SocialDomain.Provisions;
using SocialDomain.Provisions.IStandaarden;

namespace SocialDomain.Wmo;

/// <summary>Support at home, hulpmiddelen, beschermd wonen and opvang: productcategorieën WMO020, redenen WMO588, berichten iWmo 3.2.</summary>
public static class WmoLaw
{
    public static readonly Law Law = new("Wmo");

    public static readonly LawDescription Description = new(Law, "Wmo 2015", "Wmo", Doelgroep.Volwassenen,
        Productcategorieen: new Dictionary<string, string>
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
        RedenenBeeindiging: new Dictionary<string, string>
        {
            ["02"] = "Overlijden",
            ["19"] = "Levering volgens plan beëindigd",
            ["20"] = "Levering is tijdelijk beëindigd",
            ["21"] = "Levering is eenzijdig door cliënt beëindigd",
            ["22"] = "Levering is eenzijdig door aanbieder beëindigd",
            ["23"] = "Levering is in overeenstemming voortijdig beëindigd",
            ["31"] = "Verhuizing naar een andere gemeente",
            ["36"] = "Geïnitieerd door de gemeente",
            ["37"] = "In verband met wijzigingsverzoek",
            ["38"] = "Overstap naar andere aanbieder",
            ["39"] = "Uitstroom naar ander domein",
        });

    /// <summary>iWmo 3.2: WMO305 (start ondersteuning) and WMO307 (stop ondersteuning), answered by WMO418/419 and WMO420/421.</summary>
    public static readonly IStandaard IStandaard =
        IStandaard.Define(Law, "iwmo", "WMO", [("305", "418", "419"), ("307", "420", "421")], typeof(WmoLaw).Assembly);

    public static readonly LawDefinition Definition = new(Description, "wmo",
        new AgeRule(WarnBelow: 18,
            WarnReason: "the Wmo serves adults; a minor only in exceptional cases."),
        IStandaard);
}
