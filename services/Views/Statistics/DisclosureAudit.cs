namespace SocialDomain.Views.Statistics;

/// <summary>
/// Finds the suppressed cells that the published cells give away. An attacker knows every relation
/// (total = sum of parts) and every published value; the suppressed cells are the unknowns. A suppressed cell is
/// recoverable exactly when its unit vector lies in the row space of the relations restricted to the unknowns,
/// i.e. when the reduced row echelon form has a row that is that unit vector. Rounding is ignored: a cell that is
/// recoverable up to rounding is treated as recoverable.
/// </summary>
public static class DisclosureAudit
{
    private const double Epsilon = 1e-9;

    /// <summary>Every suppressed cell of a protected table that its relations, all at once, determine.</summary>
    public static IReadOnlyList<(string Maat, int Cel)> Recoverable(ProtectedTable tabel)
    {
        var structuur = new Tabelstructuur(tabel.Regios);
        return
        [
            .. Determined(structuur.Relaties, [.. tabel.PersonenStatussen]).Select(c => ("personen", c)),
            .. Determined(structuur.Relaties, [.. tabel.HuishoudensStatussen]).Select(c => ("huishoudens", c)),
        ];
    }

    /// <summary>
    /// The suppressed cells that these relations determine. The relations are eliminated as a sparse system, columns
    /// in descending cell order (a block's wijken before their gemeente), which keeps the fill-in within a region and
    /// the few relations across regions; then two random solutions of the homogeneous system are built by back
    /// substitution. A cell is determined exactly when every solution has it at 0, and a random solution has an
    /// undetermined cell at 0 with probability 0.
    /// </summary>
    public static IReadOnlyList<int> Determined(IEnumerable<int[]> relaties, CelStatus[] status)
    {
        var kolommen = new Dictionary<int, int>();
        var rijen = new List<Dictionary<int, double>>();
        foreach (var relatie in relaties)
        {
            Dictionary<int, double>? rij = null;
            for (var i = 0; i < relatie.Length; i++)
            {
                if (status[relatie[i]] == CelStatus.Gepubliceerd) continue;
                if (!kolommen.TryGetValue(relatie[i], out var k)) kolommen[relatie[i]] = k = kolommen.Count;
                rij ??= [];
                rij[k] = rij.GetValueOrDefault(k) + (i == 0 ? 1 : -1);
            }
            if (rij is not null) rijen.Add(rij);
        }
        if (kolommen.Count == 0) return [];

        var cellen = new int[kolommen.Count];
        foreach (var (cel, k) in kolommen) cellen[k] = cel;
        var rijenVan = new List<int>[cellen.Length];
        for (var k = 0; k < cellen.Length; k++) rijenVan[k] = [];
        for (var r = 0; r < rijen.Count; r++)
            foreach (var k in rijen[r].Keys) rijenVan[k].Add(r);

        var actief = Enumerable.Repeat(true, rijen.Count).ToArray();
        var pivots = new List<(int Kolom, Dictionary<int, double> Rij)>();
        foreach (var k in Enumerable.Range(0, cellen.Length).OrderByDescending(k => cellen[k]))
        {
            // The shortest active row with this column, for the least fill-in.
            var pivot = -1;
            foreach (var r in rijenVan[k])
                if (actief[r] && rijen[r].TryGetValue(k, out var v) && Math.Abs(v) > Epsilon && (pivot < 0 || rijen[r].Count < rijen[pivot].Count))
                    pivot = r;
            if (pivot < 0) continue;
            actief[pivot] = false;
            var p = rijen[pivot];
            pivots.Add((k, p));
            foreach (var r in rijenVan[k].ToArray())
            {
                if (!actief[r] || !rijen[r].TryGetValue(k, out var v)) continue;
                var factor = v / p[k];
                var rij = rijen[r];
                foreach (var (kolom, waarde) in p)
                {
                    var nieuw = rij.GetValueOrDefault(kolom) - factor * waarde;
                    if (Math.Abs(nieuw) <= Epsilon)
                        rij.Remove(kolom);
                    else
                    {
                        if (!rij.ContainsKey(kolom)) rijenVan[kolom].Add(r);
                        rij[kolom] = nieuw;
                    }
                }
            }
        }

        var random = new Random(cellen.Length);
        var nul = Enumerable.Repeat(true, cellen.Length).ToArray();
        var isPivot = new bool[cellen.Length];
        foreach (var (k, _) in pivots) isPivot[k] = true;
        for (var poging = 0; poging < 2; poging++)
        {
            var x = new double[cellen.Length];
            for (var k = 0; k < x.Length; k++)
                if (!isPivot[k]) x[k] = 1 + random.NextDouble();
            for (var i = pivots.Count - 1; i >= 0; i--)
            {
                var (k, rij) = pivots[i];
                var som = 0.0;
                foreach (var (kolom, waarde) in rij)
                    if (kolom != k) som += waarde * x[kolom];
                x[k] = -som / rij[k];
            }
            for (var k = 0; k < x.Length; k++)
                if (Math.Abs(x[k]) > 1e-6) nul[k] = false;
        }
        return [.. Enumerable.Range(0, cellen.Length).Where(k => nul[k]).Select(k => cellen[k]).Order()];
    }
}

/// <summary>
/// The additive relations of a table over its regions, as an outsider knows them, each as cell indices with the total
/// first: per region <see cref="Soorten.Relaties"/>, and per row a region over the regions that add up to it.
/// </summary>
public sealed class Tabelstructuur
{
    public Tabelstructuur(RegioIndeling regios)
    {
        var s = Soorten.Count;
        var relaties = new List<int[]>();
        for (var r = 0; r < regios.Regios.Count; r++)
            foreach (var relatie in Soorten.Relaties)
                relaties.Add([.. relatie.Select(soort => r * s + soort)]);
        for (var r = 0; r < regios.Regios.Count; r++)
        {
            var kinderen = regios.Kinderen[r];
            if (kinderen.Length == 0) continue;
            for (var soort = 0; soort < s; soort++)
                relaties.Add([r * s + soort, .. kinderen.Select(kind => kind * s + soort)]);
        }
        Relaties = relaties;
    }

    public IReadOnlyList<int[]> Relaties { get; }
}
