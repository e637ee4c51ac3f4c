using System.Globalization;

namespace SocialDomain.Views.Statistics;

public enum RegioNiveau
{
    Land,
    Gemeente,
    Wijk,
}

/// <summary>
/// A region of a table: Nederland (NL01), a gemeente (GM0363) or a wijk (WK036301), with its name. Persons and
/// households whose wijk is not known count in their gemeente's "wijk onbekend" row (WK0363ON), so a gemeente is
/// always the sum of its wijk rows.
/// </summary>
public sealed record Regio(string Code, RegioNiveau Niveau, int Ouder, ushort Gemeente, byte Wijk, string Naam)
{
    public bool WijkOnbekend => Niveau == RegioNiveau.Wijk && Wijk == HouseholdRecord.WijkOnbekend;

    /// <summary>
    /// The key of a gemeente's "wijk onbekend" row. CBS has no code for it; CBS's way with what cannot be placed is a
    /// category of its own in the same dimension, titled "onbekend". The letters ON in the wijk's place keep the row
    /// with its gemeente and never collide with a wijk the platform counts (those are two digits).
    /// </summary>
    public static string WijkOnbekendCode(ushort gemeente) => $"WK{gemeente:D4}ON";
}

/// <summary>A code of the data that the year's code list does not have, and how much of the data carries it.</summary>
/// <param name="Huishoudens">Households that lived there at some time (a move counts once more).</param>
/// <param name="Voorzieningen">Provision periods of that gemeente (for a gemeente code).</param>
/// <param name="GeteldIn">The row where they count: the code itself (an unknown gemeente cannot be placed elsewhere) or the gemeente's "wijk onbekend".</param>
public sealed record OnbekendeCode(string Code, RegioNiveau Niveau, int Huishoudens, int Voorzieningen, string GeteldIn);

/// <summary>
/// The regions of an extract in table order (Nederland, then each gemeente followed by its wijken), and for each
/// household and provision the wijk row it counts in. With the year's <see cref="RegioCodelijst"/> the regions get
/// their names, and codes not in the list are reported (<see cref="OnbekendeCodes"/>): a wijk not in the list of its
/// (known) gemeente counts under that gemeente's "wijk onbekend"; a gemeente not in the list keeps its code and its
/// wijken, as nothing better is known, and is reported.
/// </summary>
public sealed class RegioIndeling
{
    private readonly VerhuizingRecord[] _verhuizingen;
    private readonly int[] _verhuizingRegio;

    private RegioIndeling(Regio[] regios, int[][] kinderen, int[] huishoudenRegio, int[] voorzieningRegio,
        VerhuizingRecord[] verhuizingen, int[] verhuizingRegio, RegioCodelijst? codelijst, OnbekendeCode[] onbekend)
    {
        Regios = regios;
        Kinderen = kinderen;
        HuishoudenRegio = huishoudenRegio;
        VoorzieningRegio = voorzieningRegio;
        _verhuizingen = verhuizingen;
        _verhuizingRegio = verhuizingRegio;
        Codelijst = codelijst;
        OnbekendeCodes = onbekend;
    }

    public IReadOnlyList<Regio> Regios { get; }

    /// <summary>The regions that add up to region r: the gemeenten of Nederland, the wijken of a gemeente.</summary>
    public IReadOnlyList<int[]> Kinderen { get; }

    /// <summary>The code list the regions were checked against; null when they were not.</summary>
    public RegioCodelijst? Codelijst { get; }

    /// <summary>The codes of the extract the code list does not have, in code order; empty without a code list.</summary>
    public IReadOnlyList<OnbekendeCode> OnbekendeCodes { get; }

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

    /// <summary>The regions as the extract has them, unchecked, with names made of their codes.</summary>
    public static RegioIndeling Van(StatisticsExtract extract) => Van(extract, null);

    public static RegioIndeling Van(StatisticsExtract extract, RegioCodelijst? codelijst)
    {
        var onbekend = new SortedDictionary<string, OnbekendeCode>(StringComparer.Ordinal);
        // A wijk the list does not have counts as "wijk onbekend" of its gemeente, when the list knows that gemeente.
        byte Wijk(ushort gemeente, byte wijk, int huishoudens)
        {
            if (codelijst is null) return wijk;
            if (!codelijst.KentGemeente(gemeente))
            {
                Meld(onbekend, $"GM{gemeente:D4}", RegioNiveau.Gemeente, huishoudens, 0, $"GM{gemeente:D4}");
                return wijk;
            }
            if (wijk == HouseholdRecord.WijkOnbekend || codelijst.KentWijk(gemeente, wijk)) return wijk;
            Meld(onbekend, $"WK{gemeente:D4}{wijk:D2}", RegioNiveau.Wijk, huishoudens, 0, Regio.WijkOnbekendCode(gemeente));
            return HouseholdRecord.WijkOnbekend;
        }

        var huishoudenWijk = new byte[extract.Huishoudens.Length];
        for (var i = 0; i < huishoudenWijk.Length; i++)
            huishoudenWijk[i] = Wijk(extract.Huishoudens[i].Gemeente, extract.Huishoudens[i].Wijk, 1);
        var verhuizingWijk = new byte[extract.Verhuizingen.Length];
        for (var i = 0; i < verhuizingWijk.Length; i++)
            verhuizingWijk[i] = Wijk(extract.Huishoudens[extract.Verhuizingen[i].Huishouden].Gemeente, extract.Verhuizingen[i].Wijk, 1);
        if (codelijst is not null)
            foreach (var v in extract.Voorzieningen)
                if (!codelijst.KentGemeente(v.Gemeente))
                    Meld(onbekend, $"GM{v.Gemeente:D4}", RegioNiveau.Gemeente, 0, 1, $"GM{v.Gemeente:D4}");

        // Every (gemeente, wijk) pair that occurs, as a key gemeente * 256 + wijk: a gemeentecode has four digits, so a
        // plain array of all keys (10 MB) is the fastest map from a record to its row.
        var index = new int[10_000 * 256];
        for (var i = 0; i < huishoudenWijk.Length; i++) index[extract.Huishoudens[i].Gemeente * 256 + huishoudenWijk[i]] = 1;
        for (var i = 0; i < verhuizingWijk.Length; i++) index[extract.Huishoudens[extract.Verhuizingen[i].Huishouden].Gemeente * 256 + verhuizingWijk[i]] = 1;
        foreach (var v in extract.Voorzieningen) index[v.Gemeente * 256 + HouseholdRecord.WijkOnbekend] = 1;

        var regios = new List<Regio> { new("NL01", RegioNiveau.Land, -1, 0, 0, "Nederland") };
        var kinderen = new List<List<int>> { new() };
        for (var g = 0; g < 10_000; g++)
        {
            var gm = -1;
            var gemeente = (ushort)g;
            // Wijk 255, "wijk onbekend", comes after the known wijken.
            for (var wijk = 0; wijk < 256; wijk++)
            {
                var sleutel = g * 256 + wijk;
                if (index[sleutel] == 0) continue;
                var code = g.ToString("D4", CultureInfo.InvariantCulture);
                var gemeenteNaam = codelijst?.GemeenteNaam(gemeente) is { Length: > 0 } naam ? naam : $"Gemeente {code}";
                if (gm < 0)
                {
                    gm = regios.Count;
                    regios.Add(new Regio("GM" + code, RegioNiveau.Gemeente, 0, gemeente, 0, gemeenteNaam));
                    kinderen.Add([]);
                    kinderen[0].Add(gm);
                }
                index[sleutel] = regios.Count;
                kinderen[gm].Add(regios.Count);
                regios.Add(wijk == HouseholdRecord.WijkOnbekend
                    ? new Regio(Regio.WijkOnbekendCode(gemeente), RegioNiveau.Wijk, gm, gemeente, (byte)wijk, $"{gemeenteNaam}, wijk onbekend")
                    : new Regio($"WK{code}{wijk:D2}", RegioNiveau.Wijk, gm, gemeente, (byte)wijk,
                        codelijst?.WijkNaam(gemeente, (byte)wijk) ?? $"{gemeenteNaam}, wijk {wijk:D2}"));
                kinderen.Add([]);
            }
        }
        var huishoudenRegio = new int[extract.Huishoudens.Length];
        for (var i = 0; i < huishoudenRegio.Length; i++)
            huishoudenRegio[i] = index[extract.Huishoudens[i].Gemeente * 256 + huishoudenWijk[i]];
        var voorzieningRegio = new int[extract.Voorzieningen.Length];
        for (var i = 0; i < voorzieningRegio.Length; i++)
            voorzieningRegio[i] = index[extract.Voorzieningen[i].Gemeente * 256 + HouseholdRecord.WijkOnbekend];
        var verhuizingRegio = new int[extract.Verhuizingen.Length];
        for (var i = 0; i < verhuizingRegio.Length; i++)
            verhuizingRegio[i] = index[extract.Huishoudens[extract.Verhuizingen[i].Huishouden].Gemeente * 256 + verhuizingWijk[i]];
        return new RegioIndeling([.. regios], [.. kinderen.Select(k => k.ToArray())], huishoudenRegio, voorzieningRegio,
            extract.Verhuizingen, verhuizingRegio, codelijst, [.. onbekend.Values]);
    }

    private static void Meld(SortedDictionary<string, OnbekendeCode> onbekend, string code, RegioNiveau niveau, int huishoudens, int voorzieningen, string geteldIn) =>
        onbekend[code] = onbekend.TryGetValue(code, out var eerder)
            ? eerder with { Huishoudens = eerder.Huishoudens + huishoudens, Voorzieningen = eerder.Voorzieningen + voorzieningen }
            : new OnbekendeCode(code, niveau, huishoudens, voorzieningen, geteldIn);
}
