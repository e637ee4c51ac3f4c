namespace SocialDomain.Views.Statistics;

/// <summary>
/// The smallest ways to change the rows of one region without changing any of its published relations
/// (<see cref="Soorten.Relaties"/>): per row, the patterns of rows, each with a sign, in which that row can go up by
/// some amount while the rows of the pattern go up (+1) or down (−1) by the same amount and every total stays the
/// same. "Jeugd en P-wet" can go up against "P-wet en Wmo" up and "Jeugd, P-wet en Wmo" and "Alleen P-wet" down
/// (the P-wet face of the cube of three laws), or against a law row, and so on. A productcategorie is in no relation
/// within its region, so its only pattern is itself.
/// <para>
/// They are found by trying every set of up to five rows with every choice of signs, and kept when no smaller set is
/// itself such a pattern (a circuit): that covers every face and diagonal of the cube of combinations and every
/// pattern through a law row or the total.
/// </para>
/// </summary>
public static class SoortPatronen
{
    private const int MaxRijen = 5;

    private static readonly IReadOnlyList<(int Soort, int Teken)[]>[] PerSoort = Bereken();

    public static IReadOnlyList<(int Soort, int Teken)[]> Van(int soort) => PerSoort[soort];

    /// <summary>The total and the law rows: margins of the combinations, the most used numbers of the table.</summary>
    public static bool IsMarge(int soort) => soort == Soorten.Totaal || (soort >= Soorten.EersteWet && soort < Soorten.EersteCategorie);

    private static IReadOnlyList<(int Soort, int Teken)[]>[] Bereken()
    {
        var n = Soorten.EersteCategorie;
        var patronen = new List<(int Soort, int Teken)[]>();
        var dragers = new List<int>();
        foreach (var drager in Deelverzamelingen(n, MaxRijen))
        {
            // Subsets come smallest first, so a pattern that contains a smaller one is seen after it.
            if (dragers.Any(d => (d & drager) == d)) continue;
            var rijen = Enumerable.Range(0, n).Where(s => (drager >> s & 1) == 1).ToArray();
            for (var tekens = 0; tekens < 1 << (rijen.Length - 1); tekens++)
            {
                // The first row's sign is +1: a pattern and its negation are the same change.
                var patroon = rijen.Select((s, i) => (s, i == 0 || (tekens >> (i - 1) & 1) == 0 ? 1 : -1)).ToArray();
                if (!Soorten.Relaties.All(relatie => Verandering(relatie, patroon) == 0)) continue;
                patronen.Add(patroon);
                dragers.Add(drager);
            }
        }

        var perSoort = new IReadOnlyList<(int Soort, int Teken)[]>[Soorten.Count];
        for (var soort = 0; soort < Soorten.Count; soort++)
            perSoort[soort] = soort < n
                ? [.. patronen.Where(p => p.Any(x => x.Soort == soort)).Select(p => Gericht(p, soort))]
                : [[(soort, 1)]];
        return perSoort;
    }

    /// <summary>The change of a relation's total minus the change of its parts.</summary>
    private static int Verandering(int[] relatie, (int Soort, int Teken)[] patroon)
    {
        var som = 0;
        foreach (var (soort, teken) in patroon)
        {
            var plaats = Array.IndexOf(relatie, soort);
            if (plaats == 0) som += teken;
            else if (plaats > 0) som -= teken;
        }
        return som;
    }

    /// <summary>The pattern with this row going up, and this row first.</summary>
    private static (int Soort, int Teken)[] Gericht((int Soort, int Teken)[] patroon, int soort)
    {
        var teken = patroon.First(x => x.Soort == soort).Teken;
        return [.. patroon.Select(x => (x.Soort, x.Teken * teken)).OrderBy(x => x.Soort != soort)];
    }

    private static IEnumerable<int> Deelverzamelingen(int n, int max) =>
        Enumerable.Range(1, (1 << n) - 1).Where(d => int.PopCount(d) <= max).OrderBy(int.PopCount).ThenBy(d => d);
}
