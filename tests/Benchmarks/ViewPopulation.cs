using System.Globalization;
using SocialDomain.Contracts;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Wmo;

namespace SocialDomain.Benchmarks;

/// <summary>One household's integration events, as the households service and the law services publish them.</summary>
public sealed record GeneratedHousehold(Guid Id, Gemeentecode Gemeente, WijkCode Wijk, IReadOnlyList<Bsn> Members, string? Regisseur,
    IReadOnlyList<IHouseholdEvent> HouseholdEvents, IReadOnlyList<IProvisionEvent> ProvisionEvents);

/// <summary>
/// Households with a provision, as a large gemeente has them: 1–4 members (adults and children), each with provisions
/// under the law that fits the age (Wmo and Participatiewet for adults, Jeugdwet for children), every household at
/// least one, about a third of them ended, a fifth of the households with a regisseur. Most live in one gemeente,
/// spread over its wijken, so that gemeente's list holds nearly all of them. Deterministic for the index.
/// </summary>
public static class ViewPopulation
{
    public static readonly Gemeentecode Main = Gemeentecode.Parse("0363");
    public const int Wijken = 30;
    public const int Regisseurs = 200;

    private static readonly Gemeentecode[] Others = [.. new[] { "0599", "0518", "0344", "0014" }.Select(Gemeentecode.Parse)];
    private static readonly string[] WmoCategorieen = ["01", "02", "07", "03"];
    private static readonly string[] JeugdCategorieen = ["45", "32", "31", "35"];
    private static readonly string[] PwCategorieen = ["PW01", "PW05", "PW06"];
    private static readonly DateTimeOffset Recorded = new(2025, 6, 1, 9, 0, 0, TimeSpan.Zero);

    public static WijkCode WijkOf(Gemeentecode gemeente, int n) => WijkCode.Parse($"WK{gemeente.Value}{n:D2}");

    public static string RegisseurId(int n) => $"regisseur-{n:D3}";

    /// <summary>Household <paramref name="index"/> of the population, its members numbered from <paramref name="bsns"/>.</summary>
    public static GeneratedHousehold Household(int index, Func<int, Bsn> bsns)
    {
        var random = new Random(index * 7919 + 17);
        var id = Guid.CreateVersion7();
        var stream = $"household-{id}";
        var gemeente = random.NextDouble() < 0.95 ? Main : Others[random.Next(Others.Length)];
        var wijk = WijkOf(gemeente, 1 + random.Next(gemeente == Main ? Wijken : 5));
        var size = random.NextDouble() switch { < 0.35 => 1, < 0.65 => 2, < 0.85 => 3, _ => 4 };
        var householdEvents = new List<IHouseholdEvent>();
        var provisionEvents = new List<IProvisionEvent>();
        var members = new List<Bsn>();
        var sinds = new DateOnly(2010, 1, 1).AddDays(random.Next(15 * 365));
        for (var m = 0; m < size; m++)
        {
            var bsn = bsns(index * 4 + m);
            members.Add(bsn);
            // Two adults at most; the rest are children, some close to 18 so the transition shows up.
            var child = m >= 2 || (m == 1 && size > 2 && random.NextDouble() < 0.3);
            var geboren = child ? new DateOnly(2007, 1, 1).AddDays(random.Next(18 * 365)) : new DateOnly(1945, 1, 1).AddDays(random.Next(58 * 365));
            var rol = child ? HouseholdRole.Kind : size == 1 ? HouseholdRole.Overig : m == 0 || size == 2 ? HouseholdRole.Partner : HouseholdRole.Ouder;
            var van = geboren > sinds ? geboren : sinds;
            householdEvents.Add(new HouseholdMemberJoined(Guid.CreateVersion7(), stream, householdEvents.Count + 1, Recorded, gemeente, id, bsn, rol, van,
                wijk, geboren));
            foreach (var (law, categorie) in Provisions(random, child, forceOne: m == size - 1 && provisionEvents.Count == 0))
                provisionEvents.AddRange(Provision(random, gemeente, law, categorie, bsn, geboren));
        }
        string? regisseur = null;
        if (random.NextDouble() < 0.2)
        {
            var n = random.Next(Regisseurs);
            regisseur = RegisseurId(n);
            householdEvents.Add(new RegisseurAssigned(Guid.CreateVersion7(), stream, householdEvents.Count + 1, Recorded, gemeente, id, regisseur,
                $"Regisseur {n.ToString(CultureInfo.InvariantCulture)}", new DateOnly(2025, 1, 1).AddDays(random.Next(150))));
        }
        return new GeneratedHousehold(id, gemeente, wijk, members, regisseur, householdEvents, provisionEvents);
    }

    /// <summary>A new provision start for a member, for the projection-lag figure.</summary>
    public static ProvisionStarted NewStart(Random random, Gemeentecode gemeente, Bsn bsn)
    {
        var provisionId = Guid.NewGuid();
        var categorie = WmoCategorieen[random.Next(WmoCategorieen.Length)];
        return new ProvisionStarted(Guid.CreateVersion7(), $"provision-{provisionId}", 1, DateTimeOffset.UtcNow, gemeente, WmoLaw.Law, provisionId,
            bsn, categorie, $"{categorie}A01", null, new DateOnly(2025, 1, 1).AddDays(random.Next(300)), null);
    }

    private static IEnumerable<(Law Law, string Categorie)> Provisions(Random random, bool child, bool forceOne)
    {
        var any = false;
        if (child)
        {
            if (random.NextDouble() < 0.45 || forceOne) yield return (JeugdwetLaw.Law, JeugdCategorieen[random.Next(JeugdCategorieen.Length)]);
            yield break;
        }
        if (random.NextDouble() < 0.35)
        {
            any = true;
            yield return (WmoLaw.Law, WmoCategorieen[random.Next(WmoCategorieen.Length)]);
            if (random.NextDouble() < 0.2) yield return (WmoLaw.Law, WmoCategorieen[random.Next(WmoCategorieen.Length)]);
        }
        if (random.NextDouble() < 0.3 || (forceOne && !any)) yield return (ParticipatiewetLaw.Law, PwCategorieen[random.Next(PwCategorieen.Length)]);
    }

    private static IEnumerable<IProvisionEvent> Provision(Random random, Gemeentecode gemeente, Law law, string categorie, Bsn bsn, DateOnly geboren)
    {
        var id = Guid.NewGuid();
        var stream = $"provision-{id}";
        var begin = new DateOnly(2022, 1, 1).AddDays(random.Next(3 * 365));
        var start = new ProvisionStarted(Guid.CreateVersion7(), stream, 1, Recorded, gemeente, law, id, bsn, categorie, null, null, begin, geboren);
        yield return start;
        if (random.NextDouble() >= 0.33) yield break;
        var eind = begin.AddDays(30 + random.Next(400));
        var reden = law == JeugdwetLaw.Law ? "31" : law == WmoLaw.Law ? "19" : "41";
        yield return new ProvisionEnded(Guid.CreateVersion7(), stream, 2, Recorded, gemeente, law, id, bsn, begin, eind, reden);
    }

    /// <summary>
    /// BSNs that pass the 11-proef, from 999999999 downwards. The 999 test range holds about 90,000 of them, too few for
    /// this population, so it goes on below it: safe only because the benchmark's database is its own and dropped.
    /// </summary>
    public static Bsn[] Bsns(int count)
    {
        var bsns = new Bsn[count];
        var prefix = 99_999_999;
        for (var i = 0; i < count; prefix--)
        {
            var sum = 0;
            for (int p = prefix, weight = 2; weight <= 9; p /= 10, weight++) sum += weight * (p % 10);
            if (sum % 11 == 10) continue;
            bsns[i++] = Bsn.Parse(prefix.ToString("D8", CultureInfo.InvariantCulture) + (char)('0' + sum % 11));
        }
        return bsns;
    }
}
