using System.Globalization;

namespace SocialDomain.Views.Statistics;

public enum RegioNiveau
{
    Land,
    Gemeente,
    Wijk,
}

/// <summary>
/// A region of a table: Nederland (NL01), a gemeente (GM0363) or a wijk (WK036301). Persons and households whose
/// wijk is not known count in their gemeente's "wijk onbekend" row, code WK0363ON, so a gemeente is always the sum
/// of its wijk rows.
/// </summary>
public sealed record Regio(string Code, RegioNiveau Niveau, int Ouder, ushort Gemeente, byte Wijk)
{
    public bool WijkOnbekend => Niveau == RegioNiveau.Wijk && Wijk == HouseholdRecord.WijkOnbekend;

    /// <summary>
    /// The key of a gemeente's "wijk onbekend" row: CBS has no code for it, and CBS's own wijk codes are digits, so
    /// the letters ON (onbekend) in the wijk's place can never be a real wijk, while the prefix keeps it with its gemeente.
    /// </summary>
    public static string WijkOnbekendCode(ushort gemeente) => $"WK{gemeente:D4}ON";

    public string Naam => Niveau switch
    {
        RegioNiveau.Land => "Nederland",
        RegioNiveau.Gemeente => $"Gemeente {Gemeente:D4}",
        _ => WijkOnbekend ? $"Gemeente {Gemeente:D4}, wijk onbekend" : $"Gemeente {Gemeente:D4}, wijk {Wijk:D2}",
    };
}

/// <summary>
/// The regions of an extract in table order (Nederland, then each gemeente followed by its wijken), and for each
/// household and provision the wijk row it counts in.
/// </summary>
public sealed class RegioIndeling
{
    private readonly VerhuizingRecord[] _verhuizingen;
    private readonly int[] _verhuizingRegio;

    private RegioIndeling(Regio[] regios, int[][] kinderen, int[] huishoudenRegio, int[] voorzieningRegio,
        VerhuizingRecord[] verhuizingen, int[] verhuizingRegio)
    {
        Regios = regios;
        Kinderen = kinderen;
        HuishoudenRegio = huishoudenRegio;
        VoorzieningRegio = voorzieningRegio;
        _verhuizingen = verhuizingen;
        _verhuizingRegio = verhuizingRegio;
    }

    public IReadOnlyList<Regio> Regios { get; }

    /// <summary>The regions that add up to region r: the gemeenten of Nederland, the wijken of a gemeente.</summary>
    public IReadOnlyList<int[]> Kinderen { get; }

    /// <summary>The wijk row (possibly "wijk onbekend") of each household of the extract at its first known address.</summary>
    internal int[] HuishoudenRegio { get; }

    /// <summary>The wijk row of each household on a day: its first address, changed by every move up to that day.</summary>
    internal int[] HuishoudenRegioOp(int dag)
    {
        if (_verhuizingen.Length == 0) return HuishoudenRegio;
        var regio = (int[])HuishoudenRegio.Clone();
        // Sorted by household and date, so a household's last move up to the day is applied last.
        for (var i = 0; i < _verhuizingen.Length; i++)
            if (_verhuizingen[i].Van <= dag) regio[_verhuizingen[i].Huishouden] = _verhuizingRegio[i];
        return regio;
    }

    /// <summary>The "wijk onbekend" row of each provision's gemeente: where a person without a known household counts.</summary>
    internal int[] VoorzieningRegio { get; }

    public int IndexOf(string code)
    {
        for (var i = 0; i < Regios.Count; i++)
            if (Regios[i].Code == code) return i;
        return -1;
    }

    public static RegioIndeling Van(StatisticsExtract extract)
    {
        // Every (gemeente, wijk) pair that occurs, as a key gemeente * 256 + wijk: a gemeentecode has four digits, so a
        // plain array of all keys (10 MB) is the fastest map from a record to its row.
        var index = new int[10_000 * 256];
        foreach (var h in extract.Huishoudens) index[h.Gemeente * 256 + h.Wijk] = 1;
        foreach (var v in extract.Verhuizingen) index[extract.Huishoudens[v.Huishouden].Gemeente * 256 + v.Wijk] = 1;
        foreach (var v in extract.Voorzieningen) index[v.Gemeente * 256 + HouseholdRecord.WijkOnbekend] = 1;

        var regios = new List<Regio> { new("NL01", RegioNiveau.Land, -1, 0, 0) };
        var kinderen = new List<List<int>> { new() };
        for (var g = 0; g < 10_000; g++)
        {
            var gm = -1;
            // Wijk 255, "wijk onbekend", comes after the known wijken.
            for (var wijk = 0; wijk < 256; wijk++)
            {
                var sleutel = g * 256 + wijk;
                if (index[sleutel] == 0) continue;
                var code = g.ToString("D4", CultureInfo.InvariantCulture);
                if (gm < 0)
                {
                    gm = regios.Count;
                    regios.Add(new Regio("GM" + code, RegioNiveau.Gemeente, 0, (ushort)g, 0));
                    kinderen.Add([]);
                    kinderen[0].Add(gm);
                }
                index[sleutel] = regios.Count;
                kinderen[gm].Add(regios.Count);
                regios.Add(new Regio(wijk == HouseholdRecord.WijkOnbekend ? Regio.WijkOnbekendCode((ushort)g) : $"WK{code}{wijk:D2}",
                    RegioNiveau.Wijk, gm, (ushort)g, (byte)wijk));
                kinderen.Add([]);
            }
        }
        var huishoudenRegio = new int[extract.Huishoudens.Length];
        for (var i = 0; i < huishoudenRegio.Length; i++)
            huishoudenRegio[i] = index[extract.Huishoudens[i].Gemeente * 256 + extract.Huishoudens[i].Wijk];
        var voorzieningRegio = new int[extract.Voorzieningen.Length];
        for (var i = 0; i < voorzieningRegio.Length; i++)
            voorzieningRegio[i] = index[extract.Voorzieningen[i].Gemeente * 256 + HouseholdRecord.WijkOnbekend];
        var verhuizingRegio = new int[extract.Verhuizingen.Length];
        for (var i = 0; i < verhuizingRegio.Length; i++)
            verhuizingRegio[i] = index[extract.Huishoudens[extract.Verhuizingen[i].Huishouden].Gemeente * 256 + extract.Verhuizingen[i].Wijk];
        return new RegioIndeling([.. regios], [.. kinderen.Select(k => k.ToArray())], huishoudenRegio, voorzieningRegio,
            extract.Verhuizingen, verhuizingRegio);
    }
}
