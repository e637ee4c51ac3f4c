namespace SocialDomain.Views.Statistics;

/// <summary>
/// Raw counts of one period: for every region and every row of <see cref="Soorten"/>, the number of persons and of
/// households. Unprotected: only for the beheerder, and the input of <see cref="DisclosureControl"/>.
/// </summary>
public sealed class StackingTable(Periode periode, RegioIndeling regios, int[] personen, int[] huishoudens)
{
    public Periode Periode => periode;
    public RegioIndeling Regios => regios;

    /// <summary>Cell (region r, soort s) is at r * <see cref="Soorten.Count"/> + s.</summary>
    public ReadOnlySpan<int> Personen => personen;

    public ReadOnlySpan<int> Huishoudens => huishoudens;

    public int PersonenIn(int regio, int soort) => personen[regio * Soorten.Count + soort];

    public int HuishoudensIn(int regio, int soort) => huishoudens[regio * Soorten.Count + soort];
}
