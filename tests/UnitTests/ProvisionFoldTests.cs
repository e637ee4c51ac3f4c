using CsCheck;
using SocialDomain.Contracts;
using SocialDomain.Views;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Wmo;

namespace SocialDomain.UnitTests;

public class ProvisionFoldTests
{
    private static readonly Bsn Child = Bsn.Parse("999990019");
    private static readonly Gemeentecode Utrecht = Gemeentecode.Parse("0344");
    private static readonly DateOnly Jan1 = new(2025, 1, 1);

    [Fact]
    public void An_end_that_arrives_before_its_start_still_ends_it()
    {
        var (start, end) = StartAndEnd(JeugdwetLaw.Law, "45", Jan1, Jan1.AddMonths(3));

        var timeline = ProvisionFold.Fold([end, start]).ShouldHaveSingleItem();

        timeline.Perioden.ShouldHaveSingleItem().ShouldBe(
            new ProvisionPeriod(Jan1, Jan1.AddMonths(3), "31") { StartEventId = start.EventId, StopEventId = end.EventId });
        timeline.ActiveOn(Jan1.AddMonths(3)).ShouldBeTrue("the einddatum is the last day of the provision");
        timeline.ActiveOn(Jan1.AddMonths(3).AddDays(1)).ShouldBeFalse();
    }

    [Fact]
    public void A_retracted_start_counts_as_never_sent()
    {
        var (start, _) = StartAndEnd(WmoLaw.Law, "02", Jan1, Jan1);
        var retraction = new ProvisionRetracted(Guid.NewGuid(), start.StreamId, 2, DateTimeOffset.UtcNow, Utrecht, WmoLaw.Law,
            start.ProvisionId, Child, start.EventId);

        ProvisionFold.Fold([retraction, start]).ShouldBeEmpty();
    }

    [Fact]
    public void After_a_temporary_stop_a_new_start_opens_a_second_period()
    {
        var id = Guid.NewGuid();
        var events = new IProvisionEvent[]
        {
            Started(id, JeugdwetLaw.Law, "45", Jan1, version: 1),
            new ProvisionEnded(Guid.NewGuid(), $"provision-{id}", 2, DateTimeOffset.UtcNow, Utrecht, JeugdwetLaw.Law, id, Child, Jan1, Jan1.AddDays(9), "20"),
            Started(id, JeugdwetLaw.Law, "45", Jan1.AddDays(30), version: 3),
        };

        var timeline = ProvisionFold.Fold(events.Reverse()).ShouldHaveSingleItem();

        timeline.Perioden.Count.ShouldBe(2);
        timeline.ActiveOn(Jan1.AddDays(20)).ShouldBeFalse();
        timeline.ActiveOn(Jan1.AddDays(40)).ShouldBeTrue();
    }

    [Fact]
    public void A_person_with_jeugdhulp_and_wmo_on_the_same_day_is_stacked()
    {
        var (jeugd, _) = StartAndEnd(JeugdwetLaw.Law, "45", Jan1, Jan1);
        var (wmo, wmoEnd) = StartAndEnd(WmoLaw.Law, "02", Jan1.AddMonths(1), Jan1.AddMonths(2));
        var timelines = ProvisionFold.Fold([jeugd, wmo, wmoEnd]);

        var during = PersonStacking.At(timelines, Jan1.AddMonths(1).AddDays(5));
        during.Combinatie.ShouldBe("Jeugd en Wmo");
        during.Gestapeld.ShouldBeTrue();

        var after = PersonStacking.At(timelines, Jan1.AddMonths(3));
        after.Combinatie.ShouldBe("Alleen Jeugd");
        after.Gestapeld.ShouldBeFalse();
    }

    [Fact]
    public void Any_shuffle_and_duplication_of_the_events_gives_the_same_view()
    {
        var history = History();
        var expected = Canonical(ProvisionFold.Fold(history));
        expected.Split('\n').Length.ShouldBe(9, "eight provisions and the one with two periods; the retracted one is gone");
        expected.ShouldContain($"{{ Begindatum = {Jan1.AddDays(30)}, Einddatum = , RedenBeeindiging = , StartEventId = ");

        Gen.Int.Sample(seed =>
        {
            // Every event arrives at least once, a random subset a second time, all in a random order.
            var random = new Random(seed);
            var delivery = history.Concat(history.Where(_ => random.Next(3) == 0)).OrderBy(_ => random.Next()).ToArray();
            return Canonical(ProvisionFold.Fold(delivery)) == expected;
        });
    }

    private static IProvisionEvent[] History()
    {
        var events = new List<IProvisionEvent>();
        for (var i = 0; i < 8; i++)
        {
            var law = Contracts.Laws.All[i % 3].Law;
            var categorie = Productcategorie.Of(law).Keys.First();
            var (start, end) = StartAndEnd(law, categorie, Jan1.AddDays(i * 10), Jan1.AddDays(i * 10 + 40));
            events.Add(start);
            if (i % 2 == 0) events.Add(end);
        }
        var (retracted, _) = StartAndEnd(WmoLaw.Law, "01", Jan1, Jan1);
        events.Add(retracted);
        events.Add(new ProvisionRetracted(Guid.NewGuid(), retracted.StreamId, 2, DateTimeOffset.UtcNow, Utrecht, WmoLaw.Law,
            retracted.ProvisionId, Child, retracted.EventId));

        // A temporary stop, a second period, and a withdrawn end of that second period: it runs on.
        var id = Guid.NewGuid();
        var stream = $"provision-{id}";
        var secondEnd = new ProvisionEnded(Guid.NewGuid(), stream, 4, DateTimeOffset.UtcNow, Utrecht, JeugdwetLaw.Law, id, Child, Jan1.AddDays(30), Jan1.AddDays(60), "31");
        events.AddRange([
            Started(id, JeugdwetLaw.Law, "45", Jan1, version: 1),
            new ProvisionEnded(Guid.NewGuid(), stream, 2, DateTimeOffset.UtcNow, Utrecht, JeugdwetLaw.Law, id, Child, Jan1, Jan1.AddDays(9), "20"),
            Started(id, JeugdwetLaw.Law, "45", Jan1.AddDays(30), version: 3),
            secondEnd,
            new ProvisionRetracted(Guid.NewGuid(), stream, 5, DateTimeOffset.UtcNow, Utrecht, JeugdwetLaw.Law, id, Child, secondEnd.EventId),
        ]);
        return [.. events];
    }

    private static string Canonical(IReadOnlyList<ProvisionTimeline> timelines) => string.Join("\n", timelines
        .OrderBy(t => t.ProvisionId)
        .Select(t => $"{t.ProvisionId} {t.Law} {t.Productcategorie} {string.Join(";", t.Perioden)}"));

    private static (ProvisionStarted, ProvisionEnded) StartAndEnd(Law law, string categorie, DateOnly begin, DateOnly end)
    {
        var id = Guid.NewGuid();
        return (Started(id, law, categorie, begin, 1),
            new ProvisionEnded(Guid.NewGuid(), $"provision-{id}", 2, DateTimeOffset.UtcNow, Utrecht, law, id, Child, begin, end, "31"));
    }

    private static ProvisionStarted Started(Guid id, Law law, string categorie, DateOnly begin, long version) =>
        new(Guid.NewGuid(), $"provision-{id}", version, DateTimeOffset.UtcNow, Utrecht, law, id, Child, categorie, null, null, begin, null);
}

public class HouseholdViewTests
{
    private static readonly Gemeentecode Utrecht = Gemeentecode.Parse("0344");
    private static readonly Guid Household = Guid.NewGuid();
    private static readonly Bsn Ouder = Bsn.Parse("111222333");
    private static readonly Bsn Kind = Bsn.Parse("999990019");

    [Fact]
    public void Any_shuffle_and_duplication_of_household_and_provision_events_gives_the_same_view()
    {
        var (household, provisions) = History();
        var expected = Canonical(HouseholdViews.Build(household, provisions, new DateOnly(2025, 6, 1))!);

        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            IEnumerable<T> Deliver<T>(T[] events) => events.Concat(events.Where(_ => random.Next(3) == 0)).OrderBy(_ => random.Next()).ToArray();
            return Canonical(HouseholdViews.Build(Deliver(household), Deliver(provisions), new DateOnly(2025, 6, 1))!) == expected;
        });
    }

    [Fact]
    public void A_child_who_moved_out_is_not_in_the_household_after_that_date_and_its_provisions_no_longer_count()
    {
        var (household, provisions) = History();

        var before = HouseholdViews.Build(household, provisions, new DateOnly(2025, 6, 1))!;
        var after = HouseholdViews.Build(household, provisions, new DateOnly(2025, 9, 1))!;

        before.Leden.Select(m => m.Bsn).ShouldBe([Ouder, Kind], ignoreOrder: true);
        before.Combinatie.ShouldBe("Jeugd en P-wet");
        after.Leden.Select(m => m.Bsn).ShouldBe([Ouder]);
        after.Combinatie.ShouldBe("Alleen P-wet");
    }

    private static (IHouseholdEvent[] Household, IProvisionEvent[] Provisions) History()
    {
        var stream = $"household-{Household}";
        var now = DateTimeOffset.UtcNow;
        var goal = Guid.NewGuid();
        IHouseholdEvent[] household =
        [
            new HouseholdMemberJoined(Guid.NewGuid(), stream, 1, now, Utrecht, Household, Ouder, HouseholdRole.Ouder, new(2010, 1, 1), null, null),
            new HouseholdMemberJoined(Guid.NewGuid(), stream, 2, now, Utrecht, Household, Kind, HouseholdRole.Kind, new(2010, 1, 1), null, new(2008, 3, 1)),
            new RegisseurAssigned(Guid.NewGuid(), stream, 3, now, Utrecht, Household, "anna", "Anna", new(2025, 1, 1)),
            new PlanGoalSet(Guid.NewGuid(), stream, 4, now.AddYears(-2), Utrecht, Household, goal, Leefgebied.Financien, "Schulden", "Ouder", PlanStatus.Open),
            new PlanGoalSet(Guid.NewGuid(), stream, 5, now.AddYears(-2), Utrecht, Household, goal, Leefgebied.Financien, "Schulden regelen", "Ouder", PlanStatus.Lopend),
            new HouseholdMemberLeft(Guid.NewGuid(), stream, 6, now, Utrecht, Household, Kind, new(2025, 7, 31)),
        ];
        var bijstand = Guid.NewGuid();
        var jeugd = Guid.NewGuid();
        IProvisionEvent[] provisions =
        [
            new ProvisionStarted(Guid.NewGuid(), $"provision-{bijstand}", 1, now, Utrecht, ParticipatiewetLaw.Law, bijstand, Ouder, "PW01", null, null, new(2025, 1, 1), null),
            new ProvisionStarted(Guid.NewGuid(), $"provision-{jeugd}", 1, now, Utrecht, JeugdwetLaw.Law, jeugd, Kind, "45", null, null, new(2024, 1, 1), null),
            new ProvisionEnded(Guid.NewGuid(), $"provision-{jeugd}", 2, now, Utrecht, JeugdwetLaw.Law, jeugd, Kind, new(2024, 1, 1), new(2025, 12, 31), "31"),
        ];
        return (household, provisions);
    }

    private static string Canonical(HouseholdView view) =>
        $"{view.Combinatie}|{string.Join(",", view.Leden.Select(m => $"{m.Bsn}:{m.ActieveWetten}").Order())}|{view.Regisseur}|" +
        $"{string.Join(",", view.Plan.Select(g => $"{g.GoalId}:{g.Omschrijving}:{g.Status}"))}|{string.Join(",", view.Signalen)}";
}
