using System.Diagnostics.CodeAnalysis;

namespace SocialDomain.Contracts;

/// <summary>
/// A product category, always qualified by its law: the same code means different things per law
/// (JZ020 in one law, WMO020 in another); the lists are the laws' own, see <see cref="LawDescription"/>.
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

    private static readonly LawCodeList Catalogue = new("productcategorie", law => law.Productcategorieen);
}
