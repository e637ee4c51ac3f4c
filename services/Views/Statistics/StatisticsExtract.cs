using SocialDomain.Contracts;

namespace SocialDomain.Views.Statistics;

/// <summary>
/// One period of one provision of one pseudonymised person. Dates are <see cref="DateOnly.DayNumber"/>s;
/// <see cref="Eind"/> is the last day, <see cref="Open"/> while it runs.
/// </summary>
public readonly record struct ProvisionRecord(int Persoon, byte Wet, byte Categorie, ushort Gemeente, int Begin, int Eind)
{
    public const int Open = int.MaxValue;

    /// <summary>The law at index <see cref="Wet"/> of the registered <see cref="Laws"/>.</summary>
    public Law Law => Laws.All[Wet].Law;
}

/// <summary>A pseudonymised person's membership of a household; <see cref="Tot"/> is the last day.</summary>
public readonly record struct MembershipRecord(int Persoon, int Huishouden, int Van, int Tot);

/// <summary>
/// A pseudonymised household and where it lives: a gemeente and the wijk number of its first known address
/// (<see cref="WijkOnbekend"/> when not known); later moves are <see cref="VerhuizingRecord"/>s.
/// </summary>
public readonly record struct HouseholdRecord(Pseudonym Pseudonym, ushort Gemeente, byte Wijk)
{
    public const byte WijkOnbekend = byte.MaxValue;
}

/// <summary>
/// A household's move within its gemeente: from day <see cref="Van"/> on it lives in <see cref="Wijk"/>
/// (<see cref="HouseholdRecord.WijkOnbekend"/> when the join named a wijk that cannot be trusted).
/// </summary>
public readonly record struct VerhuizingRecord(int Huishouden, int Van, byte Wijk);

/// <summary>
/// A birth month as a number, <c>year * 12 + month - 1</c>: exact enough for age bands (off by at most the days of the
/// birth month), and less identifying than a birth date. <see cref="Onbekend"/> when no event named the birth date.
/// </summary>
public static class Geboortemaand
{
    public const int Onbekend = 0;

    public static int Van(DateOnly geboortedatum) => geboortedatum.Year * 12 + geboortedatum.Month - 1;

    /// <summary>The age in whole years on a day, counting a person born in a month as born on its first day.</summary>
    public static int LeeftijdOp(int geboortemaand, DateOnly dag)
    {
        var maanden = dag.Year * 12 + dag.Month - 1 - geboortemaand;
        return maanden < 0 ? -1 : maanden / 12;
    }
}

/// <summary>
/// What the aggregation job works on: no BSN, no household id, no name, no birth date (a birth month at most); only
/// pseudonyms, laws, categories, places and periods, and only of persons who have provisions (and their households).
/// Provisions and memberships are sorted by person, then by date, so the fold can take each person's records as one
/// slice; a household's moves are sorted by household, then by date.
/// </summary>
public sealed class StatisticsExtract
{
    public StatisticsExtract(Pseudonym[] personen, HouseholdRecord[] huishoudens, ProvisionRecord[] voorzieningen,
        MembershipRecord[] lidmaatschappen, long bronEvents, string sleutelVingerafdruk,
        VerhuizingRecord[]? verhuizingen = null, int[]? geboortemaanden = null)
    {
        Personen = personen;
        Huishoudens = huishoudens;
        Voorzieningen = voorzieningen;
        Lidmaatschappen = lidmaatschappen;
        Verhuizingen = verhuizingen ?? [];
        Geboortemaanden = geboortemaanden ?? new int[personen.Length];
        BronEvents = bronEvents;
        SleutelVingerafdruk = sleutelVingerafdruk;
        if (Geboortemaanden.Length != personen.Length) throw new InvalidDataException("The extract has a birth month for some persons only.");
        for (var i = 0; i < Verhuizingen.Length; i++)
        {
            var v = Verhuizingen[i];
            if ((uint)v.Huishouden >= (uint)huishoudens.Length || v.Wijk > 99 && v.Wijk != HouseholdRecord.WijkOnbekend)
                throw new InvalidDataException("A move refers to a household that is not in the extract, or to a wijk that is not a CBS code.");
            if (i > 0 && (v.Huishouden < Verhuizingen[i - 1].Huishouden || v.Huishouden == Verhuizingen[i - 1].Huishouden && v.Van < Verhuizingen[i - 1].Van))
                throw new InvalidDataException("The moves are not sorted by household and date.");
        }
        VoorzieningenVan = Offsets(voorzieningen.Length, i => voorzieningen[i].Persoon, i => voorzieningen[i].Begin, personen.Length, nameof(voorzieningen));
        LidmaatschappenVan = Offsets(lidmaatschappen.Length, i => lidmaatschappen[i].Persoon, i => lidmaatschappen[i].Van, personen.Length, nameof(lidmaatschappen));
        foreach (var h in huishoudens)
            if (h.Gemeente is 0 or > 9999 || h.Wijk > 99 && h.Wijk != HouseholdRecord.WijkOnbekend)
                throw new InvalidDataException("A household has a gemeente or wijk that is not a CBS code.");
        foreach (var m in lidmaatschappen)
            if ((uint)m.Huishouden >= (uint)huishoudens.Length) throw new InvalidDataException("A membership refers to a household that is not in the extract.");
        foreach (var v in voorzieningen)
            if (v.Gemeente is 0 or > 9999 || v.Categorie >= Soorten.Categorieen.Count || Soorten.Categorieen[v.Categorie].Law != v.Law)
                throw new InvalidDataException("A provision has a gemeente that is not a CBS code, or a categorie that is not one of its law.");
    }

    public Pseudonym[] Personen { get; }
    public HouseholdRecord[] Huishoudens { get; }
    public ProvisionRecord[] Voorzieningen { get; }
    public MembershipRecord[] Lidmaatschappen { get; }
    public VerhuizingRecord[] Verhuizingen { get; }

    /// <summary>Per person (same index as <see cref="Personen"/>), the <see cref="Geboortemaand"/>.</summary>
    public int[] Geboortemaanden { get; }

    /// <summary>How many events of the logs this extract was made from: the measure of a rebuild's work.</summary>
    public long BronEvents { get; }

    /// <summary>Which key made the pseudonyms (see <see cref="Pseudonymiser.Vingerafdruk"/>).</summary>
    public string SleutelVingerafdruk { get; }

    /// <summary>Person p's provisions are <c>Voorzieningen[VoorzieningenVan[p]..VoorzieningenVan[p + 1]]</c>.</summary>
    internal int[] VoorzieningenVan { get; }

    internal int[] LidmaatschappenVan { get; }

    private static int[] Offsets(int count, Func<int, int> person, Func<int, int> date, int persons, string what)
    {
        var offsets = new int[persons + 1];
        for (var i = 0; i < count; i++)
        {
            var p = person(i);
            if ((uint)p >= (uint)persons) throw new InvalidDataException($"A record of {what} refers to a person that is not in the extract.");
            if (i > 0 && (p < person(i - 1) || p == person(i - 1) && date(i) < date(i - 1)))
                throw new InvalidDataException($"The {what} are not sorted by person and date.");
            offsets[p + 1]++;
        }
        for (var p = 0; p < persons; p++) offsets[p + 1] += offsets[p];
        return offsets;
    }
}
