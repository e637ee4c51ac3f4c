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
/// A small, realistic municipality for a newcomer to look at: a few hundred households of the usual kinds, with
/// provisions under the platform's laws in roughly the proportions the evaluations report (most users under one law;
/// single-parent households with bijstand and jeugdhulp the commonest stacking). Written through the services'
/// own command paths, so every event is what the real flow would produce. Deterministic for a seed.
/// </summary>
public static class DemoData
{
    public const string Gemeente = "0344";
    public const string Regisseur = "regisseur-demo";

    /// <summary>Seeds once: a data folder that already holds households is left as it is.</summary>
    /// <returns>The number of households written; 0 when there were households already.</returns>
    public static async Task<int> SeedAsync(IServiceProvider services, int households, int seed, CancellationToken ct)
    {
        if ((await services.GetRequiredKeyedService<IEventStore>(HouseholdsService.Name).ReadAllAsync(LogPosition.Start, 1, ct)).Count > 0)
            return 0;
        var random = new Random(seed);
        var bsns = Bsns(seed).GetEnumerator();
        string NextBsn() => bsns.MoveNext() ? bsns.Current : throw new InvalidOperationException("Out of test BSNs.");
        var today = DateOnly.FromDateTime(DateTime.Today);
        var starts = new Dictionary<Law, List<ProvisionCommand>> { [JeugdwetLaw.Law] = [], [WmoLaw.Law] = [], [ParticipatiewetLaw.Law] = [] };
        var householdService = services.GetRequiredService<HouseholdService>();
        var beheerder = new Caller("demo-seed", Roles.Beheerder, null);
        var metadata = new EventMetadata("demo", Actor: "demo-seed", ActorRole: Roles.Beheerder);

        for (var h = 0; h < households; h++)
        {
            var id = new Guid(seed, (short)h, 0, [0, 0, 0, 0, 0, 0, 0, 1]);
            var wijk = $"WK{Gemeente}{random.Next(1, 9):D2}";
            var kind = random.NextDouble();
            // Shares of household kinds, loosely after CBS: singles, couples, couples with children, single parents.
            var (adults, children) = kind < 0.38 ? (1, 0) : kind < 0.66 ? (2, 0) : kind < 0.90 ? (2, random.Next(1, 4)) : (1, random.Next(1, 4));
            var members = new List<(string Bsn, HouseholdRole Rol, DateOnly Born)>();
            for (var a = 0; a < adults; a++)
                members.Add((NextBsn(), a == 0 ? HouseholdRole.Ouder : HouseholdRole.Partner, today.AddYears(-random.Next(20, 88)).AddDays(-random.Next(365))));
            for (var c = 0; c < children; c++)
                members.Add((NextBsn(), HouseholdRole.Kind, today.AddYears(-random.Next(0, 18)).AddDays(-random.Next(365))));
            foreach (var (bsn, rol, born) in members)
            {
                var van = born > today.AddYears(-10) ? born : today.AddYears(-10);
                await householdService.Execute(id, beheerder, AccessAction.RecordMembership,
                    new JoinHousehold(Bsn.Parse(bsn), Gemeentecode.Parse(Gemeente), rol, van, WijkCode.Parse(wijk), born), metadata, ct,
                    Gemeentecode.Parse(Gemeente));
            }

            var singleParent = adults == 1 && children > 0;
            var laws = new HashSet<Law>();
            foreach (var (bsn, rol, born) in members)
            {
                var age = AgeRule.AgeOn(born, today);
                var begin = today.AddDays(-random.Next(30, 900));
                void Start(Law law, string categorie)
                {
                    laws.Add(law);
                    starts[law].Add(new StartCommand(new ProvisionKey(bsn, Gemeente, categorie, null, null, begin), born));
                }
                if (rol == HouseholdRole.Kind && random.NextDouble() < (singleParent ? 0.25 : 0.09))
                    Start(JeugdwetLaw.Law, Pick(random, "31", "32", "35", "45", "45", "48", "54"));
                if (rol != HouseholdRole.Kind && age >= 18 && age < 67 && random.NextDouble() < (singleParent ? 0.32 : adults == 1 ? 0.10 : 0.03))
                    Start(ParticipatiewetLaw.Law, random.NextDouble() < 0.8 ? "PW01" : Pick(random, "PW06", "PW08", "PW09"));
                if (rol != HouseholdRole.Kind && random.NextDouble() < (age >= 75 ? 0.35 : 0.05))
                    Start(WmoLaw.Law, Pick(random, "01", "01", "02", "07", "11", "12", "13", "15"));
            }
            if (laws.Count > 1 && random.NextDouble() < 0.7)
                await householdService.Execute(id, beheerder, AccessAction.AssignRegie,
                    new AssignRegisseur(Regisseur, "Demo Regisseur", today.AddDays(-random.Next(10, 200))), metadata, ct);
        }

        foreach (var law in PlatformLaws.All)
            await services.GetRequiredKeyedService<ProvisionService>(law.Service).Process(starts[law.Law], allOrNothing: true, metadata, ct);
        return households;
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    /// <summary>Test persons: 999xxxxxx numbers that pass the 11-proef, in a seed-dependent order.</summary>
    private static IEnumerable<string> Bsns(int seed)
    {
        for (var n = 100_000 + seed % 1000; n < 1_000_000; n += 7)
        {
            var bsn = $"999{n:D6}";
            if (Bsn.TryParse(bsn, out _, out _)) yield return bsn;
        }
    }
}
