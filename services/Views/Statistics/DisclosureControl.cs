namespace SocialDomain.Views.Statistics;

/// <summary>
/// Protects a <see cref="StackingTable"/> by <see cref="DisclosureRule"/>: primary suppression, secondary
/// suppression, and rounding of what is published.
/// <para>
/// Secondary suppression works on the table's additive relations (<see cref="Tabelstructuur"/>): per region the total
/// is the sum of the 7 combinations and a law is the sum of its 4 combinations; per row a gemeente is the sum of its
/// wijken and Nederland of its gemeenten. Two steps, repeated until neither adds a cell:
/// </para>
/// <list type="number">
/// <item>No relation may have exactly one suppressed cell (it would be its total minus the others): suppress the
/// smallest other non-zero part too (the total only if no such part is left, a zero part last).</item>
/// <item>Relations together can still give a cell away (a law row and the total share combinations). Per block (a
/// gemeente with its wijken; Nederland with its gemeenten) the relations are solved as a linear system over the
/// suppressed cells; a cell that the system determines gets a further cell of one of its relations suppressed.</item>
/// </list>
/// Blocks share their margins (a gemeente's row is in its own block and in Nederland's), as in the modular method of
/// τ-ARGUS. Because relations of two blocks together can still determine a cell, the whole table is solved once
/// the blocks are settled, and a cell it determines is covered in the same way (step 2 over all relations).
/// </summary>
public static class DisclosureControl
{
    public static ProtectedTable Protect(StackingTable raw, DisclosureRule regel)
    {
        regel.Validate();
        var structuur = new Tabelstructuur(raw.Regios);
        var (personen, personenStatus) = Protect(raw.Personen.ToArray(), structuur, regel);
        var (huishoudens, huishoudensStatus) = Protect(raw.Huishoudens.ToArray(), structuur, regel);
        return new ProtectedTable(raw.Periode, raw.Regios, regel, personen, personenStatus, huishoudens, huishoudensStatus);
    }

    private static (int?[] Waarden, CelStatus[] Status) Protect(int[] waarden, Tabelstructuur structuur, DisclosureRule regel)
    {
        var status = new CelStatus[waarden.Length];
        for (var c = 0; c < waarden.Length; c++)
            if (regel.IsPrimair(waarden[c])) status[c] = CelStatus.Primair;

        var teControleren = Enumerable.Repeat(true, structuur.Blokken.Count).ToArray();
        void Onderdruk(int cel)
        {
            status[cel] = CelStatus.Secundair;
            foreach (var blok in structuur.BlokkenVan(cel)) teControleren[blok] = true;
        }

        while (true)
        {
            var toegevoegd = false;
            for (var doorgaan = true; doorgaan;)
            {
                doorgaan = false;
                foreach (var relatie in structuur.Relaties)
                {
                    var onderdrukt = 0;
                    foreach (var cel in relatie)
                        if (status[cel] != CelStatus.Gepubliceerd) onderdrukt++;
                    if (onderdrukt != 1) continue;
                    var keuze = Kandidaat(relatie, waarden, status);
                    if (keuze < 0) continue;
                    Onderdruk(keuze);
                    doorgaan = toegevoegd = true;
                }
            }

            for (var b = 0; b < structuur.Blokken.Count; b++)
            {
                if (!teControleren[b]) continue;
                teControleren[b] = false;
                var relaties = structuur.Blokken[b].Select(r => structuur.Relaties[r]).ToArray();
                var bepaald = DisclosureAudit.Determined(relaties, status);
                foreach (var cel in bepaald)
                {
                    // An earlier fix in this round may already have covered this cell.
                    if (!DisclosureAudit.Determined(relaties, status).Contains(cel)) continue;
                    Onderdruk(Herstel(structuur, relaties, cel, waarden, status));
                    toegevoegd = true;
                }
            }
            if (toegevoegd) continue;

            // Blocks share their margins, so cells that each block leaves undetermined can still be determined by
            // relations of two blocks together. Rare, so the whole table is solved only once the blocks are settled.
            var alle = structuur.Relaties.ToArray();
            foreach (var cel in DisclosureAudit.Determined(alle, status))
            {
                if (!DisclosureAudit.Determined(alle, status).Contains(cel)) continue;
                Onderdruk(Herstel(structuur, alle, cel, waarden, status));
                toegevoegd = true;
            }
            if (!toegevoegd) break;
        }

        var gepubliceerd = new int?[waarden.Length];
        for (var c = 0; c < waarden.Length; c++)
            gepubliceerd[c] = status[c] == CelStatus.Gepubliceerd ? regel.Rond(waarden[c]) : null;
        return (gepubliceerd, status);
    }

    /// <summary>
    /// The cell to suppress so that a recoverable cell no longer is: the first candidate, in order of preference,
    /// after whose suppression the block's relations no longer determine it. Candidates come from the cell's own
    /// relations first, then from the relations of the suppressed cells it shares a relation with (a law row is
    /// also the total minus the combinations without that law).
    /// </summary>
    private static int Herstel(Tabelstructuur structuur, int[][] relaties, int cel, int[] waarden, CelStatus[] status)
    {
        const int Pogingen = 12;
        var eigen = Kandidaten(structuur, [cel], waarden, status);
        var buren = new HashSet<int>();
        foreach (var r in structuur.RelatiesVan(cel))
            foreach (var ander in structuur.Relaties[r])
                if (ander != cel && status[ander] != CelStatus.Gepubliceerd) buren.Add(ander);
        var kandidaten = eigen.Concat(Kandidaten(structuur, buren, waarden, status).Except(eigen)).ToList();
        if (kandidaten.Count == 0) throw new InvalidOperationException("Secondary suppression found a recoverable cell and no cell left to suppress.");
        foreach (var kandidaat in kandidaten.Take(Pogingen))
        {
            status[kandidaat] = CelStatus.Secundair;
            var helpt = !DisclosureAudit.Determined(relaties, status).Contains(cel);
            status[kandidaat] = CelStatus.Gepubliceerd;
            if (helpt) return kandidaat;
        }
        // None of the first few alone is enough: suppress the best, and the next round looks again.
        return kandidaten[0];
    }

    /// <summary>The published cells of the relations of these cells, best first.</summary>
    private static List<int> Kandidaten(Tabelstructuur structuur, IEnumerable<int> cellen, int[] waarden, CelStatus[] status)
    {
        var rang = new Dictionary<int, int>();
        foreach (var c in cellen)
            foreach (var r in structuur.RelatiesVan(c))
            {
                var relatie = structuur.Relaties[r];
                foreach (var kandidaat in relatie)
                    if (status[kandidaat] == CelStatus.Gepubliceerd)
                        rang[kandidaat] = Math.Min(rang.GetValueOrDefault(kandidaat, int.MaxValue), Rang(kandidaat, waarden, relatie[0]));
            }
        return [.. rang.OrderBy(x => x.Value).ThenBy(x => waarden[x.Key]).ThenBy(x => x.Key).Select(x => x.Key)];
    }

    /// <summary>
    /// The published cell of a relation that is best suppressed next: the smallest non-zero part (it costs the
    /// least information), else the total, else a zero part. -1 when every cell is suppressed.
    /// </summary>
    private static int Kandidaat(int[] relatie, int[] waarden, CelStatus[] status)
    {
        var keuze = -1;
        foreach (var cel in relatie)
            if (status[cel] == CelStatus.Gepubliceerd) keuze = Beste(keuze, cel, waarden, relatie[0]);
        return keuze;
    }

    private static int Beste(int a, int b, int[] waarden, int totaal)
    {
        if (a < 0) return b;
        if (b < 0) return a;
        var (ra, rb) = (Rang(a, waarden, totaal), Rang(b, waarden, totaal));
        return ra != rb ? (ra < rb ? a : b) : waarden[a] != waarden[b] ? (waarden[a] < waarden[b] ? a : b) : Math.Min(a, b);
    }

    private static int Rang(int cel, int[] waarden, int totaal) => cel == totaal ? 1 : waarden[cel] > 0 ? 0 : 2;
}

/// <summary>
/// The additive relations of a table over its regions, each as cell indices with the total first, and the blocks
/// that secondary suppression solves one at a time.
/// </summary>
public sealed class Tabelstructuur
{
    private readonly int[] _relatiesVanStart;
    private readonly int[] _relatiesVan;
    private readonly int[] _eigenBlok;
    private readonly RegioIndeling _regios;

    public Tabelstructuur(RegioIndeling regios)
    {
        _regios = regios;
        var s = Soorten.Count;
        var relaties = new List<int[]>();
        var blokken = new List<List<int>>();
        var regioRelaties = new List<int>[regios.Regios.Count];
        for (var r = 0; r < regios.Regios.Count; r++)
        {
            regioRelaties[r] = [];
            foreach (var relatie in Soorten.Relaties)
            {
                regioRelaties[r].Add(relaties.Count);
                relaties.Add([.. relatie.Select(soort => r * s + soort)]);
            }
        }
        _eigenBlok = new int[regios.Regios.Count];
        Array.Fill(_eigenBlok, -1);
        for (var r = 0; r < regios.Regios.Count; r++)
        {
            var kinderen = regios.Kinderen[r];
            if (kinderen.Length == 0) continue;
            var blok = new List<int>(regioRelaties[r]);
            foreach (var kind in kinderen) blok.AddRange(regioRelaties[kind]);
            for (var soort = 0; soort < s; soort++)
            {
                // A category's cells are related only through the regions, a tree: there, no relation with exactly
                // one suppressed cell means no cell can be recovered, so the blocks need not solve them.
                if (!Soorten.IsCategorie(soort)) blok.Add(relaties.Count);
                relaties.Add([r * s + soort, .. kinderen.Select(kind => kind * s + soort)]);
            }
            _eigenBlok[r] = blokken.Count;
            blokken.Add(blok);
        }
        Relaties = relaties;
        Blokken = [.. blokken.Select(b => b.ToArray())];

        // Which relations each cell is in, as one flat array (a quarter of a million cells nationally).
        _relatiesVanStart = new int[regios.Regios.Count * s + 1];
        foreach (var relatie in relaties)
            foreach (var cel in relatie) _relatiesVanStart[cel + 1]++;
        for (var c = 0; c < regios.Regios.Count * s; c++) _relatiesVanStart[c + 1] += _relatiesVanStart[c];
        _relatiesVan = new int[_relatiesVanStart[^1]];
        var vrij = _relatiesVanStart[..^1].ToArray();
        for (var r = 0; r < relaties.Count; r++)
            foreach (var cel in relaties[r]) _relatiesVan[vrij[cel]++] = r;
    }

    public IReadOnlyList<int[]> Relaties { get; }

    /// <summary>Per block, the relations (indices into <see cref="Relaties"/>) it solves together.</summary>
    public IReadOnlyList<int[]> Blokken { get; }

    public ReadOnlySpan<int> RelatiesVan(int cel) => _relatiesVan.AsSpan(_relatiesVanStart[cel], _relatiesVanStart[cel + 1] - _relatiesVanStart[cel]);

    /// <summary>The blocks a cell is in: its own region's (as a margin) and its parent's.</summary>
    public IEnumerable<int> BlokkenVan(int cel)
    {
        var regio = cel / Soorten.Count;
        if (_eigenBlok[regio] >= 0) yield return _eigenBlok[regio];
        var ouder = _regios.Regios[regio].Ouder;
        if (ouder >= 0) yield return _eigenBlok[ouder];
    }
}
