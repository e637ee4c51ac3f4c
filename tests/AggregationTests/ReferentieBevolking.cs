using SocialDomain.Contracts;
using SocialDomain.Population;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Wmo;

namespace SocialDomain.AggregationTests;

/// <summary>
/// A population whose 2025 stacking table is known by construction: it is made of household types whose
/// contribution to every cell is written out by hand below (<see cref="Verwacht"/>), not computed by the code under
/// test. It holds the household effect (a child with jeugdhulp and a parent with bijstand: one "Jeugd en P-wet"
/// household, no such person), a member who moves out mid-year, a withdrawn start, a provision that ended before
/// 2025, a temporary stop, and people without a known household.
/// </summary>
public sealed class ReferentieBevolking
{
    private static readonly Gemeentecode Amsterdam = Gemeentecode.Parse("0363");
    private static readonly Gemeentecode Rotterdam = Gemeentecode.Parse("0599");
    private static readonly WijkCode A1 = WijkCode.Parse("WK036301");
    private static readonly WijkCode A2 = WijkCode.Parse("WK036302");
    private static readonly WijkCode R1 = WijkCode.Parse("WK059901");

    private readonly SyntheticBsn _bsns = new();
    private int _id;

    public Populatie Populatie { get; } = new();

    public IEnumerable<Bsn> Bsns => Populatie.Personen.Select(p => p.Bsn);

    public ReferentieBevolking()
    {
        for (var i = 0; i < 12; i++) GezinJeugdEnBijstand(A1);
        for (var i = 0; i < 30; i++) Oudere(A1);
        for (var i = 0; i < 11; i++) Gestapeld(A1);
        for (var i = 0; i < 5; i++) Vroeger(A1);
        for (var i = 0; i < 10; i++) KindVertrekt(A1, A2);
        for (var i = 0; i < 3; i++) GezinJeugdEnBijstand(A2);
        for (var i = 0; i < 25; i++) Oudere(A2);
        for (var i = 0; i < 10; i++) Gestapeld(A2);
        for (var i = 0; i < 4; i++) ZonderHuishouden(Amsterdam);
        for (var i = 0; i < 20; i++) Oudere(R1);
        for (var i = 0; i < 15; i++) GezinJeugdEnBijstand(R1);
    }

    /// <summary>
    /// The raw 2025 table by hand: region → soort → (persons, households). Per household type, per year 2025:
    /// <list type="bullet">
    /// <item>GezinJeugdEnBijstand: persons 1 Alleen P-wet + 1 Alleen Jeugd; household 1 Jeugd en P-wet.</item>
    /// <item>Oudere: person and household Alleen Wmo.</item>
    /// <item>Gestapeld: bijstand until March, Wmo from June: person and household P-wet en Wmo.</item>
    /// <item>Vroeger: ended in 2024, a withdrawn start in 2025: nothing.</item>
    /// <item>KindVertrekt: parent Alleen Wmo (old wijk); the child with jeugdhulp all year moves out on 1 July:
    /// the old household is Jeugd en Wmo, the new one (other wijk) Alleen Jeugd, and the child counts as a person in
    /// the new one's wijk.</item>
    /// <item>ZonderHuishouden: Alleen Wmo, person and one-person household, in "wijk onbekend".</item>
    /// </list>
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, (int Personen, int Huishoudens)>> Verwacht =
        new Dictionary<string, IReadOnlyDictionary<string, (int, int)>>
        {
            // 12 gezinnen, 30 ouderen, 11 gestapeld, 10 ouders van vertrekkers (their households JW)
            ["WK036301"] = Rij(alleenJeugd: (12, 0), alleenWmo: (40, 30), alleenP: (12, 0), jeugdWmo: (0, 10), jeugdP: (0, 12), pWmo: (11, 11)),
            // 3 gezinnen, 25 ouderen, 10 gestapeld, 10 vertrokken kinderen (own households)
            ["WK036302"] = Rij(alleenJeugd: (13, 10), alleenWmo: (25, 25), alleenP: (3, 0), jeugdWmo: (0, 0), jeugdP: (0, 3), pWmo: (10, 10)),
            ["WK0363ON"] = Rij(alleenJeugd: (0, 0), alleenWmo: (4, 4), alleenP: (0, 0), jeugdWmo: (0, 0), jeugdP: (0, 0), pWmo: (0, 0)),
            ["GM0363"] = Rij(alleenJeugd: (25, 10), alleenWmo: (69, 59), alleenP: (15, 0), jeugdWmo: (0, 10), jeugdP: (0, 15), pWmo: (21, 21)),
            ["WK059901"] = Rij(alleenJeugd: (15, 0), alleenWmo: (20, 20), alleenP: (15, 0), jeugdWmo: (0, 0), jeugdP: (0, 15), pWmo: (0, 0)),
            // Every gemeente with provisions has a "wijk onbekend" row, also when, as here, nobody counts in it.
            ["WK0599ON"] = Rij(alleenJeugd: (0, 0), alleenWmo: (0, 0), alleenP: (0, 0), jeugdWmo: (0, 0), jeugdP: (0, 0), pWmo: (0, 0)),
            ["GM0599"] = Rij(alleenJeugd: (15, 0), alleenWmo: (20, 20), alleenP: (15, 0), jeugdWmo: (0, 0), jeugdP: (0, 15), pWmo: (0, 0)),
            ["NL01"] = Rij(alleenJeugd: (40, 10), alleenWmo: (89, 79), alleenP: (30, 0), jeugdWmo: (0, 10), jeugdP: (0, 30), pWmo: (21, 21)),
        };

    /// <summary>The total and the law rows follow from the combinations (no "Jeugd, P-wet en Wmo" here).</summary>
    private static IReadOnlyDictionary<string, (int, int)> Rij((int P, int H) alleenJeugd, (int P, int H) alleenWmo, (int P, int H) alleenP,
        (int P, int H) jeugdWmo, (int P, int H) jeugdP, (int P, int H) pWmo)
    {
        (int, int) Som(params (int P, int H)[] cellen) => (cellen.Sum(c => c.P), cellen.Sum(c => c.H));
        return new Dictionary<string, (int, int)>
        {
            ["Totaal"] = Som(alleenJeugd, alleenWmo, alleenP, jeugdWmo, jeugdP, pWmo),
            ["Alleen Jeugd"] = alleenJeugd,
            ["Alleen Wmo"] = alleenWmo,
            ["Alleen P-wet"] = alleenP,
            ["Jeugd en Wmo"] = jeugdWmo,
            ["Jeugd en P-wet"] = jeugdP,
            ["P-wet en Wmo"] = pWmo,
            ["Jeugd, P-wet en Wmo"] = (0, 0),
            ["Jeugdwet"] = Som(alleenJeugd, jeugdWmo, jeugdP),
            ["Wmo"] = Som(alleenWmo, jeugdWmo, pWmo),
            ["Participatiewet"] = Som(alleenP, jeugdP, pWmo),
        };
    }

    private void GezinJeugdEnBijstand(WijkCode wijk)
    {
        var ouder = Persoon(1985);
        ouder.Voorzieningen.Add(Voorziening(ParticipatiewetLaw.Law, "PW01", wijk.Gemeente, new VoorzieningPeriode(new(2025, 1, 1), null, null)));
        var kind = Persoon(2015);
        kind.Voorzieningen.Add(Voorziening(JeugdwetLaw.Law, "45", wijk.Gemeente, new VoorzieningPeriode(new(2025, 3, 1), new DateOnly(2025, 9, 30), "31")));
        Huishouden(wijk, (ouder, HouseholdRole.Ouder, new(2010, 1, 1), null), (kind, HouseholdRole.Kind, new(2015, 5, 5), null));
    }

    private void Oudere(WijkCode wijk)
    {
        var oudere = Persoon(1940);
        oudere.Voorzieningen.Add(Voorziening(WmoLaw.Law, "01", wijk.Gemeente, new VoorzieningPeriode(new(2024, 5, 1), null, null)));
        oudere.Voorzieningen.Add(Voorziening(WmoLaw.Law, "14", wijk.Gemeente, new VoorzieningPeriode(new(2025, 2, 1), new DateOnly(2025, 2, 28), "19")));
        Huishouden(wijk, (oudere, HouseholdRole.Overig, new(1990, 1, 1), null));
    }

    private void Gestapeld(WijkCode wijk)
    {
        var persoon = Persoon(1975);
        persoon.Voorzieningen.Add(Voorziening(ParticipatiewetLaw.Law, "PW01", wijk.Gemeente, new VoorzieningPeriode(new(2024, 1, 1), new DateOnly(2025, 3, 31), "41")));
        // Begeleiding, stopped for a while in the summer and started again: still one provision, still Wmo in 2025.
        persoon.Voorzieningen.Add(Voorziening(WmoLaw.Law, "02", wijk.Gemeente, new VoorzieningPeriode(new(2025, 6, 1), new DateOnly(2025, 7, 31), RedenBeeindiging.TijdelijkBeeindigd), new VoorzieningPeriode(new(2025, 9, 1), null, null)));
        Huishouden(wijk, (persoon, HouseholdRole.Overig, new(2000, 1, 1), null));
    }

    private void Vroeger(WijkCode wijk)
    {
        var persoon = Persoon(1960);
        persoon.Voorzieningen.Add(new Voorziening(Id(), WmoLaw.Law, "02", wijk.Gemeente,
            [new(new(2023, 1, 1), new DateOnly(2024, 12, 31), "19")], IngetrokkenBegin: new DateOnly(2025, 2, 1)));
        Huishouden(wijk, (persoon, HouseholdRole.Overig, new(2000, 1, 1), null));
    }

    private void KindVertrekt(WijkCode oud, WijkCode nieuw)
    {
        var ouder = Persoon(1970);
        ouder.Voorzieningen.Add(Voorziening(WmoLaw.Law, "02", oud.Gemeente, new VoorzieningPeriode(new(2025, 1, 1), new DateOnly(2025, 12, 31), "19")));
        var kind = Persoon(2006);
        kind.Voorzieningen.Add(Voorziening(JeugdwetLaw.Law, "54", oud.Gemeente, new VoorzieningPeriode(new(2025, 1, 1), new DateOnly(2025, 12, 31), "31")));
        Huishouden(oud, (ouder, HouseholdRole.Ouder, new(2000, 1, 1), null), (kind, HouseholdRole.Kind, new(2006, 3, 1), new DateOnly(2025, 6, 30)));
        Huishouden(nieuw, (kind, HouseholdRole.Overig, new(2025, 7, 1), null));
    }

    private void ZonderHuishouden(Gemeentecode gemeente)
    {
        var persoon = Persoon(1980);
        persoon.Voorzieningen.Add(Voorziening(WmoLaw.Law, "16", gemeente, new VoorzieningPeriode(new(2025, 4, 1), null, null)));
        Populatie.Personen.Add(persoon);
    }

    private Persoon Persoon(int geboortejaar) => new(_bsns, new DateOnly(geboortejaar, 6, 15));

    private Voorziening Voorziening(Law law, string categorie, Gemeentecode gemeente, params VoorzieningPeriode[] perioden) =>
        new(Id(), law, categorie, gemeente, perioden);

    private void Huishouden(WijkCode wijk, params (Persoon Persoon, HouseholdRole Rol, DateOnly Van, DateOnly? Tot)[] leden)
    {
        Populatie.Huishoudens.Add(new Huishouden(Id(), wijk.Gemeente, wijk, [.. leden.Select(l => new Lid(l.Persoon, l.Rol, l.Van, l.Tot))]));
        foreach (var (persoon, _, _, _) in leden)
            if (!Populatie.Personen.Contains(persoon)) Populatie.Personen.Add(persoon);
    }

    private Guid Id() => new(++_id, 0, 0, [0, 0, 0, 0, 0, 0, 0, 0]);
}
