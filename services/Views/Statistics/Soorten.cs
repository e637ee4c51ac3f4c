using SocialDomain.Contracts;

namespace SocialDomain.Views.Statistics;

/// <summary>
/// The rows of a stacking table ("soort voorziening"): the total, every combination of laws, every law and every
/// productcategorie, all from the registered <see cref="Laws"/>. A combination's index is its <see cref="LawSet.Bits"/>
/// (1..2^N−1), so a person's set of laws is its own row number, and a law's bit in the set is the law's own number.
/// With three laws: combinations 1..7, laws 8..10, categories from 11.
/// </summary>
public static class Soorten
{
    public const int Totaal = 0;
    public static readonly int EersteWet = 1 << Laws.All.Count;
    public static readonly int EersteCategorie = EersteWet + Laws.All.Count;

    /// <summary>Every productcategorie of every law; a category's place here is its number in an extract.</summary>
    public static readonly IReadOnlyList<Productcategorie> Categorieen =
        [.. Laws.All.SelectMany(law => law.Productcategorieen.Keys.Order(StringComparer.Ordinal).Select(code => Productcategorie.Parse(law.Law, code)))];

    private static readonly Dictionary<Productcategorie, byte> CategorieNummers =
        Categorieen.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => checked((byte)x.i));

    public static int Count { get; } = EersteCategorie + Categorieen.Count;

    /// <summary>The combinations in the order CBS publishes them: by number of laws, then by bits.</summary>
    public static readonly IReadOnlyList<LawSet> Combinaties =
        [.. Enumerable.Range(1, EersteWet - 1).Select(bits => new LawSet(bits)).OrderBy(c => c.LawCount()).ThenBy(c => c.Bits)];

    /// <summary>The rows in publication order: total, combinations, laws, categories.</summary>
    public static readonly IReadOnlyList<int> Volgorde =
        [Totaal, .. Combinaties.Select(c => c.Bits), .. Enumerable.Range(EersteWet, Laws.All.Count), .. Enumerable.Range(EersteCategorie, Categorieen.Count)];

    public static byte CategorieNummer(Productcategorie categorie) => CategorieNummers[categorie];

    public static int Wet(Law law) => EersteWet + Laws.IndexOf(law);

    public static int Categorie(int nummer) => EersteCategorie + nummer;

    public static bool IsCategorie(int soort) => soort >= EersteCategorie;

    public static string Naam(int soort) =>
        soort == Totaal ? "Totaal"
        : soort < EersteWet ? new LawSet(soort).CbsLabel()
        : soort < EersteCategorie ? Laws.All[soort - EersteWet].Law.ToString()
        : $"{Categorieen[soort - EersteCategorie].Law} {Categorieen[soort - EersteCategorie].Code} {Categorieen[soort - EersteCategorie].Naam}";

    /// <summary>
    /// The key of a row in the table's SoortVoorziening dimension, as StatLine keys its categories: stable across
    /// tables and years, and made of the laws' and categories' own names so that a new law gets keys of its own.
    /// <c>T001</c> the total, <c>C_JEUGDWET_WMO</c> a combination ("alleen" these laws), <c>W_WMO</c> a law,
    /// <c>P_WMO_01</c> a productcategorie.
    /// </summary>
    public static string Sleutel(int soort) =>
        soort == Totaal ? "T001"
        : soort < EersteWet ? "C_" + string.Join('_', new LawSet(soort).Members().Select(Sleutel).Order(StringComparer.Ordinal))
        : soort < EersteCategorie ? "W_" + Sleutel(Laws.All[soort - EersteWet].Law)
        : $"P_{Sleutel(Categorieen[soort - EersteCategorie].Law)}_{Categorieen[soort - EersteCategorie].Code}";

    private static string Sleutel(Law law) => new([.. law.ToString().ToUpperInvariant().Where(char.IsAsciiLetterOrDigit)]);

    /// <summary>What a row counts, in a sentence for the table's metadata.</summary>
    public static string Omschrijving(int soort) =>
        soort == Totaal ? "Met minstens één maatwerkvoorziening, van welke wet ook."
        : soort < EersteWet ? $"Met voorzieningen van precies deze wetten: {string.Join(", ", new LawSet(soort).Members().Select(l => Laws.Of(l).Naam))}."
        : soort < EersteCategorie ? $"Met minstens één voorziening van de {Laws.All[soort - EersteWet].Naam}, eventueel naast andere wetten."
        : $"Met minstens één voorziening van productcategorie {Categorieen[soort - EersteCategorie].Code} ({Categorieen[soort - EersteCategorie].Naam}) van de {Laws.Of(Categorieen[soort - EersteCategorie].Law).Naam}.";

    /// <summary>
    /// The additive relations between rows of one region, each with its total first: the total is the sum of the
    /// combinations; a law's row is the sum of the combinations that contain it; and so the total is also that law
    /// plus the combinations without it. The last kind follows from the first two, but listing it lets the simple
    /// rule "never one suppressed cell in a relation" see it. Categories add up to nothing: one person can have several.
    /// </summary>
    public static readonly IReadOnlyList<int[]> Relaties =
    [
        [Totaal, .. Combinaties.Select(c => c.Bits)],
        .. Laws.All.Select(law => (int[])[Wet(law.Law), .. Combinaties.Where(c => c.Contains(law.Law)).Select(c => c.Bits)]),
        .. Laws.All.Select(law => (int[])[Totaal, Wet(law.Law), .. Combinaties.Where(c => !c.Contains(law.Law)).Select(c => c.Bits)]),
    ];
}
