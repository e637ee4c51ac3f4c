using CsCheck;
using SocialDomain.Contracts;
using SocialDomain.Views;

namespace SocialDomain.UnitTests;

public class ProvisionFoldTests
{
    private static readonly Bsn Child = Bsn.Parse("999990019");
    private static readonly Gemeentecode Utrecht = Gemeentecode.Parse("0344");
    private static readonly DateOnly Jan1 = new(2025, 1, 1);

    [Fact]
    public void An_end_that_arrives_before_its_start_still_ends_it()
    {
        var (start, end) = StartAndEnd(Law.Jeugdwet, "45", Jan1, Jan1.AddMonths(3));

        var timeline = ProvisionFold.Fold([end, start]).ShouldHaveSingleItem();

        timeline.Perioden.ShouldHaveSingleItem().ShouldBe(new ProvisionPeriod(Jan1, Jan1.AddMonths(3), "31"));
        timeline.ActiveOn(Jan1.AddMonths(3)).ShouldBeTrue("the einddatum is the last day of the provision");
        timeline.ActiveOn(Jan1.AddMonths(3).AddDays(1)).ShouldBeFalse();
    }

    [Fact]
    public void A_retracted_start_counts_as_never_sent()
    {
        var (start, _) = StartAndEnd(Law.Wmo, "02", Jan1, Jan1);
        var retraction = new ProvisionRetracted(Guid.NewGuid(), start.StreamId, 2, DateTimeOffset.UtcNow, Utrecht, Law.Wmo,
            start.ProvisionId, Child, start.EventId);

        ProvisionFold.Fold([retraction, start]).ShouldBeEmpty();
    }

    [Fact]
    public void After_a_temporary_stop_a_new_start_opens_a_second_period()
    {
        var id = Guid.NewGuid();
        var events = new IProvisionEvent[]
        {
            Started(id, Law.Jeugdwet, "45", Jan1, version: 1),
            new ProvisionEnded(Guid.NewGuid(), $"provision-{id}", 2, DateTimeOffset.UtcNow, Utrecht, Law.Jeugdwet, id, Child, Jan1, Jan1.AddDays(9), "20"),
            Started(id, Law.Jeugdwet, "45", Jan1.AddDays(30), version: 3),
        };

        var timeline = ProvisionFold.Fold(events.Reverse()).ShouldHaveSingleItem();

        timeline.Perioden.Count.ShouldBe(2);
        timeline.ActiveOn(Jan1.AddDays(20)).ShouldBeFalse();
        timeline.ActiveOn(Jan1.AddDays(40)).ShouldBeTrue();
    }

    [Fact]
    public void A_person_with_jeugdhulp_and_wmo_on_the_same_day_is_stacked()
    {
        var (jeugd, _) = StartAndEnd(Law.Jeugdwet, "45", Jan1, Jan1);
        var (wmo, wmoEnd) = StartAndEnd(Law.Wmo, "02", Jan1.AddMonths(1), Jan1.AddMonths(2));
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
            var law = (Law)(i % 3);
            var categorie = Productcategorie.Of(law).Keys.First();
            var (start, end) = StartAndEnd(law, categorie, Jan1.AddDays(i * 10), Jan1.AddDays(i * 10 + 40));
            events.Add(start);
            if (i % 2 == 0) events.Add(end);
        }
        var (retracted, _) = StartAndEnd(Law.Wmo, "01", Jan1, Jan1);
        events.Add(retracted);
        events.Add(new ProvisionRetracted(Guid.NewGuid(), retracted.StreamId, 2, DateTimeOffset.UtcNow, Utrecht, Law.Wmo,
            retracted.ProvisionId, Child, retracted.EventId));
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
