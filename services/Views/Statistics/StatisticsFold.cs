using System.Numerics;

namespace SocialDomain.Views.Statistics;

/// <summary>
/// The stacking statistics of one period, folded from an extract in one pass over its persons. This is the hot loop
/// of a national run (millions of persons), so it works on the extract's sorted struct arrays with plain loops:
/// no LINQ, no allocation per person.
/// <para>The counting rules (docs/aggregation.md has them for readers):</para>
/// <list type="bullet">
/// <item>A person counts when one of their provision periods overlaps the period ("op enig moment in de periode");
/// their combination is the set of laws of those provisions. A peildatum is a period of one day.</item>
/// <item>A household's combination is the union of its members' laws, counting a member's provision only while the
/// person was a member within the period: a child with jeugdhulp and a parent with bijstand make one
/// "Jeugd en P-wet" household and no such person.</item>
/// <item>A person without a known household, or a provision outside every membership, counts as a one-person
/// household in the gemeente of that provision, under "wijk onbekend".</item>
/// <item>Each person and household counts in exactly one region: a household in the wijk it lives in on the period's
/// last day (its moves are the joins' wijken with their dates), a person in the household of their last membership
/// in the period (else as above). So wijken add up to their gemeente and gemeenten to Nederland.</item>
/// <item>The law and category rows count persons (households) with at least one such provision.</item>
/// </list>
/// </summary>
public static class StatisticsFold
{
    /// <summary>The number of persons between two calls of <c>voortgang</c>: often enough for a progress bar, rare enough to cost nothing.</summary>
    public const int VoortgangPer = 4096;

    /// <param name="voortgang">Called with the number of persons done, every <see cref="VoortgangPer"/> persons.</param>
    public static StackingTable Fold(StatisticsExtract extract, RegioIndeling regios, Periode periode, Action<int>? voortgang = null)
    {
        var van = periode.Van.DayNumber;
        var tot = periode.Tot.DayNumber;
        var soorten = Soorten.Count;
        var personen = new int[regios.Regios.Count * soorten];
        var huishoudens = new int[regios.Regios.Count * soorten];
        var huishoudenWetten = new byte[extract.Huishoudens.Length];
        var huishoudenCategorieen = new ulong[extract.Huishoudens.Length];

        var voorzieningen = extract.Voorzieningen;
        var leden = extract.Lidmaatschappen;
        var voorzieningenVan = extract.VoorzieningenVan;
        var ledenVan = extract.LidmaatschappenVan;
        var huishoudenRegio = regios.HuishoudenRegioOp(tot);
        var voorzieningRegio = regios.VoorzieningRegio;

        for (var p = 0; p < extract.Personen.Length; p++)
        {
            if (p % VoortgangPer == 0) voortgang?.Invoke(p);
            int eerste = voorzieningenVan[p], laatste = voorzieningenVan[p + 1];
            int eersteLid = ledenVan[p], laatsteLid = ledenVan[p + 1];
            var wetten = 0;
            var categorieen = 0UL;
            int eigenWetten = 0, eigenRegio = -1, persoonRegio = -1;
            var eigenCategorieen = 0UL;
            for (var i = eerste; i < laatste; i++)
            {
                ref readonly var v = ref voorzieningen[i];
                if (v.Begin > tot || v.Eind < van) continue;
                wetten |= 1 << v.Wet;
                categorieen |= 1UL << v.Categorie;
                // Sorted by begin: the last overlapping provision decides where a person without a household counts.
                persoonRegio = voorzieningRegio[i];
                if (!Covered(leden, eersteLid, laatsteLid, Math.Max(v.Begin, van), Math.Min(v.Eind, tot)))
                {
                    eigenWetten |= 1 << v.Wet;
                    eigenCategorieen |= 1UL << v.Categorie;
                    eigenRegio = voorzieningRegio[i];
                }
            }
            if (wetten == 0) continue;

            for (var j = eersteLid; j < laatsteLid; j++)
            {
                ref readonly var m = ref leden[j];
                if (m.Van > tot || m.Tot < van) continue;
                // Sorted by start: the last overlapping membership is where the person lives at the end of the period.
                persoonRegio = huishoudenRegio[m.Huishouden];
                int binnenVan = Math.Max(m.Van, van), binnenTot = Math.Min(m.Tot, tot);
                for (var i = eerste; i < laatste; i++)
                {
                    ref readonly var v = ref voorzieningen[i];
                    if (v.Begin > binnenTot || v.Eind < binnenVan) continue;
                    huishoudenWetten[m.Huishouden] |= (byte)(1 << v.Wet);
                    huishoudenCategorieen[m.Huishouden] |= 1UL << v.Categorie;
                }
            }
            Count(personen, persoonRegio * soorten, wetten, categorieen);
            if (eigenWetten != 0) Count(huishoudens, eigenRegio * soorten, eigenWetten, eigenCategorieen);
        }

        for (var h = 0; h < huishoudenWetten.Length; h++)
            if (huishoudenWetten[h] != 0)
                Count(huishoudens, huishoudenRegio[h] * soorten, huishoudenWetten[h], huishoudenCategorieen[h]);

        RollUp(personen, regios);
        RollUp(huishoudens, regios);
        return new StackingTable(periode, regios, personen, huishoudens);
    }

    private static void Count(int[] cellen, int rij, int wetten, ulong categorieen)
    {
        cellen[rij + Soorten.Totaal]++;
        cellen[rij + wetten]++;
        for (var w = wetten; w != 0; w &= w - 1) cellen[rij + Soorten.EersteWet + BitOperations.TrailingZeroCount(w)]++;
        for (var c = categorieen; c != 0; c &= c - 1) cellen[rij + Soorten.EersteCategorie + BitOperations.TrailingZeroCount(c)]++;
    }

    /// <summary>Whether the memberships (sorted by start) together cover every day from..to.</summary>
    private static bool Covered(MembershipRecord[] leden, int eerste, int laatste, int from, int to)
    {
        long nodig = from;
        for (var j = eerste; j < laatste && leden[j].Van <= nodig; j++)
        {
            nodig = Math.Max(nodig, (long)leden[j].Tot + 1);
            if (nodig > to) return true;
        }
        return false;
    }

    /// <summary>Counts were made at wijk level; every person and household is in one wijk, so the sums are exact.</summary>
    private static void RollUp(int[] cellen, RegioIndeling regios)
    {
        var soorten = Soorten.Count;
        // Children come after their parent in table order, so walking backwards adds wijken before their gemeente is used.
        for (var r = regios.Regios.Count - 1; r >= 0; r--)
            foreach (var kind in regios.Kinderen[r])
                for (var s = 0; s < soorten; s++)
                    cellen[r * soorten + s] += cellen[kind * soorten + s];
    }
}
