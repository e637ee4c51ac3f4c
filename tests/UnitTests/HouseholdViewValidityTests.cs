using CsCheck;
using SocialDomain.Contracts;
using SocialDomain.ServiceDefaults.Access;
using SocialDomain.Views;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Wmo;

namespace SocialDomain.UnitTests;

/// <summary>
/// The persisted gemeente list keeps each household's view of today until <see cref="HouseholdViewValidity.Until"/>;
/// that is only right if the view really is the same on every date before it.
/// </summary>
public class HouseholdViewValidityTests
{
    private static readonly Gemeentecode Utrecht = Gemeentecode.Parse("0344");
    private static readonly Law[] Wetten = [JeugdwetLaw.Law, WmoLaw.Law, ParticipatiewetLaw.Law];
    private static readonly Bsn[] Personen = [Bsn.Parse("111222333"), Bsn.Parse("999990019"), Bsn.Parse("123456782"), Bsn.Parse("999990020")];

    [Fact]
    public void The_view_is_the_same_on_every_date_before_the_date_it_is_valid_until()
    {
        var options = new SignalOptions();
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var today = Date(random, 2021, 2027);
            var (household, timelines) = RandomHousehold(random, today);
            var until = HouseholdViewValidity.Until(household, timelines, today, options);
            if (until is { } first) first.ShouldBeGreaterThan(today);
            var expected = Canonical(household, timelines, today, options);
            for (var date = today.AddDays(1); date < until && date <= today.AddDays(500); date = date.AddDays(1))
                Canonical(household, timelines, date, options).ShouldBe(expected, $"on {date}, before {until}, seed {seed}");
        }, iter: 200);
    }

    [Fact]
    public void A_provision_that_ends_makes_its_last_day_the_last_day_of_the_view()
    {
        var (household, timelines) = (new IHouseholdEvent[] { Joined(Personen[0], new(2020, 1, 1), null, new(1980, 1, 1)) },
            new[] { Timeline(Personen[0], WmoLaw.Law, new(2024, 1, 1), new(2026, 3, 31)) });

        HouseholdViewValidity.Until(household, timelines, new DateOnly(2026, 1, 10), new SignalOptions()).ShouldBe(new DateOnly(2026, 4, 1));
        HouseholdViewValidity.Until(household, timelines, new DateOnly(2026, 4, 1), new SignalOptions()).ShouldBeNull("nothing lies ahead any more");
    }

    private static string Canonical(IHouseholdEvent[] household, IReadOnlyList<ProvisionTimeline> timelines, DateOnly date, SignalOptions options)
    {
        var view = HouseholdViews.Build(household, timelines, date, options);
        var relations = HouseholdRelations.On(household, date)!;
        return string.Join("\n",
        [
            $"{view.Wijk} {view.Wetten} {view.Gestapeld} {view.Regisseur?.RegisseurId} {view.Regisseur?.Van}",
            .. view.Leden.Select(m => $"{m.Bsn} {m.Rol} {m.Van} {m.Tot} {m.ActieveWetten}"),
            .. view.Signalen,
            .. view.Plan.Select(g => $"{g.GoalId} {g.Status}"),
            .. view.Betrokkenen.Select(p => $"{p.PartyId}"),
            .. view.Toestemmingen.Select(c => $"{c.ConsentId}"),
            $"{relations.Regisseur} {string.Join(",", relations.Consents.Select(c => c.ConsentId))}",
        ]);
    }

    private static (IHouseholdEvent[] Household, IReadOnlyList<ProvisionTimeline> Timelines) RandomHousehold(Random random, DateOnly today)
    {
        var household = new List<IHouseholdEvent>();
        // Often a child in jeugdhulp who turns 18 shortly before or after today: the transition signal's window.
        var timelines = new List<ProvisionTimeline>();
        if (random.Next(2) == 0)
            timelines.Add(Timeline(Personen[0], JeugdwetLaw.Law, today.AddDays(-random.Next(1, 400)), null) with
            {
                Geboortedatum = today.AddYears(-18).AddDays(random.Next(-100, 400)),
            });
        foreach (var person in Personen.Take(random.Next(1, Personen.Length + 1)))
        {
            var van = Date(random, 2019, 2026);
            // Children born so that their 18th birthday falls anywhere in the years looked at.
            household.Add(Joined(person, van, random.Next(3) == 0 ? null : WijkCode.Parse("WK034401"), random.Next(4) == 0 ? null : Date(random, 2003, 2012)));
            if (random.Next(3) == 0) household.Add(Left(person, Date(random, 2021, 2028)));
            for (var i = random.Next(3); i > 0; i--)
            {
                var begin = Date(random, 2019, 2027);
                timelines.Add(Timeline(person, Wetten[random.Next(Wetten.Length)], begin,
                    random.Next(2) == 0 ? null : begin.AddDays(random.Next(1, 700))) with { Geboortedatum = random.Next(3) == 0 ? Date(random, 2005, 2012) : null });
            }
        }
        household.Add(new RegisseurAssigned(Guid.NewGuid(), "h", household.Count + 1, At(random), Utrecht, Id, "anna", "Anna", Date(random, 2020, 2027)));
        if (random.Next(2) == 0)
            household.Add(new RegisseurTransferred(Guid.NewGuid(), "h", household.Count + 1, At(random), Utrecht, Id, "anna", "carla", "Carla", Date(random, 2021, 2028)));
        if (random.Next(2) == 0)
            household.Add(new RegisseurReleased(Guid.NewGuid(), "h", household.Count + 1, At(random), Utrecht, Id, "anna", Date(random, 2021, 2028)));
        var consent = Guid.NewGuid();
        var from = Date(random, 2020, 2027);
        household.Add(new ConsentGiven(Guid.NewGuid(), "h", household.Count + 1, At(random), Utrecht, Id, consent, Personen[0], "bert", [WmoLaw.Law],
            from, random.Next(2) == 0 ? null : from.AddDays(random.Next(1, 600))));
        if (random.Next(2) == 0) household.Add(new ConsentWithdrawn(Guid.NewGuid(), "h", household.Count + 1, At(random), Utrecht, Id, consent, Date(random, 2021, 2028)));
        for (var i = random.Next(3); i > 0; i--)
        {
            var van = Date(random, 2020, 2027);
            household.Add(new InvolvedPartyRecorded(Guid.NewGuid(), "h", household.Count + 1, At(random), Utrecht, Id, Guid.NewGuid(), "Sanne", "Schuldhulp",
                Domein.Schuldhulpverlening, random.Next(2) == 0, van, random.Next(2) == 0 ? null : van.AddDays(random.Next(1, 600))));
        }
        household.Add(new PlanGoalSet(Guid.NewGuid(), "h", household.Count + 1, At(random), Utrecht, Id, Guid.NewGuid(), Leefgebied.Financien, "Huur", "Ouder",
            PlanStatus.Open));
        return ([.. household], timelines);
    }

    private static readonly Guid Id = Guid.Parse("6f1c1c1e-0000-4000-8000-000000000003");

    private static HouseholdMemberJoined Joined(Bsn person, DateOnly van, WijkCode? wijk, DateOnly? born) =>
        new(Guid.NewGuid(), "h", 1, DateTimeOffset.UnixEpoch, Utrecht, Id, person, HouseholdRole.Kind, van, wijk, born);

    private static HouseholdMemberLeft Left(Bsn person, DateOnly tot) => new(Guid.NewGuid(), "h", 50, DateTimeOffset.UnixEpoch, Utrecht, Id, person, tot);

    private static ProvisionTimeline Timeline(Bsn person, Law law, DateOnly begin, DateOnly? end) =>
        new(law, Guid.NewGuid(), person, Utrecht, "01", null, [new ProvisionPeriod(begin, end, end is null ? null : "01")]);

    private static DateOnly Date(Random random, int fromYear, int toYear) =>
        new DateOnly(fromYear, 1, 1).AddDays(random.Next((toYear - fromYear + 1) * 365));

    private static DateTimeOffset At(Random random) => new(Date(random, 2019, 2028).ToDateTime(TimeOnly.FromTimeSpan(TimeSpan.FromHours(10))), TimeSpan.Zero);
}
