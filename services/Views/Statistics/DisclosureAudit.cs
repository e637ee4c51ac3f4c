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

    /// <summary>The suppressed cells that these relations determine.</summary>
    public static IReadOnlyList<int> Determined(IEnumerable<int[]> relaties, CelStatus[] status)
    {
        // The unknowns and the relations that involve them, split into independent systems (union-find).
        var kolom = new Dictionary<int, int>();
        var vergelijkingen = new List<int[]>();
        foreach (var relatie in relaties)
        {
            List<int>? onbekend = null;
            foreach (var cel in relatie)
                if (status[cel] != CelStatus.Gepubliceerd) (onbekend ??= []).Add(cel);
            if (onbekend is null) continue;
            foreach (var cel in onbekend) kolom.TryAdd(cel, kolom.Count);
            vergelijkingen.Add(relatie);
        }
        var ouder = Enumerable.Range(0, kolom.Count).ToArray();
        int Wortel(int x)
        {
            while (ouder[x] != x) x = ouder[x] = ouder[ouder[x]];
            return x;
        }
        foreach (var v in vergelijkingen)
        {
            var eerste = -1;
            foreach (var cel in v)
            {
                if (!kolom.TryGetValue(cel, out var k)) continue;
                if (eerste < 0) eerste = Wortel(k);
                else ouder[Wortel(k)] = eerste;
            }
        }

        var bepaald = new List<int>();
        foreach (var systeem in vergelijkingen.GroupBy(v => Wortel(kolom[v.First(kolom.ContainsKey)])))
        {
            var onbekenden = systeem.SelectMany(v => v.Where(kolom.ContainsKey)).Distinct().ToArray();
            var plaats = onbekenden.Select((cel, i) => (cel, i)).ToDictionary(x => x.cel, x => x.i);
            var rijen = systeem.Select(v => Rij(v, plaats, onbekenden.Length)).ToList();
            foreach (var i in DeterminedColumns(rijen, onbekenden.Length)) bepaald.Add(onbekenden[i]);
        }
        return bepaald;
    }

    /// <summary>The relation as coefficients over the unknowns: +1 for the total, -1 for a part.</summary>
    private static double[] Rij(int[] relatie, Dictionary<int, int> plaats, int breedte)
    {
        var rij = new double[breedte];
        for (var i = 0; i < relatie.Length; i++)
            if (plaats.TryGetValue(relatie[i], out var k)) rij[k] += i == 0 ? 1 : -1;
        return rij;
    }

    /// <summary>Gauss-Jordan elimination; a column is determined when its pivot row has no other non-zero entry.</summary>
    internal static List<int> DeterminedColumns(List<double[]> rijen, int breedte)
    {
        var pivotKolommen = new List<int>();
        var rij = 0;
        for (var kolom = 0; kolom < breedte && rij < rijen.Count; kolom++)
        {
            var beste = -1;
            for (var r = rij; r < rijen.Count; r++)
                if (Math.Abs(rijen[r][kolom]) > Epsilon && (beste < 0 || Math.Abs(rijen[r][kolom]) > Math.Abs(rijen[beste][kolom])))
                    beste = r;
            if (beste < 0) continue;
            (rijen[rij], rijen[beste]) = (rijen[beste], rijen[rij]);
            var pivot = rijen[rij];
            var factor = pivot[kolom];
            for (var k = 0; k < breedte; k++) pivot[k] /= factor;
            for (var r = 0; r < rijen.Count; r++)
            {
                if (r == rij) continue;
                var f = rijen[r][kolom];
                if (Math.Abs(f) <= Epsilon) continue;
                var doel = rijen[r];
                for (var k = 0; k < breedte; k++) doel[k] -= f * pivot[k];
            }
            pivotKolommen.Add(kolom);
            rij++;
        }
        var bepaald = new List<int>();
        for (var i = 0; i < pivotKolommen.Count; i++)
        {
            var alleen = true;
            for (var k = 0; k < breedte && alleen; k++)
                if (k != pivotKolommen[i] && Math.Abs(rijen[i][k]) > Epsilon) alleen = false;
            if (alleen) bepaald.Add(pivotKolommen[i]);
        }
        return bepaald;
    }
}
