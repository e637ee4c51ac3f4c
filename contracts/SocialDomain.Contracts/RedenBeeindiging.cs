using System.Diagnostics.CodeAnalysis;

namespace SocialDomain.Contracts;

/// <summary>
/// Why a provision ended, qualified by its law: 31 is "volgens plan beëindigd" in Jeugd (JZ588)
/// but "verhuizing naar een andere gemeente" in Wmo (WMO588).
/// </summary>
public readonly record struct RedenBeeindiging
{
    /// <summary>Levering is tijdelijk beëindigd: a new start within the same toewijzing may follow.</summary>
    public const string TijdelijkBeeindigd = "20";

    public Law Law { get; }
    public string Code { get; }
    public string Omschrijving => Catalogue[Law, Code];

    private RedenBeeindiging(Law law, string code) => (Law, Code) = (law, code);

    public static bool TryParse(Law law, string? code, out RedenBeeindiging reden, [NotNullWhen(false)] out string? error)
    {
        reden = Catalogue.Contains(law, code, out error) ? new RedenBeeindiging(law, code) : default;
        return error is null;
    }

    public static IReadOnlyDictionary<string, string> Of(Law law) => Catalogue.Of(law);

    public override string ToString() => $"{Law}:{Code}";

    private static readonly LawCodeList Catalogue = new("reden beëindiging", new()
        {
            [Law.Jeugdwet] = new Dictionary<string, string>
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
            },
            [Law.Wmo] = new Dictionary<string, string>
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
            },
            // No iStandaard for the Participatiewet: our own list, in the same two-digit shape.
            [Law.Participatiewet] = new Dictionary<string, string>
            {
                ["02"] = "Overlijden",
                ["20"] = "Tijdelijk beëindigd",
                ["41"] = "Uitstroom naar werk",
                ["42"] = "Andere inkomsten of vermogen",
                ["43"] = "Verhuizing naar een andere gemeente",
                ["44"] = "Bereiken AOW-leeftijd",
                ["45"] = "Re-integratietraject afgerond",
                ["46"] = "Beëindigd door de gemeente",
                ["49"] = "Overige reden",
            },
        });
}
