using SocialDomain.Contracts;
using SocialDomain.Provisions;
using SocialDomain.Provisions.IStandaarden;

namespace SocialDomain.Jeugdwet;

/// <summary>Jeugdhulp, jeugdbescherming and jeugdreclassering: productcategorieën JZ020, redenen JZ588, berichten iJw 3.2.</summary>
public static class JeugdwetLaw
{
    public static readonly Law Law = new("Jeugdwet");

    public static readonly LawDescription Description = new(Law, "Jeugdwet", "Jeugd", Doelgroep.Jeugd,
        Productcategorieen: new Dictionary<string, string>
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
        RedenenBeeindiging: new Dictionary<string, string>
        {
            ["02"] = "Overlijden",
            ["20"] = "Levering is tijdelijk beëindigd",
            ["31"] = "Levering is volgens plan beëindigd",
            ["32"] = "Voortijdig afgesloten: eenzijdig door de cliënt",
            ["33"] = "Voortijdig afgesloten: eenzijdig door de aanbieder",
            ["34"] = "Voortijdig afgesloten: in overeenstemming",
            ["35"] = "Voortijdig afgesloten: wegens externe omstandigheden",
            ["36"] = "Geïnitieerd door de gemeente",
            ["37"] = "In verband met wijzigingsverzoek",
            ["38"] = "Overstap naar andere aanbieder",
            ["39"] = "Uitstroom naar ander domein",
        });

    /// <summary>iJw 3.2: JW305 (start zorg) and JW307 (stop zorg), answered by JW438/JW439 and JW440/JW441.</summary>
    public static readonly IStandaard IStandaard =
        IStandaard.Define(Law, "ijw", "JW", [("305", "438", "439"), ("307", "440", "441")], typeof(JeugdwetLaw).Assembly);

    public static readonly LawDefinition Definition = new(Description, "jeugdwet",
        new AgeRule(WarnFrom: 18, RefuseFrom: 23,
            RefuseReason: "jeugdhulp ends at 23 at the latest (verlengde jeugdhulp).",
            WarnReason: "only as verlengde jeugdhulp, from 18 up to 23."),
        IStandaard);
}
