namespace SocialDomain.Views.Statistics;

/// <summary>
/// How a published table is protected against disclosure of small groups, after CBS practice for its tables on the
/// use of social-domain provisions: a count below <see cref="Drempel"/> is not published (primary suppression);
/// where a suppressed count could be worked out, or narrowed down, from the totals and the other published counts,
/// more counts are suppressed (secondary suppression); every published count is rounded to a multiple of
/// <see cref="Afronding"/>.
/// </summary>
/// <param name="Drempel">The smallest count that is published (before rounding); 1 to 9 are suppressed with the default 10. A true 0 is published: it discloses nobody.</param>
/// <param name="Afronding">Published counts are rounded, each on its own, to the nearest multiple of this (halves up).</param>
/// <param name="Beschermingsinterval">
/// How wide, at the least, the interval is in which an outsider can place a suppressed small count, working from
/// everything that is published as if it were exact (it is rounded besides) and using that no count is negative.
/// With the default 1 no suppressed cell can be worked out; with 10 a suppressed 3 could, for all an outsider can tell,
/// be anything from 0 to 10, or from 3 to 13. docs/disclosure-control.md measures what each costs.
/// </param>
public sealed record DisclosureRule(int Drempel = 10, int Afronding = 5, int Beschermingsinterval = 1)
{
    public static readonly DisclosureRule Standaard = new();

    public DisclosureRule Validate()
    {
        if (Drempel < 1) throw new ArgumentOutOfRangeException(nameof(Drempel), "The threshold is at least 1.");
        if (Afronding < 1) throw new ArgumentOutOfRangeException(nameof(Afronding), "The rounding base is at least 1.");
        if (Beschermingsinterval < 1) throw new ArgumentOutOfRangeException(nameof(Beschermingsinterval), "The protection interval is at least 1.");
        return this;
    }

    public bool IsPrimair(int waarde) => waarde > 0 && waarde < Drempel;

    public int Rond(int waarde) => (waarde + Afronding / 2) / Afronding * Afronding;
}

public enum CelStatus : byte
{
    Gepubliceerd,

    /// <summary>Below the threshold.</summary>
    Primair,

    /// <summary>Suppressed so that a primary cell cannot be worked out from the others.</summary>
    Secundair,
}

/// <summary>A protected table: rounded counts, null where suppressed. What the statisticus gets.</summary>
public sealed class ProtectedTable(Periode periode, RegioIndeling regios, DisclosureRule regel,
    int?[] personen, CelStatus[] personenStatus, int?[] huishoudens, CelStatus[] huishoudensStatus)
{
    public Periode Periode => periode;
    public RegioIndeling Regios => regios;
    public DisclosureRule Regel => regel;

    public int? PersonenIn(int regio, int soort) => personen[regio * Soorten.Count + soort];
    public int? HuishoudensIn(int regio, int soort) => huishoudens[regio * Soorten.Count + soort];
    public CelStatus PersonenStatus(int regio, int soort) => personenStatus[regio * Soorten.Count + soort];
    public CelStatus HuishoudensStatus(int regio, int soort) => huishoudensStatus[regio * Soorten.Count + soort];

    public IReadOnlyList<int?> Personen => personen;
    public IReadOnlyList<int?> Huishoudens => huishoudens;
    public IReadOnlyList<CelStatus> PersonenStatussen => personenStatus;
    public IReadOnlyList<CelStatus> HuishoudensStatussen => huishoudensStatus;
}
