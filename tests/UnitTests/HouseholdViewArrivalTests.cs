using CsCheck;
using SocialDomain.Contracts;
using SocialDomain.ServiceDefaults.Access;
using SocialDomain.Views;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Wmo;

namespace SocialDomain.UnitTests;

/// <summary>
/// The household view while its events arrive one by one, in any order: what it shows of an incomplete household,
/// and how overdracht, consent periods and gestapeld read in it.
/// </summary>
public class HouseholdViewArrivalTests
{
    private static readonly Gemeentecode Utrecht = Gemeentecode.Parse("0344");
    private static readonly Guid Id = Guid.Parse("6f1c1c1e-0000-4000-8000-000000000002");
    private static readonly string Stream = $"household-{Id}";
    private static readonly Bsn Ouder = Bsn.Parse("111222333");
    private static readonly Bsn Kind = Bsn.Parse("999990019");
    private static readonly Bsn Broer = Bsn.Parse("123456782");
    private static readonly DateOnly Peildatum = new(2025, 6, 1);
    private static readonly DateTimeOffset Recorded = new(2025, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid DoelA = Guid.NewGuid();
    private static readonly Guid DoelB = Guid.NewGuid();
    private static readonly Guid PerOuder = Guid.NewGuid();
    private static readonly Guid PerKind = Guid.NewGuid();

    [Fact]
    public void Any_delivery_of_some_of_the_events_gives_a_view_and_all_of_them_give_the_complete_view_in_any_order()
    {
        var (household, provisions) = History();
        var complete = Canonical(HouseholdViews.Build(household, provisions, Peildatum));
        var completeDeliveries = 0;

        Gen.Int.Sample(seed =>
        {
            // Half the deliveries miss nothing; the others miss a random share of events. All arrive shuffled, some twice.
            var random = new Random(seed);
            var missing = random.Next(2) == 0 ? 0 : random.NextDouble();
            T[] Deliver<T>(T[] events)
            {
                var arrived = events.Where(_ => random.NextDouble() >= missing).ToArray();
                return [.. arrived.Concat(arrived.Where(_ => random.Next(3) == 0)).OrderBy(_ => random.Next())];
            }
            var householdEvents = Deliver(household);
            if (householdEvents.Length == 0) householdEvents = [household[random.Next(household.Length)]];

            var provisionEvents = Deliver(provisions);

            var view = HouseholdViews.Build(householdEvents, provisionEvents, Peildatum);

            if (view is null || view.HouseholdId != Id || view.Gemeente != Utrecht) return false;
            if (householdEvents.DistinctBy(e => e.EventId).Count() < household.Length
                || provisionEvents.DistinctBy(e => e.EventId).Count() < provisions.Length) return true;
            Interlocked.Increment(ref completeDeliveries);
            return Canonical(view) == complete;
        }, iter: 2000);

        completeDeliveries.ShouldBeGreaterThan(100, "the property is only checked on deliveries that miss no household event");
    }

    [Fact]
    public void A_household_whose_regisseur_arrives_before_any_member_shows_the_regisseur_and_no_members()
    {
        var (household, provisions) = History();
        var regisseur = household.OfType<RegisseurAssigned>().Single();

        var view = HouseholdViews.Build([regisseur], provisions, Peildatum);

        view.Leden.ShouldBeEmpty();
        view.Gemeente.ShouldBe(Utrecht);
        view.Regisseur.ShouldBe(new RegisseurView("anna", "Anna", new DateOnly(2024, 1, 1)));
    }

    [Fact]
    public void A_leave_that_arrives_alone_still_places_the_household_in_its_gemeente()
    {
        var (household, provisions) = History();

        var view = HouseholdViews.Build([household.OfType<HouseholdMemberLeft>().Single()], provisions, Peildatum);

        view.Gemeente.ShouldBe(Utrecht);
        view.Leden.ShouldBeEmpty();
    }

    [Fact]
    public void After_an_overdracht_the_previous_regisseur_holds_the_regie_up_to_the_day_before_and_the_new_one_from_per()
    {
        var (household, _) = History();

        Regisseur(new DateOnly(2025, 3, 31)).ShouldBe("anna");
        Regisseur(new DateOnly(2025, 4, 1)).ShouldBe("carla");
        HouseholdRelations.On(household, new DateOnly(2025, 4, 1))!.Regisseur.ShouldBe("carla", "the policy reads the regisseur from the same events");
        return;

        string? Regisseur(DateOnly date) => HouseholdViews.Build(household, Array.Empty<IProvisionEvent>(), date).Regisseur?.RegisseurId;
    }

    [Fact]
    public void A_consent_holds_from_van_up_to_and_including_tot()
    {
        var (household, _) = History();

        Admits("bert", new DateOnly(2024, 12, 31)).ShouldBeFalse();
        Admits("bert", new DateOnly(2025, 1, 1)).ShouldBeTrue();
        Admits("bert", new DateOnly(2025, 12, 31)).ShouldBeTrue();
        Admits("bert", new DateOnly(2026, 1, 1)).ShouldBeFalse();
        HouseholdViews.Build(household, Array.Empty<IProvisionEvent>(), new DateOnly(2026, 1, 1)).Toestemmingen.ShouldBeEmpty();
        return;

        bool Admits(string user, DateOnly date) => HouseholdRelations.On(household, date)!.Consents.Any(c => c.Ontvanger == user);
    }

    [Fact]
    public void A_consent_shows_only_the_provisions_of_the_member_who_gave_it_under_its_laws()
    {
        var (household, _) = History();

        var whileBothHold = HouseholdRelations.On(household, new DateOnly(2025, 4, 15))!.ScopeOf("bert");
        var afterWithdrawal = HouseholdRelations.On(household, Peildatum)!.ScopeOf("bert");

        whileBothHold.LawsOf(Ouder, Contracts.Laws.All.Select(l => l.Law)).ShouldBe([ParticipatiewetLaw.Law]);
        whileBothHold.LawsOf(Kind, Contracts.Laws.All.Select(l => l.Law)).ShouldBe([JeugdwetLaw.Law]);
        whileBothHold.ShowsAny(Broer).ShouldBeFalse();
        afterWithdrawal.ShowsAny(Kind).ShouldBeFalse("the kind's consent was withdrawn per 1 May");
        afterWithdrawal.Shows(Ouder, ParticipatiewetLaw.Law).ShouldBeTrue();
        afterWithdrawal.Shows(Ouder, JeugdwetLaw.Law).ShouldBeFalse();
    }

    [Fact]
    public void A_household_is_gestapeld_when_its_active_provisions_span_more_than_one_law_signals_or_not()
    {
        var (household, provisions) = History();
        var bijstandOnly = provisions.Where(p => p.Law == ParticipatiewetLaw.Law).ToArray();

        var stacked = HouseholdViews.Build(household, provisions, Peildatum);
        var single = HouseholdViews.Build(household, bijstandOnly, Peildatum);

        stacked.Gestapeld.ShouldBeTrue();
        single.Gestapeld.ShouldBeFalse();
        single.Signalen.ShouldNotBeEmpty("two parties claim regie and two goals conflict, yet one law is not stapeling");
    }

    /// <summary>
    /// Ouder, Kind and Broer; Broer leaves end of March; Anna regisseur from 2024, overdracht to Carla per 1 April;
    /// two conflicting goals; two parties that both claim regie; Ouder lets Bert see the bijstand for 2025, Kind lets
    /// Bert see the youth care until withdrawn per 1 May.
    /// </summary>
    private static (IHouseholdEvent[] Household, IProvisionEvent[] Provisions) History()
    {
        var version = 0L;
        IHouseholdEvent[] household =
        [
            new HouseholdMemberJoined(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, Ouder, HouseholdRole.Ouder, new(2010, 1, 1),
                WijkCode.Parse("WK034401"), new(1985, 5, 5)),
            new HouseholdMemberJoined(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, Kind, HouseholdRole.Kind, new(2010, 1, 1), null, new(2010, 1, 1)),
            new HouseholdMemberJoined(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, Broer, HouseholdRole.Kind, new(2015, 1, 1), null, null),
            new RegisseurAssigned(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, "anna", "Anna", new(2024, 1, 1)),
            new PlanGoalSet(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, DoelA, Leefgebied.Financien, "Huurachterstand", "Ouder", PlanStatus.Open),
            new PlanGoalSet(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, DoelB, Leefgebied.Opvoeding, "Kamer opknappen", "Jeugdhulp", PlanStatus.Open),
            new PlanActionSet(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, DoelA, Guid.NewGuid(), "Betalingsregeling", "Schuldhulp",
                PlanStatus.Open, new(2025, 9, 1)),
            new GoalConflictMarked(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, DoelB, DoelA, "Schuldhulp", "Eerst de huur"),
            new InvolvedPartyRecorded(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, Guid.NewGuid(), "Sanne", "Schuldhulp",
                Domein.Schuldhulpverlening, true, new(2025, 1, 1), null),
            new InvolvedPartyRecorded(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, Guid.NewGuid(), "Piet", "Jeugdteam",
                Domein.Jeugdwet, true, new(2025, 1, 1), null),
            new ConsentGiven(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, PerOuder, Ouder, "bert", [ParticipatiewetLaw.Law],
                new(2025, 1, 1), new(2025, 12, 31), "anna"),
            new HouseholdMemberLeft(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, Broer, new(2025, 3, 31)),
            new RegisseurTransferred(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, "anna", "carla", "Carla", new(2025, 4, 1)),
            new ConsentGiven(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, PerKind, Kind, "bert", [JeugdwetLaw.Law], new(2025, 1, 1), null, "anna"),
            new ConsentWithdrawn(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, PerKind, new(2025, 5, 1)),
            new PlanGoalSet(Guid.NewGuid(), Stream, ++version, Recorded, Utrecht, Id, DoelA, Leefgebied.Financien, "Huurachterstand inlopen", "Ouder",
                PlanStatus.Lopend),
        ];
        var (bijstand, jeugd, wmo) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        IProvisionEvent[] provisions =
        [
            new ProvisionStarted(Guid.NewGuid(), $"provision-{bijstand}", 1, Recorded, Utrecht, ParticipatiewetLaw.Law, bijstand, Ouder, "PW01", null, null,
                new(2025, 1, 1), null),
            new ProvisionStarted(Guid.NewGuid(), $"provision-{jeugd}", 1, Recorded, Utrecht, JeugdwetLaw.Law, jeugd, Kind, "45", null, null, new(2024, 1, 1), null),
            new ProvisionEnded(Guid.NewGuid(), $"provision-{jeugd}", 2, Recorded, Utrecht, JeugdwetLaw.Law, jeugd, Kind, new(2024, 1, 1), new(2025, 12, 31), "31"),
            new ProvisionStarted(Guid.NewGuid(), $"provision-{wmo}", 1, Recorded, Utrecht, WmoLaw.Law, wmo, Broer, "02", null, null, new(2024, 1, 1), null),
        ];
        return (household, provisions);
    }

    private static string Canonical(HouseholdView view) => string.Join("\n",
    [
        $"{view.HouseholdId} {view.Gemeente} {view.Wijk} {view.Peildatum} {view.Wetten} {view.Gestapeld}",
        .. view.Leden.OrderBy(m => m.Bsn.Value).Select(m =>
            $"{m.Bsn} {m.Rol} {m.Van} {m.Tot} {m.Geboortedatum} {m.ActieveWetten} {string.Join(",", m.Voorzieningen.Select(p => p.ProvisionId).Order())}"),
        .. view.Signalen,
        $"{view.Regisseur}",
        .. view.Plan.Select(g => $"{g.GoalId} {g.Leefgebied} {g.Omschrijving} {g.Eigenaar} {g.Status} " +
            $"{string.Join(",", g.Acties)} {string.Join(",", g.Conflicten)}"),
        .. view.Betrokkenen.OrderBy(p => p.PartyId).Select(p => $"{p}"),
        .. view.Toestemmingen.OrderBy(c => c.ConsentId).Select(c => $"{c.ConsentId} {c.GegevenDoor} {c.Ontvanger} {string.Join(",", c.Wetten)} {c.Van} {c.Tot}"),
    ]);
}
