using SocialDomain.Contracts;
using SocialDomain.Households;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.ServiceDefaults.Access;
using SocialDomain.Wmo;

namespace SocialDomain.Embedded;

/// <summary>
/// The plan a regisseur keeps with a demo household: goals in the leefgebieden its provisions point to, actions with
/// an owner, status and deadline, the professionals involved (now and then two of them claiming the regie), now and
/// then a conflict between goals of different laws (a work obligation against the care for the children or for one's
/// health), and a consent for the regisseur of the next wijk, who stands in during leave (waarneming).
/// </summary>
internal static class DemoPlans
{
    private sealed record Doel(Leefgebied Leefgebied, string Omschrijving, string Eigenaar, (string Omschrijving, string Eigenaar)[] Acties);

    private sealed record Partij(string Naam, string Organisatie, Domein Domein, double RegieKans);

    private static readonly Dictionary<Law, Doel[]> Doelen = new()
    {
        [ParticipatiewetLaw.Law] =
        [
            new(Leefgebied.Financien, "Het inkomen is stabiel en er komen geen nieuwe schulden bij", "Cliënt",
                [("Aanmelden bij de schuldhulpverlening", "Regisseur"), ("Maandbudget opstellen met de budgetcoach", "Cliënt")]),
            new(Leefgebied.WerkEnDagbesteding, "Werkt minstens 16 uur per week", "Cliënt",
                [("Intake bij de werkcoach", "Consulent Werk en Inkomen"), ("Sollicitatietraining volgen", "Cliënt")]),
        ],
        [JeugdwetLaw.Law] =
        [
            new(Leefgebied.Opvoeding, "De ouders voelen zich zeker in de opvoeding", "Ouders",
                [("Wekelijkse gezinscoaching", "Jeugdhulpaanbieder"), ("Een vaste dagstructuur afspreken", "Ouders")]),
            new(Leefgebied.GeestelijkeGezondheid, "Het kind gaat weer elke dag naar school", "Kind en ouders",
                [("Overleg met school en leerplicht", "Regisseur"), ("Behandeling bij de jeugd-ggz afronden", "Jeugdhulpaanbieder")]),
        ],
        [WmoLaw.Law] =
        [
            new(Leefgebied.LichamelijkeGezondheid, "Kan veilig thuis blijven wonen", "Cliënt",
                [("Hulp bij het huishouden evalueren", "Wmo-consulent"), ("Valpreventie in huis", "Wijkverpleging")]),
            new(Leefgebied.SociaalNetwerk, "Heeft twee keer per week contact buiten de deur", "Cliënt",
                [("Dagbesteding in de buurt bezoeken", "Cliënt"), ("Een vrijwilliger voor wekelijks bezoek zoeken", "Buurtteam")]),
        ],
    };

    private static readonly Dictionary<Law, Partij[]> Partijen = new()
    {
        [ParticipatiewetLaw.Law] = [new("M. Yilmaz", "Werk en Inkomen Utrecht", Domein.Participatiewet, 0.15),
            new("P. Jansen", "Schuldhulpverlening Utrecht", Domein.Schuldhulpverlening, 0.05)],
        [JeugdwetLaw.Law] = [new("L. de Boer", "Jeugdhulp Utrecht", Domein.Jeugdwet, 0.25), new("K. Smit", "Samen Veilig Midden-Nederland", Domein.Jeugdbescherming, 0.3)],
        [WmoLaw.Law] = [new("R. Hoekstra", "Buurtteam Sociaal", Domein.Wmo, 0.1), new("E. Mulder", "Wijkverpleging Utrecht", Domein.Wijkverpleging, 0.0)],
    };

    /// <summary>The pairs of leefgebieden whose goals a party marks as conflicting, and why.</summary>
    private static readonly (Leefgebied Een, Leefgebied Ander, string GemarkeerdDoor, string Toelichting)[] Botsingen =
    [
        (Leefgebied.WerkEnDagbesteding, Leefgebied.Opvoeding, "M. Yilmaz (Werk en Inkomen)",
            "De arbeidsverplichting botst met de zorg voor de kinderen na schooltijd."),
        (Leefgebied.WerkEnDagbesteding, Leefgebied.LichamelijkeGezondheid, "E. Mulder (Wijkverpleging)",
            "Zestien uur werken per week is nu te zwaar naast de behandeling."),
    ];

    public static void Add(DemoWriter demo, DemoHousehold household, string regisseurId)
    {
        var random = demo.Random;
        var today = demo.Today;
        var goals = new Dictionary<Leefgebied, Guid>();
        foreach (var law in household.Laws.Where(Doelen.ContainsKey).Order())
            foreach (var doel in Doelen[law].Where((_, i) => i == 0 || random.NextDouble() < 0.5))
            {
                var goalId = demo.NextId();
                goals[doel.Leefgebied] = goalId;
                demo.Coordinate(regisseurId, household, AccessAction.EditPlan,
                    new SetGoal(goalId, doel.Leefgebied, doel.Omschrijving, doel.Eigenaar, random.NextDouble() < 0.7 ? PlanStatus.Lopend : PlanStatus.Open));
                foreach (var (omschrijving, eigenaar) in doel.Acties)
                {
                    var deadline = today.AddDays(random.Next(-60, 120));
                    var status = deadline < today ? (random.NextDouble() < 0.8 ? PlanStatus.Bereikt : PlanStatus.Lopend)
                        : random.NextDouble() < 0.5 ? PlanStatus.Lopend : PlanStatus.Open;
                    demo.Coordinate(regisseurId, household, AccessAction.EditPlan,
                        new SetAction(goalId, demo.NextId(), omschrijving, eigenaar, status, deadline));
                }
            }
        foreach (var (een, ander, door, toelichting) in Botsingen)
            if (goals.TryGetValue(een, out var goal) && goals.TryGetValue(ander, out var other) && random.NextDouble() < 0.5)
                demo.Coordinate(regisseurId, household, AccessAction.EditPlan, new MarkGoalConflict(goal, other, door, toelichting));

        foreach (var law in household.Laws.Where(Partijen.ContainsKey).Order())
            foreach (var partij in Partijen[law].Where((_, i) => i == 0 || random.NextDouble() < 0.3))
                demo.Coordinate(regisseurId, household, AccessAction.RecordInvolvedParty, new RecordInvolvedParty(demo.NextId(), partij.Naam,
                    partij.Organisatie, partij.Domein, random.NextDouble() < partij.RegieKans, today.AddDays(-random.Next(20, 500)), null));

        if (random.NextDouble() < 0.2 && household.Members.Where(m => m.Laws.Count > 0).MaxBy(m => m.Laws.Count) is { } member)
        {
            // The member lets the stand-in see their own provisions under one of their laws while the regisseur is away.
            var waarnemer = DemoData.Regisseurs[household.Wijk % DemoData.Regisseurs.Count].Id;
            var law = member.Laws.Order().ElementAt(random.Next(member.Laws.Count));
            var van = today.AddDays(-random.Next(0, 30));
            demo.Coordinate(regisseurId, household, AccessAction.GiveConsent, new GiveConsent(demo.NextId(), Bsn.Parse(member.Bsn), waarnemer, [law],
                van, van.AddDays(random.Next(30, 90)), regisseurId));
        }
    }
}
