using System.Globalization;
using SocialDomain.Contracts;

namespace SocialDomain.Views.Statistics;

/// <summary>The age groups of the population table: the groups the monitor's rates are per.</summary>
public enum Leeftijdsklasse
{
    Totaal,
    Jeugd,
    Volwassen,
    Ouder,
}

/// <summary>
/// The denominators of the rates: inhabitants per region, year and age group, and households per region and year,
/// read from a CSV in the shape of a StatLine download (CBS "Bevolking; geslacht, leeftijd, regio" and "Huishoudens;
/// samenstelling, regio", or the gemeente's own register figures in that shape):
/// <code>
/// ID;RegioS;Perioden;Leeftijd;Inwoners_1;Huishoudens_2
/// 0;GM0363;2025JJ00;Totaal;931298;523000
/// 1;GM0363;2025JJ00;0 tot 18 jaar;150000;
/// </code>
/// Columns are found by name: <c>RegioS</c>, <c>Perioden</c>, <c>Leeftijd</c>, a column whose name starts with
/// <c>Inwoners</c> or <c>Bevolking</c>, and one starting with <c>Huishoudens</c> or <c>ParticuliereHuishoudens</c>
/// (households on the "Totaal" rows; a household has no age). <c>ID</c> and other columns are ignored; codes may be
/// padded with spaces, as StatLine pads them. <c>Perioden</c> <c>2025JJ00</c> (or 2025) is the population on
/// 1 January 2025, the denominator for every period of 2025. A value "." or empty is not known.
/// </summary>
public sealed class Bevolking
{
    public static readonly IReadOnlyDictionary<Leeftijdsklasse, string> Titels = new Dictionary<Leeftijdsklasse, string>
    {
        [Leeftijdsklasse.Totaal] = "Totaal",
        [Leeftijdsklasse.Jeugd] = "0 tot 18 jaar",
        [Leeftijdsklasse.Volwassen] = "18 tot 65 jaar",
        [Leeftijdsklasse.Ouder] = "65 jaar of ouder",
    };

    /// <summary>
    /// Who each law's rate is per, as the Gemeentelijke monitor sociaal domein has it: jeugdhulp per 1,000 young people
    /// under 18, Wmo per 1,000 inhabitants of 18 and over, the Participatiewet per 1,000 of 18 to 65. A law not named
    /// here is per 1,000 inhabitants of all ages.
    /// </summary>
    private static readonly Dictionary<string, Leeftijdsklasse[]> Doelgroepen = new(StringComparer.Ordinal)
    {
        ["Jeugdwet"] = [Leeftijdsklasse.Jeugd],
        ["Wmo"] = [Leeftijdsklasse.Volwassen, Leeftijdsklasse.Ouder],
        ["Participatiewet"] = [Leeftijdsklasse.Volwassen],
    };

    private readonly Dictionary<(string Regio, int Jaar, Leeftijdsklasse Klasse), long> _inwoners = [];
    private readonly Dictionary<(string Regio, int Jaar), long> _huishoudens = [];

    private Bevolking(string bron) => Bron = bron;

    /// <summary>The file it was read from, for the table's metadata.</summary>
    public string Bron { get; }

    /// <summary>The age groups a row's rate is per: its law's (a category's law's), else all ages.</summary>
    public static IReadOnlyList<Leeftijdsklasse> Doelgroep(int soort)
    {
        Law? law = soort == Soorten.Totaal || soort < Soorten.EersteWet ? null
            : soort < Soorten.EersteCategorie ? Laws.All[soort - Soorten.EersteWet].Law
            : Soorten.Categorieen[soort - Soorten.EersteCategorie].Law;
        return law is { } l && Doelgroepen.TryGetValue(l.ToString(), out var klassen) ? klassen : [Leeftijdsklasse.Totaal];
    }

    /// <summary>The inhabitants of the groups together, or null when one of them is not known.</summary>
    public long? Inwoners(string regio, int jaar, IReadOnlyList<Leeftijdsklasse> klassen)
    {
        long som = 0;
        foreach (var klasse in klassen)
        {
            if (_inwoners.TryGetValue((regio, jaar, klasse), out var n)) som += n;
            else if (klasse == Leeftijdsklasse.Totaal && Inwoners(regio, jaar, [Leeftijdsklasse.Jeugd, Leeftijdsklasse.Volwassen, Leeftijdsklasse.Ouder]) is { } delen) som += delen;
            else return null;
        }
        return som;
    }

    public long? Huishoudens(string regio, int jaar) => _huishoudens.TryGetValue((regio, jaar), out var n) ? n : null;

    public static Bevolking Lees(string pad)
    {
        using var reader = new StreamReader(pad, detectEncodingFromByteOrderMarks: true);
        return Lees(reader, Path.GetFileName(pad));
    }

    public static Bevolking Lees(TextReader reader, string bron)
    {
        var kop = reader.ReadLine() ?? throw new InvalidDataException($"{bron} is empty.");
        var scheiding = new[] { ';', '\t', ',' }.MaxBy(c => kop.Count(x => x == c));
        var kolommen = RegioCodelijst.Velden(kop, scheiding).Select(k => k.Trim().Trim('\uFEFF')).ToList();
        int Kolom(Func<string, bool> past, string naam) => kolommen.FindIndex(k => past(k)) is var i and >= 0 ? i
            : throw new InvalidDataException($"{bron}: no column {naam} in its first line ({string.Join(", ", kolommen)}).");
        var regioKolom = Kolom(k => k.Equals("RegioS", StringComparison.OrdinalIgnoreCase), "RegioS");
        var periodeKolom = Kolom(k => k.Equals("Perioden", StringComparison.OrdinalIgnoreCase), "Perioden");
        var leeftijdKolom = Kolom(k => k.Equals("Leeftijd", StringComparison.OrdinalIgnoreCase), "Leeftijd");
        var inwonersKolom = Kolom(k => k.StartsWith("Inwoners", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Bevolking", StringComparison.OrdinalIgnoreCase), "Inwoners");
        var huishoudensKolom = kolommen.FindIndex(k => k.StartsWith("Huishoudens", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("ParticuliereHuishoudens", StringComparison.OrdinalIgnoreCase));
        var klassen = Titels.ToDictionary(t => t.Value, t => t.Key, StringComparer.OrdinalIgnoreCase);

        var bevolking = new Bevolking(bron);
        var regelnummer = 1;
        for (var regel = reader.ReadLine(); regel is not null; regel = reader.ReadLine())
        {
            regelnummer++;
            if (regel.Trim().Length == 0) continue;
            var velden = RegioCodelijst.Velden(regel, scheiding);
            string Veld(int i) => i >= 0 && i < velden.Count ? velden[i].Trim() : "";
            var regio = Veld(regioKolom);
            var periode = Veld(periodeKolom);
            if (regio.Length == 0 || !int.TryParse(periode.AsSpan(0, Math.Min(4, periode.Length)), NumberStyles.None, CultureInfo.InvariantCulture, out var jaar)
                || periode.Length is not (4 or 8) || periode.Length == 8 && periode[4..] != "JJ00")
                throw new InvalidDataException($"{bron} line {regelnummer}: a population row needs a region and a year (2025JJ00), not '{regio}', '{periode}'.");
            if (!klassen.TryGetValue(Veld(leeftijdKolom), out var klasse))
                throw new InvalidDataException($"{bron} line {regelnummer}: Leeftijd is one of {string.Join(", ", Titels.Values.Select(t => $"'{t}'"))}, not '{Veld(leeftijdKolom)}'.");
            if (Aantal(Veld(inwonersKolom), bron, regelnummer) is { } inwoners) bevolking._inwoners[(regio, jaar, klasse)] = inwoners;
            if (klasse == Leeftijdsklasse.Totaal && Aantal(Veld(huishoudensKolom), bron, regelnummer) is { } huishoudens)
                bevolking._huishoudens[(regio, jaar)] = huishoudens;
        }
        return bevolking;
    }

    private static long? Aantal(string veld, string bron, int regel) =>
        veld is "" or "." ? null
        : long.TryParse(veld, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : throw new InvalidDataException($"{bron} line {regel}: '{veld}' is not a count.");
}
