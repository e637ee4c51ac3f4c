using System.Diagnostics.CodeAnalysis;

namespace SocialDomain.Contracts;

/// <summary>
/// Why a provision ended, qualified by its law: 31 is "volgens plan beëindigd" in one law (JZ588)
/// but "verhuizing naar een andere gemeente" in another (WMO588).
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

    private static readonly LawCodeList Catalogue = new("reden beëindiging", law => law.RedenenBeeindiging);
}
