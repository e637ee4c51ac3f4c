using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Households;
using SocialDomain.Jeugdwet;
using SocialDomain.Platform;
using SocialDomain.Participatiewet;
using SocialDomain.Provisions;
using SocialDomain.ServiceDefaults.Access;
using SocialDomain.Wmo;

namespace SocialDomain.Embedded;

/// <summary>
/// A municipality for a newcomer to look at: a few thousand households of the usual kinds, with provisions under the
/// platform's laws in roughly the proportions the evaluations report (most users under one law; single-parent
/// households with bijstand and jeugdhulp the commonest stacking), large enough that the protected statistics publish
/// stacked combinations. Most households with provisions under more than one law have a regisseur of their wijk, with
/// a plan, the professionals involved and consents; <see cref="DemoShowcase"/> adds the households a demo is walked
/// through. Written through the services' own command paths, each change by the role that makes it in practice (the
/// gemeente's system, the teamleider, the regisseur), so every event is what the real flow would produce.
/// Deterministic for a seed, with every date relative to today.
/// </summary>
public static class DemoData
{
    public const string Gemeente = "0344";
    public const int DefaultHouseholds = 6000;
    public const int DefaultSeed = 2015;

    /// <summary>The demo's own regisseur: the regisseur of wijk 01, and a consent's recipient in the showcase.</summary>
    public const string Regisseur = "regisseur-demo";
    public const string RegisseurNaam = "Demo Regisseur";

    /// <summary>The team lead who assigns the regie of the demo's households.</summary>
    public const string Teamleider = "teamleider-demo";

    /// <summary>One regisseur per wijk (its wijkteam); the demo's own coordinates wijk 01.</summary>
    public static readonly IReadOnlyList<(string Id, string Naam)> Regisseurs =
    [
        (Regisseur, RegisseurNaam), ("regisseur-wk02", "Sanne de Vries"), ("regisseur-wk03", "Youssef El Idrissi"),
        ("regisseur-wk04", "Marieke Jansen"), ("regisseur-wk05", "Kevin Bakker"), ("regisseur-wk06", "Ayse Demir"),
        ("regisseur-wk07", "Thomas Visser"), ("regisseur-wk08", "Priya Ramdin"),
    ];

    /// <summary>Seeds once: a data folder that already holds households is left as it is.</summary>
    /// <returns>The number of households written; 0 when there were households already.</returns>
    public static async Task<int> SeedAsync(IServiceProvider services, int households, int seed, CancellationToken ct)
    {
        if ((await services.GetRequiredKeyedService<IEventStore>(HouseholdsService.Name).ReadAllAsync(LogPosition.Start, 1, ct)).Count > 0)
            return 0;
        var demo = new DemoWriter(seed, DateOnly.FromDateTime(DateTime.Today));
        DemoShowcase.Add(demo);
        for (var h = 0; h < households - DemoShowcase.Households; h++) AddHousehold(demo, new Guid(seed, (short)h, 0, [0, 0, 0, 0, 0, 0, 0, 1]));
        await demo.WriteAsync(services, ct);
        return households;
    }

    private static void AddHousehold(DemoWriter demo, Guid id)
    {
        var random = demo.Random;
        var today = demo.Today;
        var wijk = random.Next(1, 9);
        DateOnly Born(int minAge, int maxAge) => today.AddYears(-random.Next(minAge, maxAge + 1)).AddDays(-random.Next(365));
        var kind = random.NextDouble();
        // Shares of household kinds, loosely after CBS: singles, couples, couples with children, single parents.
        var (single, couple, parents) = (kind < 0.38, kind is >= 0.38 and < 0.66, kind >= 0.66);
        var members = new List<DemoMember>();
        var first = single ? Born(20, 94) : parents ? Born(26, 55) : Born(25, 89);
        members.Add(demo.Member(HouseholdRole.Ouder, first));
        if (couple || (parents && kind < 0.90)) members.Add(demo.Member(HouseholdRole.Partner, first.AddDays(random.Next(-1500, 1500))));
        if (parents)
        {
            var oldest = Math.Min(17, AgeRule.AgeOn(first, today) - 22);
            for (var c = random.Next(1, 4); c > 0; c--) members.Add(demo.Member(HouseholdRole.Kind, Born(0, oldest)));
        }
        var household = demo.Household(id, wijk, members);

        var singleParent = parents && kind >= 0.90;
        foreach (var member in members)
        {
            var age = AgeRule.AgeOn(member.Born, today);
            var begin = today.AddDays(-random.Next(30, 1100));
            if (member.Rol == HouseholdRole.Kind)
            {
                // Wmo support for a child is rare: the Jeugdwet covers children, so children get only jeugdhulp here.
                if (random.NextDouble() < (singleParent ? 0.32 : 0.09))
                    demo.Provision(household, member, JeugdwetLaw.Law, Pick(random, "31", "32", "35", "45", "45", "48", "54"), Max(begin, member.Born.AddDays(30)),
                        ending: (0.35, "31"));
                continue;
            }
            var bijstand = member == members[0] && age is >= 18 and < 67
                && random.NextDouble() < (singleParent ? 0.30 : single ? 0.09 : 0.05);
            if (bijstand)
                demo.Provision(household, member, ParticipatiewetLaw.Law, random.NextDouble() < 0.8 ? "PW01" : Pick(random, "PW06", "PW08", "PW09"),
                    Max(begin, member.Born.AddYears(18)), ending: (0.2, Pick(random, "41", "42")));
            // Wmo is mostly for the old; among the young, people on bijstand need begeleiding or dagbesteding far more often.
            var wmo = age >= 75 ? 0.30 : age >= 65 ? 0.08 : bijstand ? 0.30 : 0.03;
            if (random.NextDouble() < wmo)
                demo.Provision(household, member, WmoLaw.Law, age >= 65 ? Pick(random, "01", "01", "03", "11", "12", "13") : Pick(random, "02", "02", "07", "15"),
                    Max(begin, member.Born.AddYears(18)), ending: (0.12, "19"));
        }

        // Most households under more than one law get the regisseur of their wijkteam, assigned by the teamleider.
        if (household.Laws.Count > 1 && random.NextDouble() < 0.7)
        {
            var (regisseurId, naam) = Regisseurs[wijk - 1];
            demo.Regie(household, regisseurId, naam, today.AddDays(-random.Next(20, 400)));
            DemoPlans.Add(demo, household, regisseurId);
        }
    }

    internal static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
