using SocialDomain.Contracts;
using SocialDomain.Households;
using SocialDomain.Jeugdwet;
using SocialDomain.Wmo;

namespace SocialDomain.UnitTests;

/// <summary>Every household rule, decided on a state folded from a few events, without a store or a request.</summary>
public class HouseholdDeciderTests
{
    private static readonly Gemeentecode Utrecht = Gemeentecode.Parse("0344");
    private static readonly Gemeentecode Amersfoort = Gemeentecode.Parse("0307");
    private static readonly Guid Id = Guid.Parse("6f1c1c1e-0000-4000-8000-000000000001");
    private static readonly string Stream = $"household-{Id}";
    private static readonly Bsn Ouder = Bsn.Parse("111222333");
    private static readonly Bsn Kind = Bsn.Parse("999990019");
    private static readonly DateOnly Sinds = new(2010, 1, 1);
    private static readonly DateOnly Jan1 = new(2025, 1, 1);
    private static readonly DateOnly Vandaag = new(2025, 6, 1);
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid DoelA = Guid.NewGuid();
    private static readonly Guid DoelB = Guid.NewGuid();
    private static readonly Guid Toestemming = Guid.NewGuid();

    /// <summary>One rule: what happened, what is asked, and the refusal it meets (null: accepted).</summary>
    public sealed record Rule(string Name, Func<long, IHouseholdEvent>[] Given, HouseholdCommand When, RefusalKind? Refusal = null, string? Field = null);

    private static readonly Func<long, IHouseholdEvent>[] Gezin = [Joined(Ouder, Sinds), Joined(Kind, Sinds)];
    private static readonly Func<long, IHouseholdEvent>[] MetAnna = [.. Gezin, Assigned("anna", Jan1)];
    private static readonly Func<long, IHouseholdEvent>[] MetDoelen = [.. MetAnna, Goal(DoelA), Goal(DoelB)];
    private static readonly Func<long, IHouseholdEvent>[] MetToestemming = [.. MetAnna, Consented(Toestemming, Ouder, Jan1, null)];

    private static readonly Dictionary<string, Rule> Rules = new Rule[]
    {
        new("A_person_joins_a_household_that_has_no_events_yet", [], Join(Ouder)),
        new("A_second_active_membership_of_the_same_person_is_refused", Gezin, Join(Ouder), RefusalKind.Conflict),
        new("A_person_who_left_may_join_again", [.. Gezin, Left(Kind, Jan1)], Join(Kind)),
        new("The_gemeente_of_a_household_is_fixed", Gezin, Join(Bsn.Parse("123456782"), Amersfoort), RefusalKind.Invalid, "gemeente"),
        new("A_birth_date_after_the_start_of_the_membership_is_refused", [], Join(Kind) with { Geboortedatum = Sinds.AddDays(1) },
            RefusalKind.Invalid, "geboortedatum"),
        new("Only_a_member_can_leave", [Joined(Ouder, Sinds)], new LeaveHousehold(Kind, Jan1), RefusalKind.Conflict),
        new("A_member_who_left_cannot_leave_again", [.. Gezin, Left(Kind, Jan1)], new LeaveHousehold(Kind, Vandaag), RefusalKind.Conflict),
        new("A_membership_cannot_end_before_it_started", Gezin, new LeaveHousehold(Kind, Sinds.AddDays(-1)), RefusalKind.Invalid, "tot"),
        new("A_membership_may_end_on_its_first_day", Gezin, new LeaveHousehold(Kind, Sinds)),
        new("Leaving_a_household_without_events_finds_no_household", [], new LeaveHousehold(Kind, Jan1), RefusalKind.NotFound),

        new("A_regisseur_is_assigned_when_there_is_none", Gezin, new AssignRegisseur("anna", "Anna", Jan1)),
        new("A_second_regisseur_is_refused", MetAnna, new AssignRegisseur("bert", "Bert", Vandaag), RefusalKind.Conflict),
        new("After_a_release_a_regisseur_can_be_assigned", [.. MetAnna, Released("anna", Vandaag)], new AssignRegisseur("bert", "Bert", Vandaag)),
        new("Assigning_a_regisseur_to_a_household_without_events_finds_no_household", [], new AssignRegisseur("anna", "Anna", Jan1),
            RefusalKind.NotFound),
        new("Without_a_regisseur_there_is_nothing_to_release", Gezin, new ReleaseRegisseur(Vandaag), RefusalKind.Conflict),
        new("A_release_before_the_regisseur_started_is_refused", MetAnna, new ReleaseRegisseur(Jan1.AddDays(-1)), RefusalKind.Invalid, "tot"),
        new("Without_a_regisseur_there_is_nothing_to_transfer", Gezin, new TransferRegisseur("bert", "Bert", Vandaag), RefusalKind.Conflict),
        new("A_released_regisseur_cannot_be_transferred_from", [.. MetAnna, Released("anna", Vandaag)], new TransferRegisseur("bert", "Bert", Vandaag),
            RefusalKind.Conflict),
        new("A_transfer_goes_to_someone_else", MetAnna, new TransferRegisseur("anna", "Anna", Vandaag), RefusalKind.Conflict),
        new("After_a_transfer_the_new_regisseur_holds_the_regie", [.. MetAnna, Transferred("anna", "bert", Vandaag)],
            new TransferRegisseur("bert", "Bert", Vandaag.AddDays(1)), RefusalKind.Conflict),
        new("A_transfer_before_the_regisseur_started_is_refused", MetAnna, new TransferRegisseur("bert", "Bert", Jan1.AddDays(-1)),
            RefusalKind.Invalid, "per"),
        new("A_transfer_on_the_day_the_regisseur_started_is_accepted", MetAnna, new TransferRegisseur("bert", "Bert", Jan1)),

        new("A_goal_is_set_in_an_existing_household", Gezin, SetGoal(DoelA)),
        new("A_goal_in_a_household_without_events_finds_no_household", [], SetGoal(DoelA), RefusalKind.NotFound),
        new("An_action_needs_an_existing_goal", MetAnna, SetAction(DoelA), RefusalKind.NotFound),
        new("An_action_on_an_existing_goal_is_set", MetDoelen, SetAction(DoelA)),
        new("A_goal_does_not_conflict_with_itself", MetDoelen, Conflict(DoelA, DoelA), RefusalKind.Invalid, "conflictsWithGoalId"),
        new("A_conflict_needs_the_first_goal_to_exist", MetDoelen, Conflict(Guid.NewGuid(), DoelB), RefusalKind.NotFound),
        new("A_conflict_needs_the_other_goal_to_exist", MetDoelen, Conflict(DoelA, Guid.NewGuid()), RefusalKind.NotFound),
        new("A_conflict_between_two_existing_goals_is_marked", MetDoelen, Conflict(DoelA, DoelB)),

        new("An_involved_party_is_recorded", MetAnna, Party(Jan1, null)),
        new("An_involved_party_ending_before_it_starts_is_refused", MetAnna, Party(Jan1, Jan1.AddDays(-1)), RefusalKind.Invalid, "tot"),

        new("Consent_for_a_member_is_recorded", MetAnna, Consent(Ouder, Jan1, Jan1)),
        new("Consent_for_a_person_who_is_not_a_member_is_refused", MetAnna, Consent(Bsn.Parse("123456782"), Jan1, null),
            RefusalKind.Invalid, "gegevenDoor"),
        new("Consent_for_a_member_who_left_is_refused", [.. MetAnna, Left(Kind, Jan1)], Consent(Kind, Vandaag, null),
            RefusalKind.Invalid, "gegevenDoor"),
        new("Consent_names_at_least_one_law", MetAnna, Consent(Ouder, Jan1, null) with { Wetten = [] }, RefusalKind.Invalid, "wetten"),
        new("Consent_ending_before_it_starts_is_refused", MetAnna, Consent(Ouder, Jan1, Jan1.AddDays(-1)), RefusalKind.Invalid, "tot"),
        new("Consent_in_a_household_without_events_finds_no_household", [], Consent(Ouder, Jan1, null), RefusalKind.NotFound),
        new("Active_consent_can_be_withdrawn", MetToestemming, new WithdrawConsent(Toestemming, Vandaag)),
        new("Withdrawn_consent_cannot_be_withdrawn_again", [.. MetToestemming, Withdrawn(Toestemming, Vandaag)],
            new WithdrawConsent(Toestemming, Vandaag), RefusalKind.Conflict),
        new("Consent_that_was_never_given_cannot_be_withdrawn", MetToestemming, new WithdrawConsent(Guid.NewGuid(), Vandaag), RefusalKind.NotFound),
        new("Consent_past_its_last_day_cannot_be_withdrawn", [.. MetAnna, Consented(Toestemming, Ouder, Jan1, Vandaag.AddDays(-1))],
            new WithdrawConsent(Toestemming, Vandaag), RefusalKind.Conflict),
        new("Consent_on_its_last_day_can_be_withdrawn", [.. MetAnna, Consented(Toestemming, Ouder, Jan1, Vandaag)],
            new WithdrawConsent(Toestemming, Vandaag)),
        new("A_withdrawal_before_the_consent_starts_is_refused", MetToestemming, new WithdrawConsent(Toestemming, Jan1.AddDays(-1)),
            RefusalKind.Invalid, "per"),
    }.ToDictionary(r => r.Name);

    public static TheoryData<string> RuleNames => new(Rules.Keys);

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Household_rule(string rule)
    {
        var (_, given, when, refusal, field) = Rules[rule];

        var decision = Decide(given, when);

        if (refusal is null)
        {
            decision.ShouldBeOfType<Accepted>();
            return;
        }
        var refused = decision.ShouldBeOfType<Refused>();
        refused.Kind.ShouldBe(refusal.Value);
        refused.Field.ShouldBe(field);
        refused.Reason.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Transfer_names_the_old_and_the_new_regisseur()
    {
        var transferred = Accepted<RegisseurTransferred>(MetAnna, new TransferRegisseur("bert", "Bert", Vandaag));

        transferred.ShouldBe(new RegisseurTransferred(transferred.EventId, Stream, 4, Now, Utrecht, Id, "anna", "bert", "Bert", Vandaag));
    }

    [Fact]
    public void A_release_after_a_transfer_releases_the_new_regisseur()
    {
        var released = Accepted<RegisseurReleased>([.. MetAnna, Transferred("anna", "bert", Jan1.AddMonths(2))], new ReleaseRegisseur(Vandaag));

        released.RegisseurId.ShouldBe("bert");
        released.Tot.ShouldBe(Vandaag);
    }

    [Fact]
    public void A_joining_member_takes_the_household_id_and_the_next_version_from_the_envelope()
    {
        var joined = Accepted<HouseholdMemberJoined>(Gezin, Join(Bsn.Parse("123456782")));

        (joined.HouseholdId, joined.StreamId, joined.StreamVersion, joined.OccurredAt, joined.Gemeente).ShouldBe((Id, Stream, 3L, Now, Utrecht));
    }

    [Fact]
    public void Consent_records_its_member_its_laws_once_its_period_and_who_recorded_it()
    {
        var command = Consent(Ouder, Jan1, Vandaag) with { Wetten = [WmoLaw.Law, JeugdwetLaw.Law, WmoLaw.Law] };

        var given = Accepted<ConsentGiven>(MetAnna, command);

        given.GegevenDoor.ShouldBe(Ouder);
        given.Ontvanger.ShouldBe("bert");
        given.Wetten.ShouldBe([WmoLaw.Law, JeugdwetLaw.Law]);
        (given.Van, given.Tot, given.VastgelegdDoor).ShouldBe((Jan1, (DateOnly?)Vandaag, "anna"));
    }

    [Fact]
    public void The_state_folds_the_stream_in_version_order_whatever_the_order_read()
    {
        Func<long, IHouseholdEvent>[] history = [.. MetAnna, Transferred("anna", "bert", Vandaag), Left(Kind, Jan1)];
        var stream = history.Select((e, i) => e(i + 1)).ToArray();

        var state = Household.From(stream.Reverse())!;

        state.Regisseur.ShouldBe(new Regisseur("bert", "Bert", Vandaag));
        state.ActiveMembers.Keys.ShouldBe([Ouder]);
        state.Version.ShouldBe(5);
    }

    private static Decision Decide(IEnumerable<Func<long, IHouseholdEvent>> given, HouseholdCommand when)
    {
        var state = Household.From(given.Select((e, i) => e(i + 1)));
        return HouseholdDecider.Decide(state, when, new Envelope(Guid.NewGuid(), Stream, (state?.Version ?? 0) + 1, Now, Id, Vandaag));
    }

    private static T Accepted<T>(IEnumerable<Func<long, IHouseholdEvent>> given, HouseholdCommand when) =>
        Decide(given, when).ShouldBeOfType<Accepted>().Event.ShouldBeOfType<T>();

    private static JoinHousehold Join(Bsn bsn, Gemeentecode? gemeente = null) =>
        new(bsn, gemeente ?? Utrecht, HouseholdRole.Kind, Sinds, null, null);

    private static SetGoal SetGoal(Guid goal) => new(goal, Leefgebied.Financien, "Schulden regelen", "Ouder", PlanStatus.Open);

    private static SetAction SetAction(Guid goal) => new(goal, Guid.NewGuid(), "Betalingsregeling", "Schuldhulp", PlanStatus.Open, null);

    private static MarkGoalConflict Conflict(Guid goal, Guid other) => new(goal, other, "Schuldhulp", "Eerst de huur");

    private static RecordInvolvedParty Party(DateOnly van, DateOnly? tot) => new(Guid.NewGuid(), "Sanne", "Schuldhulp", Domein.Schuldhulpverlening, true, van, tot);

    private static GiveConsent Consent(Bsn door, DateOnly van, DateOnly? tot) => new(Guid.NewGuid(), door, "bert", [JeugdwetLaw.Law], van, tot, "anna");

    private static Func<long, IHouseholdEvent> Joined(Bsn bsn, DateOnly van) =>
        v => new HouseholdMemberJoined(Guid.NewGuid(), Stream, v, Now, Utrecht, Id, bsn, HouseholdRole.Ouder, van, null, null);

    private static Func<long, IHouseholdEvent> Left(Bsn bsn, DateOnly tot) =>
        v => new HouseholdMemberLeft(Guid.NewGuid(), Stream, v, Now, Utrecht, Id, bsn, tot);

    private static Func<long, IHouseholdEvent> Assigned(string regisseur, DateOnly van) =>
        v => new RegisseurAssigned(Guid.NewGuid(), Stream, v, Now, Utrecht, Id, regisseur, "Anna", van);

    private static Func<long, IHouseholdEvent> Released(string regisseur, DateOnly tot) =>
        v => new RegisseurReleased(Guid.NewGuid(), Stream, v, Now, Utrecht, Id, regisseur, tot);

    private static Func<long, IHouseholdEvent> Transferred(string from, string to, DateOnly per) =>
        v => new RegisseurTransferred(Guid.NewGuid(), Stream, v, Now, Utrecht, Id, from, to, "Bert", per);

    private static Func<long, IHouseholdEvent> Goal(Guid goal) =>
        v => new PlanGoalSet(Guid.NewGuid(), Stream, v, Now, Utrecht, Id, goal, Leefgebied.Financien, "Doel", "Ouder", PlanStatus.Open);

    private static Func<long, IHouseholdEvent> Consented(Guid consent, Bsn door, DateOnly van, DateOnly? tot) =>
        v => new ConsentGiven(Guid.NewGuid(), Stream, v, Now, Utrecht, Id, consent, door, "bert", [JeugdwetLaw.Law], van, tot, "anna");

    private static Func<long, IHouseholdEvent> Withdrawn(Guid consent, DateOnly per) =>
        v => new ConsentWithdrawn(Guid.NewGuid(), Stream, v, Now, Utrecht, Id, consent, per);
}
