using SocialDomain.Contracts;

namespace SocialDomain.Views.Statistics;

/// <summary>
/// The rows of a stacking table ("soort voorziening"): the total, the 7 law combinations, the 3 laws and every
/// productcategorie. A combination's index is its <see cref="LawSet"/> value (1..7), so a person's set of laws is
/// its own row number, and a law's bit in the set is the law's own number.
/// </summary>
public static class Soorten
{
    public const int Totaal = 0;
    public const int EersteWet = 8;
    public const int EersteCategorie = 11;

    /// <summary>Every productcategorie of every law; a category's place here is its number in an extract.</summary>
    public static readonly IReadOnlyList<Productcategorie> Categorieen =
        [.. Enum.GetValues<Law>().SelectMany(law => Productcategorie.Of(law).Keys.Order(StringComparer.Ordinal).Select(code => Productcategorie.Parse(law, code)))];

    private static readonly Dictionary<Productcategorie, byte> CategorieNummers =
        Categorieen.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => checked((byte)x.i));

    public static int Count { get; } = EersteCategorie + Categorieen.Count;

    /// <summary>The combinations in the order CBS publishes them.</summary>
    public static readonly IReadOnlyList<LawSet> Combinaties =
    [
        LawSet.Jeugdwet, LawSet.Wmo, LawSet.Participatiewet,
        LawSet.Jeugdwet | LawSet.Wmo, LawSet.Jeugdwet | LawSet.Participatiewet, LawSet.Participatiewet | LawSet.Wmo,
        LawSet.Jeugdwet | LawSet.Wmo | LawSet.Participatiewet,
    ];

    /// <summary>The rows in publication order: total, combinations, laws, categories.</summary>
    public static readonly IReadOnlyList<int> Volgorde =
        [Totaal, .. Combinaties.Select(c => (int)c), .. Enumerable.Range(EersteWet, 3), .. Enumerable.Range(EersteCategorie, Categorieen.Count)];

    public static byte CategorieNummer(Productcategorie categorie) => CategorieNummers[categorie];

    public static int Wet(Law law) => EersteWet + (int)law;

    public static int Categorie(int nummer) => EersteCategorie + nummer;

    public static bool IsCategorie(int soort) => soort >= EersteCategorie;

    public static string Naam(int soort) => soort switch
    {
        Totaal => "Totaal",
        < EersteWet => ((LawSet)soort).CbsLabel(),
        < EersteCategorie => ((Law)(soort - EersteWet)).ToString(),
        _ => $"{Categorieen[soort - EersteCategorie].Law} {Categorieen[soort - EersteCategorie].Code} {Categorieen[soort - EersteCategorie].Naam}",
    };

    /// <summary>
    /// The additive relations between rows of one region, each with its total first: the total is the sum of the 7
    /// combinations; a law's row is the sum of the 4 combinations that contain it; and so the total is also that law
    /// plus the 3 combinations without it. The last kind follows from the first two, but listing it lets the simple
    /// rule "never one suppressed cell in a relation" see it. Categories add up to nothing: one person can have several.
    /// </summary>
    public static readonly IReadOnlyList<int[]> Relaties =
    [
        [Totaal, .. Combinaties.Select(c => (int)c)],
        .. Enum.GetValues<Law>().Select(law => (int[])[Wet(law), .. Combinaties.Where(c => c.HasFlag(law.ToSet())).Select(c => (int)c)]),
        .. Enum.GetValues<Law>().Select(law => (int[])[Totaal, Wet(law), .. Combinaties.Where(c => !c.HasFlag(law.ToSet())).Select(c => (int)c)]),
    ];
}
