using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Households;
using SocialDomain.Platform;
using SocialDomain.Provisions;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.Embedded;

internal sealed record DemoMember(string Bsn, HouseholdRole Rol, DateOnly Born)
{
    /// <summary>The laws of the member's provisions that run today.</summary>
    public HashSet<Law> Laws { get; } = [];
}

internal sealed record DemoHousehold(Guid Id, int Wijk, IReadOnlyList<DemoMember> Members)
{
    /// <summary>The laws of the members' provisions that run today.</summary>
    public HashSet<Law> Laws { get; } = [];
}

/// <summary>
/// Collects the demo's changes as the commands the services take, then writes them in large batches (one transaction
/// each), every change in the name of the role that makes it: the gemeente's system posts memberships and provisions,
/// the teamleider assigns the regie, each regisseur keeps the plan, parties and consents of its households.
/// </summary>
internal sealed class DemoWriter(int seed, DateOnly today)
{
    private const int BatchSize = 2000;
    private static readonly Gemeentecode Gemeente = Gemeentecode.Parse(DemoData.Gemeente);

    private readonly IEnumerator<string> _bsns = Bsns(seed).GetEnumerator();
    private readonly List<HouseholdOrder> _memberships = [];
    private readonly Dictionary<Law, List<ProvisionCommand>> _provisions = PlatformLaws.All.ToDictionary(l => l.Law, _ => new List<ProvisionCommand>());
    private readonly List<HouseholdOrder> _regie = [];
    private readonly Dictionary<string, List<HouseholdOrder>> _coordination = [];

    public Random Random { get; } = new(seed);
    public DateOnly Today { get; } = today;

    public DemoMember Member(HouseholdRole rol, DateOnly born) =>
        new(_bsns.MoveNext() ? _bsns.Current : throw new InvalidOperationException("Out of test BSNs."), rol, born);

    /// <summary>A household whose members joined at birth, or ten years ago for those born before.</summary>
    public DemoHousehold Household(Guid id, int wijk, IReadOnlyList<DemoMember> members)
    {
        var wijkCode = WijkCode.Parse($"WK{DemoData.Gemeente}{wijk:D2}");
        foreach (var member in members)
        {
            var van = member.Born > Today.AddYears(-10) ? member.Born : Today.AddYears(-10);
            _memberships.Add(new HouseholdOrder(id, AccessAction.RecordMembership,
                new JoinHousehold(Bsn.Parse(member.Bsn), Gemeente, member.Rol, van, wijkCode, member.Born), Gemeente));
        }
        return new DemoHousehold(id, wijk, members);
    }

    /// <summary>A provision from <paramref name="begin"/>, ended with the reason's chance some months later when that lies before today.</summary>
    public void Provision(DemoHousehold household, DemoMember member, Law law, string categorie, DateOnly begin, (double Chance, string Reden) ending)
    {
        if (begin > Today) return;
        var end = Random.NextDouble() < ending.Chance ? begin.AddDays(Random.Next(90, 700)) : (DateOnly?)null;
        Provision(household, member, law, categorie, begin, end < Today ? end : null, ending.Reden);
    }

    public void Provision(DemoHousehold household, DemoMember member, Law law, string categorie, DateOnly begin, DateOnly? einddatum = null,
        string? reden = null)
    {
        var key = new ProvisionKey(member.Bsn, DemoData.Gemeente, categorie, null, null, begin);
        _provisions[law].Add(new StartCommand(key, member.Born));
        if (einddatum is { } end) _provisions[law].Add(new StopCommand(key, end, reden));
        if (begin <= Today && (einddatum is null || einddatum >= Today))
        {
            member.Laws.Add(law);
            household.Laws.Add(law);
        }
    }

    public void Regie(DemoHousehold household, string regisseurId, string naam, DateOnly van) =>
        _regie.Add(new HouseholdOrder(household.Id, AccessAction.AssignRegie, new AssignRegisseur(regisseurId, naam, van)));

    /// <summary>A change to the plan, the parties or the consents, made by the household's regisseur.</summary>
    public void Coordinate(string regisseurId, DemoHousehold household, AccessAction action, HouseholdCommand command, Guid? consentId = null)
    {
        if (!_coordination.TryGetValue(regisseurId, out var orders)) _coordination[regisseurId] = orders = [];
        orders.Add(new HouseholdOrder(household.Id, action, command, ConsentId: consentId));
    }

    /// <summary>A new id for a goal, action, party or consent, drawn from the seed so a second run makes the same.</summary>
    public Guid NextId()
    {
        var bytes = new byte[16];
        Random.NextBytes(bytes);
        return new Guid(bytes);
    }

    public async Task WriteAsync(IServiceProvider services, CancellationToken ct)
    {
        var households = services.GetRequiredService<HouseholdService>();
        var bron = new Caller($"gemeente-{DemoData.Gemeente}-bron", Roles.Aanleverancier, Gemeente);
        await Execute(households, bron, _memberships, ct);
        foreach (var law in PlatformLaws.All)
        {
            var outcomes = await services.GetRequiredKeyedService<ProvisionService>(law.Service).Process(_provisions[law.Law], allOrNothing: true,
                Metadata(bron), ct);
            if (outcomes.FirstOrDefault(o => !o.Accepted) is { } refused)
                throw new InvalidOperationException($"The demo's {law.Law} provisions were refused ({refused.Retourcode}): {refused.Message} " +
                    string.Join("; ", refused.Errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}")));
        }
        await Execute(households, new Caller(DemoData.Teamleider, Roles.Teamleider, Gemeente), _regie, ct);
        foreach (var (regisseurId, orders) in _coordination)
            await Execute(households, new Caller(regisseurId, Roles.Regisseur, Gemeente), orders, ct);
    }

    private static async Task Execute(HouseholdService service, Caller caller, IReadOnlyList<HouseholdOrder> orders, CancellationToken ct)
    {
        var metadata = Metadata(caller);
        foreach (var batch in orders.Chunk(BatchSize))
        {
            var decisions = await service.ExecuteAll(batch, caller, metadata, ct);
            if (decisions.FirstOrDefault(d => d is not Accepted) is Refused refused)
                throw new InvalidOperationException($"A demo change by {caller.UserId} was refused: {refused.Title}: {refused.Reason}");
        }
    }

    private static EventMetadata Metadata(Caller caller) => new("demo", Actor: caller.UserId, ActorRole: caller.Role);

    /// <summary>Test persons: 999xxxxxx numbers that pass the 11-proef, in a seed-dependent order.</summary>
    private static IEnumerable<string> Bsns(int seed)
    {
        for (var n = 100_000 + seed % 1000; n < 1_000_000; n++)
        {
            var bsn = $"999{n:D6}";
            if (Bsn.TryParse(bsn, out _, out _)) yield return bsn;
        }
    }
}
