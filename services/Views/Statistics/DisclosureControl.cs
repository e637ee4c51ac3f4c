namespace SocialDomain.Views.Statistics;

/// <summary>
/// Protects a <see cref="StackingTable"/> by <see cref="DisclosureRule"/>: primary suppression, secondary
/// suppression, and rounding of what is published.
/// <para>
/// Secondary suppression is the hypercube method of statistical agencies (τ-ARGUS's GHMITER), fitted to this table
/// and choosing by size. The table has two dimensions: the rows of a region, related by the cube of laws
/// (<see cref="SoortPatronen"/>), and the regions, related as a tree (Nederland = its gemeenten, a gemeente = its
/// wijken). For each primary cell, from the top of the tree down, it chooses a hypercube: a pattern of rows that can
/// change within a region without changing a relation, times a cycle of regions that can change without changing a
/// relation (the cell's wijk against a sibling wijk; a gemeente and one of its wijken against another gemeente and
/// one of its wijken; or up to Nederland). Every cell of the hypercube goes up or down by the same amount while every
/// published number and every relation stays as it is, so none of its cells can be worked out: an outsider can only
/// tell that each lies in an interval, as wide as the hypercube's smallest cells allow (<see cref="Hyperkubus"/>).
/// </para>
/// <para>
/// Of the hypercubes wide enough for the cell (<see cref="DisclosureRule.Beschermingsinterval"/>), it takes the one
/// that suppresses the fewest margins (the total and the law rows of any region, and every cell of Nederland), then
/// the smallest sum of counts, then the fewest cells; cells already suppressed cost nothing, so hypercubes share
/// their cells where they can.
/// </para>
/// </summary>
public static class DisclosureControl
{
    public static ProtectedTable Protect(StackingTable raw, DisclosureRule regel)
    {
        regel.Validate();
        var (personen, personenStatus) = Protect(raw.Personen.ToArray(), raw.Regios, regel);
        var (huishoudens, huishoudensStatus) = Protect(raw.Huishoudens.ToArray(), raw.Regios, regel);
        return new ProtectedTable(raw.Periode, raw.Regios, regel, personen, personenStatus, huishoudens, huishoudensStatus);
    }

    private static (int?[] Waarden, CelStatus[] Status) Protect(int[] waarden, RegioIndeling regios, DisclosureRule regel)
    {
        var status = new CelStatus[waarden.Length];
        for (var c = 0; c < waarden.Length; c++)
            if (regel.IsPrimair(waarden[c])) status[c] = CelStatus.Primair;

        // From the top down: a gemeente's hypercube suppresses cells of its wijken that their own hypercubes reuse.
        var primair = Enumerable.Range(0, waarden.Length).Where(c => status[c] == CelStatus.Primair)
            .OrderBy(c => regios.Regios[c / Soorten.Count].Niveau).ThenBy(c => c).ToList();
        var hyperkubus = new Hyperkubus(regios, waarden, status, regel.Beschermingsinterval);
        foreach (var cel in primair) hyperkubus.Bescherm(cel);

        var gepubliceerd = new int?[waarden.Length];
        for (var c = 0; c < waarden.Length; c++)
            gepubliceerd[c] = status[c] == CelStatus.Gepubliceerd ? regel.Rond(waarden[c]) : null;
        return (gepubliceerd, status);
    }
}
