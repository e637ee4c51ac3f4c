using SocialDomain.Contracts;
using SocialDomain.Households;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.ServiceDefaults.Access;
using SocialDomain.Wmo;

namespace SocialDomain.Embedded;

/// <summary>
/// The two households a demo is walked through, with fixed ids so the README can name them. In
/// <see cref="Overgang"/> (wijk 01, the demo regisseur's own) a son turned 18 two months ago: his jeugd-ggz ended the
/// day before and Wmo begeleiding took over; his sister turns 18 in four months with jeugdhulp and nothing after it
/// yet (the 18-/18+ signal); the plan has a goal per leefgebied, actions, and a work obligation that conflicts with
/// the care for the daughter; two parties claim the regie. In <see cref="Toestemming"/> (wijk 02, a colleague's)
/// the husband consented that the demo regisseur sees his Wmo provisions: she sees those and nothing else, not his
/// bijstand and nothing of his wife.
/// </summary>
public static class DemoShowcase
{
    public static readonly Guid Overgang = Guid.Parse("00000344-0000-4000-8000-000000000018");
    public static readonly Guid Toestemming = Guid.Parse("00000344-0000-4000-8000-000000000007");

    internal const int Households = 2;

    internal static void Add(DemoWriter demo)
    {
        AddOvergang(demo);
        AddToestemming(demo);
    }

    private static void AddOvergang(DemoWriter demo)
    {
        var today = demo.Today;
        var moeder = demo.Member(HouseholdRole.Ouder, today.AddYears(-44).AddDays(-100));
        var zoon = demo.Member(HouseholdRole.Kind, today.AddYears(-18).AddDays(-60));
        var dochter = demo.Member(HouseholdRole.Kind, today.AddYears(-18).AddDays(120));
        var household = demo.Household(Overgang, 1, [moeder, zoon, dochter]);
        var zoon18 = zoon.Born.AddYears(18);
        var dochter18 = dochter.Born.AddYears(18);

        demo.Provision(household, moeder, ParticipatiewetLaw.Law, "PW01", today.AddDays(-800));
        demo.Provision(household, zoon, JeugdwetLaw.Law, "54", zoon18.AddYears(-2), zoon18.AddDays(-1), "39");
        demo.Provision(household, zoon, WmoLaw.Law, "02", zoon18);
        demo.Provision(household, dochter, JeugdwetLaw.Law, "45", today.AddDays(-400));
        demo.Regie(household, DemoData.Regisseur, DemoData.RegisseurNaam, today.AddDays(-300));

        void Plan(HouseholdCommand command, AccessAction action = AccessAction.EditPlan, Guid? consentId = null) =>
            demo.Coordinate(DemoData.Regisseur, household, action, command, consentId);
        var (financien, werk, opvoeding, zoonVervolg, dochterVervolg) = (demo.NextId(), demo.NextId(), demo.NextId(), demo.NextId(), demo.NextId());
        Plan(new SetGoal(financien, Leefgebied.Financien, "Geen nieuwe schulden; de vaste lasten worden automatisch betaald", "Moeder", PlanStatus.Lopend));
        Plan(new SetAction(financien, demo.NextId(), "Aanmelden bij de schuldhulpverlening", "Regisseur", PlanStatus.Bereikt, today.AddDays(-40)));
        Plan(new SetAction(financien, demo.NextId(), "Budgetplan maken met de budgetcoach", "Moeder", PlanStatus.Lopend, today.AddDays(30)));
        Plan(new SetGoal(werk, Leefgebied.WerkEnDagbesteding, "Moeder werkt 24 uur per week", "Moeder", PlanStatus.Open));
        Plan(new SetAction(werk, demo.NextId(), "Intake bij de werkcoach", "Consulent Werk en Inkomen", PlanStatus.Open, today.AddDays(21)));
        Plan(new SetGoal(opvoeding, Leefgebied.Opvoeding, "De dochter heeft na school een volwassene thuis", "Moeder en dochter", PlanStatus.Lopend));
        Plan(new SetAction(opvoeding, demo.NextId(), "Afspraken over de middagen vastleggen", "Moeder", PlanStatus.Lopend, today.AddDays(14)));
        Plan(new SetGoal(zoonVervolg, Leefgebied.GeestelijkeGezondheid, "De zoon houdt na zijn 18e een vaste begeleider", "Zoon", PlanStatus.Bereikt));
        Plan(new SetAction(zoonVervolg, demo.NextId(), "Warme overdracht van de jeugd-ggz naar Wmo-begeleiding", "Regisseur", PlanStatus.Bereikt,
            zoon18.AddDays(-14)));
        Plan(new SetAction(zoonVervolg, demo.NextId(), "Begeleiding na drie maanden evalueren", "Wmo-consulent", PlanStatus.Open, zoon18.AddDays(90)));
        Plan(new SetGoal(dochterVervolg, Leefgebied.GeestelijkeGezondheid, "De dochter heeft vóór haar 18e een vervolg op de jeugdhulp", "Dochter",
            PlanStatus.Open));
        Plan(new SetAction(dochterVervolg, demo.NextId(), "Vervolg na 18 bespreken met dochter en jeugdhulp", "Regisseur", PlanStatus.Open,
            dochter18.AddDays(-90)));
        Plan(new SetAction(dochterVervolg, demo.NextId(), "Wmo-begeleiding aanvragen", "Moeder en dochter", PlanStatus.Open, dochter18.AddDays(-30)));
        Plan(new MarkGoalConflict(werk, opvoeding, "M. Yilmaz (Werk en Inkomen)",
            "Een arbeidsverplichting van 24 uur botst met de afspraak dat moeder na schooltijd thuis is."));

        Plan(new RecordInvolvedParty(demo.NextId(), "M. Yilmaz", "Werk en Inkomen Utrecht", Domein.Participatiewet, false, today.AddDays(-700), null),
            AccessAction.RecordInvolvedParty);
        Plan(new RecordInvolvedParty(demo.NextId(), "L. de Boer", "Jeugdhulp Utrecht", Domein.Jeugdwet, true, today.AddDays(-400), null),
            AccessAction.RecordInvolvedParty);
        Plan(new RecordInvolvedParty(demo.NextId(), "P. Jansen", "Schuldhulpverlening Utrecht", Domein.Schuldhulpverlening, true, today.AddDays(-60), null),
            AccessAction.RecordInvolvedParty);
        Plan(new RecordInvolvedParty(demo.NextId(), "R. Hoekstra", "Buurtteam Sociaal", Domein.Wmo, false, zoon18, null),
            AccessAction.RecordInvolvedParty);

        // The son, now of age, lets the colleague who stands in during leave see his Wmo support; the mother's earlier
        // consent for her bijstand was withdrawn.
        var waarnemer = DemoData.Regisseurs[1].Id;
        Plan(new GiveConsent(demo.NextId(), Bsn.Parse(zoon.Bsn), waarnemer, [WmoLaw.Law], today.AddDays(-10), today.AddDays(40), DemoData.Regisseur),
            AccessAction.GiveConsent);
        var ingetrokken = demo.NextId();
        Plan(new GiveConsent(ingetrokken, Bsn.Parse(moeder.Bsn), waarnemer, [ParticipatiewetLaw.Law], today.AddDays(-200), null, DemoData.Regisseur),
            AccessAction.GiveConsent);
        Plan(new WithdrawConsent(ingetrokken, today.AddDays(-150)), AccessAction.WithdrawConsent, ingetrokken);
    }

    private static void AddToestemming(DemoWriter demo)
    {
        var today = demo.Today;
        var man = demo.Member(HouseholdRole.Ouder, today.AddYears(-58).AddDays(-20));
        var vrouw = demo.Member(HouseholdRole.Partner, today.AddYears(-55).AddDays(-200));
        var household = demo.Household(Toestemming, 2, [man, vrouw]);
        demo.Provision(household, man, ParticipatiewetLaw.Law, "PW01", today.AddDays(-700));
        demo.Provision(household, man, WmoLaw.Law, "07", today.AddDays(-400));
        demo.Provision(household, vrouw, WmoLaw.Law, "01", today.AddDays(-300));
        var (regisseurId, naam) = DemoData.Regisseurs[1];
        demo.Regie(household, regisseurId, naam, today.AddDays(-500));

        var goal = demo.NextId();
        demo.Coordinate(regisseurId, household, AccessAction.EditPlan,
            new SetGoal(goal, Leefgebied.SociaalNetwerk, "Meneer gaat drie dagen per week naar de dagbesteding", "Meneer", PlanStatus.Lopend));
        demo.Coordinate(regisseurId, household, AccessAction.EditPlan,
            new SetAction(goal, demo.NextId(), "Vervoer naar de dagbesteding regelen", "Wmo-consulent", PlanStatus.Bereikt, today.AddDays(-300)));
        demo.Coordinate(regisseurId, household, AccessAction.RecordInvolvedParty,
            new RecordInvolvedParty(demo.NextId(), "R. Hoekstra", "Buurtteam Sociaal", Domein.Wmo, false, today.AddDays(-400), null));
        // The demo regisseur coordinates the household of the couple's son; the husband lets her see his Wmo support, no more.
        demo.Coordinate(regisseurId, household, AccessAction.GiveConsent,
            new GiveConsent(demo.NextId(), Bsn.Parse(man.Bsn), DemoData.Regisseur, [WmoLaw.Law], today.AddDays(-90), null, regisseurId));
    }
}
