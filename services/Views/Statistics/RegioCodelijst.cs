using System.Globalization;
using System.Text.RegularExpressions;

namespace SocialDomain.Views.Statistics;

/// <summary>
/// The year's gemeenten and wijken with their names: CBS's "Wijk- en buurtindeling" (or the "Kerncijfers wijken en
/// buurten" file), read from a CSV in CBS's own shape so that the real file can be used as downloaded. The columns are
/// found by name, in any order and case: <c>GM_CODE</c>/<c>gemeentecode</c>, <c>GM_NAAM</c>/<c>gemeentenaam</c>,
/// <c>WK_CODE</c>/<c>wijkcode</c>, <c>WK_NAAM</c>/<c>wijknaam</c>; others (buurten, figures) are ignored, and a row per
/// buurt repeats its wijk harmlessly. Separator <c>;</c>, <c>,</c> or tab; codes with or without their GM/WK prefix.
/// Wijk codes with letters (which some gemeenten have) are read but can never match a platform wijk, which is digits.
/// </summary>
public sealed partial class RegioCodelijst
{
    private readonly Dictionary<ushort, string> _gemeenten = [];
    private readonly Dictionary<(ushort Gemeente, byte Wijk), string> _wijken = [];

    private RegioCodelijst(int jaar, string bron)
    {
        Jaar = jaar;
        Bron = bron;
    }

    /// <summary>The year of the indeling: codes change when gemeenten merge or a gemeente redraws its wijken.</summary>
    public int Jaar { get; }

    /// <summary>Where the list was read from (a file name), for the table's metadata.</summary>
    public string Bron { get; }

    public int AantalGemeenten => _gemeenten.Count;

    public int AantalWijken => _wijken.Count;

    public bool KentGemeente(ushort gemeente) => _gemeenten.ContainsKey(gemeente);

    public bool KentWijk(ushort gemeente, byte wijk) => _wijken.ContainsKey((gemeente, wijk));

    public string? GemeenteNaam(ushort gemeente) => _gemeenten.GetValueOrDefault(gemeente);

    /// <summary>The wijk's name, or null when the list has the wijk without a name, or not at all.</summary>
    public string? WijkNaam(ushort gemeente, byte wijk) => _wijken.TryGetValue((gemeente, wijk), out var naam) && naam.Length > 0 ? naam : null;

    /// <summary>Reads a file; the year is <paramref name="jaar"/>, else the year in the file's name (CBS names its files by year).</summary>
    public static RegioCodelijst Lees(string pad, int? jaar = null)
    {
        if (jaar is null && Jaartal().Match(Path.GetFileName(pad)) is { Success: true } match)
            jaar = int.Parse(match.Value, CultureInfo.InvariantCulture);
        if (jaar is null) throw new InvalidDataException($"{Path.GetFileName(pad)}: the file's name has no year; name the year of the indeling.");
        using var reader = new StreamReader(pad, detectEncodingFromByteOrderMarks: true);
        return Lees(reader, Path.GetFileName(pad), jaar.Value);
    }

    public static RegioCodelijst Lees(TextReader reader, string bron, int jaar)
    {
        var kop = reader.ReadLine() ?? throw new InvalidDataException($"{bron} is empty.");
        var scheiding = new[] { ';', '\t', ',' }.MaxBy(c => kop.Count(x => x == c));
        var kolommen = Velden(kop, scheiding).Select(Normaal).ToList();
        int Kolom(params string[] namen) => kolommen.FindIndex(namen.Contains);
        var gmCode = Kolom("gmcode", "gemeentecode");
        var gmNaam = Kolom("gmnaam", "gemeentenaam");
        var wkCode = Kolom("wkcode", "wijkcode");
        var wkNaam = Kolom("wknaam", "wijknaam");
        if (gmCode < 0 && wkCode < 0) throw new InvalidDataException($"{bron}: no column GM_CODE (gemeentecode) or WK_CODE (wijkcode) in its first line.");

        var lijst = new RegioCodelijst(jaar, bron);
        var regelnummer = 1;
        for (var regel = reader.ReadLine(); regel is not null; regel = reader.ReadLine())
        {
            regelnummer++;
            if (regel.Trim().Length == 0) continue;
            var velden = Velden(regel, scheiding);
            string Veld(int i) => i >= 0 && i < velden.Count ? velden[i].Trim() : "";
            ushort? gemeente = Veld(gmCode) is { Length: > 0 } gm ? Gemeente(gm, bron, regelnummer) : null;
            if (Veld(wkCode) is { Length: > 0 } wk)
            {
                var cijfers = wk.StartsWith("WK", StringComparison.OrdinalIgnoreCase) ? wk[2..] : wk;
                if (cijfers.Length != 6) throw new InvalidDataException($"{bron} line {regelnummer}: '{wk}' is not a wijkcode (WK + 6 positions).");
                gemeente ??= Gemeente(cijfers[..4], bron, regelnummer);
                if (byte.TryParse(cijfers.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var wijk))
                    lijst._wijken[(gemeente.Value, wijk)] = Veld(wkNaam);
            }
            if (gemeente is { } g && (!lijst._gemeenten.TryGetValue(g, out var bekend) || bekend.Length == 0))
                lijst._gemeenten[g] = Veld(gmNaam);
        }
        return lijst;
    }

    private static ushort Gemeente(string code, string bron, int regel)
    {
        var cijfers = code.StartsWith("GM", StringComparison.OrdinalIgnoreCase) ? code[2..] : code;
        return ushort.TryParse(cijfers, NumberStyles.None, CultureInfo.InvariantCulture, out var g) && g is > 0 and <= 9999
            ? g : throw new InvalidDataException($"{bron} line {regel}: '{code}' is not a gemeentecode (GM + 4 digits).");
    }

    private static string Normaal(string kolom) => new([.. kolom.Trim().Trim('\uFEFF').ToLowerInvariant().Where(char.IsLetterOrDigit)]);

    /// <summary>One line's fields; a field may be quoted (CBS quotes every field in some downloads).</summary>
    internal static List<string> Velden(string regel, char scheiding)
    {
        var velden = new List<string>();
        var veld = new System.Text.StringBuilder();
        var tussenAanhalingstekens = false;
        for (var i = 0; i < regel.Length; i++)
        {
            var c = regel[i];
            if (c == '"')
            {
                if (tussenAanhalingstekens && i + 1 < regel.Length && regel[i + 1] == '"') veld.Append(regel[++i]);
                else tussenAanhalingstekens = !tussenAanhalingstekens;
            }
            else if (c == scheiding && !tussenAanhalingstekens)
            {
                velden.Add(veld.ToString());
                veld.Clear();
            }
            else veld.Append(c);
        }
        velden.Add(veld.ToString());
        return velden;
    }

    [GeneratedRegex("(19|20)[0-9]{2}")]
    private static partial Regex Jaartal();
}
