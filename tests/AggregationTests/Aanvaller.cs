using SocialDomain.Views.Statistics;

namespace SocialDomain.AggregationTests;

/// <summary>
/// The outsider who tries to work out suppressed cells, made as strong as possible: they know every relation of the
/// table (written out here from the regions' codes and the rows' names, not taken from the code under test), every
/// published cell at its true, unrounded value, and that no count is negative. For each suppressed cell the smallest
/// and largest value it can take under all of that at once are two linear programs; the interval between them is
/// all the outsider can tell.
/// </summary>
public static class Aanvaller
{
    /// <summary>
    /// Every suppressed cell, persons and households, lies for the outsider in an interval wider than one value; a
    /// primary cell in one at least the rule's protection interval wide.
    /// </summary>
    public static void ShouldProtectEverySuppressedCell(StackingTable raw, ProtectedTable beschermd)
    {
        var relaties = Relaties(beschermd.Regios);
        var p = beschermd.Regel.Beschermingsinterval;
        foreach (var (maat, waar, onderdrukt) in new (string, Func<int, int>, Func<int, bool>)[]
                 {
                     ("personen", c => raw.Personen[c], c => beschermd.Personen[c] is null),
                     ("huishoudens", c => raw.Huishoudens[c], c => beschermd.Huishoudens[c] is null),
                 })
        {
            foreach (var (cel, (min, max)) in Intervallen(relaties, waar, onderdrukt))
            {
                var v = waar(cel);
                var naam = $"{maat} {beschermd.Regios.Regios[cel / Soorten.Count].Code} {Soorten.Naam(cel % Soorten.Count)} = {v} lies in [{min}, {max}]";
                (max - min).ShouldBeGreaterThanOrEqualTo((beschermd.Regel.IsPrimair(v) ? p : 1) - 1e-6, naam);
            }
        }
    }

    /// <summary>
    /// The relations as an outsider reads them from the table, each as cells (region × rows + row) with the total
    /// first: per region the total over the 7 combinations, each law over the combinations with it, and the total over
    /// a law and the combinations without it; per row Nederland over the gemeenten and a gemeente over its wijken.
    /// </summary>
    public static List<int[]> Relaties(RegioIndeling regios)
    {
        string[] combinaties = ["Alleen Jeugd", "Alleen Wmo", "Alleen P-wet", "Jeugd en Wmo", "Jeugd en P-wet", "P-wet en Wmo", "Jeugd, P-wet en Wmo"];
        var wetten = new Dictionary<string, string> { ["Jeugdwet"] = "Jeugd", ["Wmo"] = "Wmo", ["Participatiewet"] = "P-wet" };
        List<string[]> binnen = [["Totaal", .. combinaties]];
        foreach (var (wet, kort) in wetten)
        {
            binnen.Add([wet, .. combinaties.Where(c => c.Contains(kort, StringComparison.Ordinal))]);
            binnen.Add(["Totaal", wet, .. combinaties.Where(c => !c.Contains(kort, StringComparison.Ordinal))]);
        }
        var rij = Enumerable.Range(0, Soorten.Count).ToDictionary(Soorten.Naam);
        var codes = regios.Regios.Select(r => r.Code).ToList();
        var relaties = new List<int[]>();
        for (var r = 0; r < codes.Count; r++)
            foreach (var relatie in binnen)
                relaties.Add([.. relatie.Select(naam => r * Soorten.Count + rij[naam])]);
        var gemeenten = Enumerable.Range(0, codes.Count).Where(r => codes[r].StartsWith("GM", StringComparison.Ordinal)).ToList();
        var groepen = gemeenten.Select(gm => (Totaal: gm, Delen: Enumerable.Range(0, codes.Count).Where(r => codes[r].StartsWith("WK" + codes[gm][2..], StringComparison.Ordinal)).ToList()))
            .Append((Totaal: codes.IndexOf("NL01"), Delen: gemeenten));
        foreach (var (totaal, delen) in groepen)
            for (var s = 0; s < Soorten.Count; s++)
                relaties.Add([totaal * Soorten.Count + s, .. delen.Select(d => d * Soorten.Count + s)]);
        return relaties;
    }

    /// <summary>The smallest and largest value of each suppressed cell (+∞ when nothing bounds it from above).</summary>
    public static Dictionary<int, (double Min, double Max)> Intervallen(IReadOnlyList<int[]> relaties, Func<int, int> waar, Func<int, bool> onderdrukt)
    {
        // Cells related through a relation with unknowns on both sides are solved together; the rest apart.
        var groep = new Dictionary<int, int>();
        int Wortel(int c)
        {
            while (groep[c] != c) c = groep[c] = groep[groep[c]];
            return c;
        }
        foreach (var relatie in relaties)
        {
            var onbekend = relatie.Where(onderdrukt).ToList();
            foreach (var c in onbekend) groep.TryAdd(c, c);
            for (var i = 1; i < onbekend.Count; i++) groep[Wortel(onbekend[i])] = Wortel(onbekend[0]);
        }

        var intervallen = new Dictionary<int, (double, double)>();
        foreach (var cellen in groep.Keys.GroupBy(Wortel))
        {
            var kolom = cellen.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
            var rijen = new List<(double[] A, double B)>();
            foreach (var relatie in relaties)
            {
                if (!relatie.Any(c => onderdrukt(c) && kolom.ContainsKey(c))) continue;
                var a = new double[kolom.Count];
                var b = 0.0;
                for (var i = 0; i < relatie.Length; i++)
                {
                    var teken = i == 0 ? 1 : -1;
                    if (kolom.TryGetValue(relatie[i], out var k)) a[k] += teken;
                    else b -= teken * waar(relatie[i]);
                }
                rijen.Add((a, b));
            }
            var grenzen = Simplex.Grenzen(rijen, kolom.Count);
            foreach (var (c, k) in kolom) intervallen[c] = grenzen[k];
        }
        return intervallen;
    }

    /// <summary>
    /// A dense two-phase simplex with Bland's rule (the systems here are small and very degenerate): the feasible set
    /// {x ≥ 0 : A x = b} is found once, and every variable minimised and maximised from there.
    /// </summary>
    private sealed class Simplex
    {
        private const double Eps = 1e-9;
        private readonly double[][] _t;
        private readonly int[] _basis;

        private Simplex(double[][] t, int[] basis) => (_t, _basis) = (t, basis);

        private int Kolommen => _t[0].Length - 1;

        public static (double Min, double Max)[] Grenzen(List<(double[] A, double B)> rijen, int n)
        {
            var m = rijen.Count;
            // Columns: the n variables, then one artificial per row, then the right-hand side.
            var t = new double[m][];
            for (var i = 0; i < m; i++)
            {
                var teken = rijen[i].B < 0 ? -1 : 1;
                t[i] = new double[n + m + 1];
                for (var j = 0; j < n; j++) t[i][j] = teken * rijen[i].A[j];
                t[i][n + i] = 1;
                t[i][^1] = teken * rijen[i].B;
            }
            var fase1 = new Simplex(t, [.. Enumerable.Range(n, m)]);
            var kunstmatig = new double[n + m];
            for (var j = n; j < n + m; j++) kunstmatig[j] = 1;
            if (!fase1.Minimaliseer(kunstmatig, n + m) || fase1.Waarde(kunstmatig) > 1e-6)
                throw new InvalidOperationException("The true values satisfy the relations, so the system must be feasible.");

            // Artificials still in the basis (at 0) are pivoted out, or their row is redundant and dropped; then the
            // artificial columns go.
            var behouden = new List<int>();
            for (var i = 0; i < m; i++)
            {
                if (fase1._basis[i] >= n)
                {
                    var j = Enumerable.Range(0, n).FirstOrDefault(j => Math.Abs(fase1._t[i][j]) > Eps, -1);
                    if (j < 0) continue;
                    fase1.Pivot(i, j, null);
                }
                behouden.Add(i);
            }
            if (behouden.Count == 0) return [.. Enumerable.Repeat((0.0, double.PositiveInfinity), n)];
            var start = new Simplex([.. behouden.Select(i => (double[])[.. fase1._t[i].AsSpan(0, n), fase1._t[i][^1]])], [.. behouden.Select(i => fase1._basis[i])]);

            // Each program starts where the last one ended: its basis is feasible for all of them.
            var grenzen = new (double, double)[n];
            for (var k = 0; k < n; k++)
            {
                var omlaag = new double[n];
                omlaag[k] = 1;
                var omhoog = new double[n];
                omhoog[k] = -1;
                start.Minimaliseer(omlaag, n);
                var min = start.Waarde(omlaag);
                grenzen[k] = (min, start.Minimaliseer(omhoog, n) ? -start.Waarde(omhoog) : double.PositiveInfinity);
            }
            return grenzen;
        }

        private double Waarde(double[] c)
        {
            var som = 0.0;
            for (var i = 0; i < _t.Length; i++) som += c[_basis[i]] * _t[i][^1];
            return som;
        }

        /// <summary>Minimises c·x; false when it is unbounded below.</summary>
        private bool Minimaliseer(double[] c, int kolommen)
        {
            if (_t.Length == 0) return true;
            // The reduced costs, kept up to date by every pivot.
            var z = new double[Kolommen + 1];
            for (var j = 0; j < kolommen; j++)
            {
                z[j] = c[j];
                for (var i = 0; i < _t.Length; i++) z[j] -= c[_basis[i]] * _t[i][j];
            }
            // Dantzig's rule (the most negative reduced cost) is fast; Bland's (the first negative) cannot cycle, and
            // takes over when the systems' many degenerate pivots have gone on too long.
            for (var stap = 0; ; stap++)
            {
                var bland = stap > 20 * (_t.Length + kolommen);
                var intreden = -1;
                for (var j = 0; j < kolommen && !(bland && intreden >= 0); j++)
                    if (z[j] < -Eps && (intreden < 0 || z[j] < z[intreden])) intreden = j;
                if (intreden < 0) return true;
                var uittreden = -1;
                var beste = double.PositiveInfinity;
                for (var i = 0; i < _t.Length; i++)
                {
                    if (_t[i][intreden] <= Eps) continue;
                    var ratio = _t[i][^1] / _t[i][intreden];
                    if (ratio < beste - Eps || (ratio <= beste + Eps && uittreden >= 0 && _basis[i] < _basis[uittreden]))
                        (beste, uittreden) = (ratio, i);
                }
                if (uittreden < 0) return false;
                Pivot(uittreden, intreden, z);
            }
        }

        private void Pivot(int rij, int kolom, double[]? z)
        {
            var p = _t[rij];
            var deler = p[kolom];
            for (var j = 0; j < p.Length; j++) p[j] /= deler;
            for (var i = 0; i < _t.Length; i++)
                if (i != rij) Veeg(_t[i], p, kolom);
            if (z is not null) Veeg(z, p, kolom);
            _basis[rij] = kolom;
        }

        private static void Veeg(double[] r, double[] p, int kolom)
        {
            var factor = r[kolom];
            if (Math.Abs(factor) <= Eps) return;
            for (var j = 0; j < r.Length; j++) r[j] -= factor * p[j];
        }
    }
}
