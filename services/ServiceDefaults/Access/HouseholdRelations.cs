using SocialDomain.Contracts;

namespace SocialDomain.ServiceDefaults.Access;

/// <summary>A consent that holds on the date asked about.</summary>
public sealed record ActiveConsent(Guid ConsentId, Bsn Member, string Ontvanger, IReadOnlyList<Law> Wetten, string? VastgelegdDoor);

/// <summary>
/// Who stands in which relation to one household on one date: its gemeente, its regisseur, the consents that hold.
/// Both the Households service (before a change) and the projection (before a read) fold it from the household's
/// events, so the policy decides on the same facts everywhere.
/// </summary>
public sealed record HouseholdRelations(Gemeentecode Gemeente, string? Regisseur, IReadOnlyList<ActiveConsent> Consents)
{
    /// <summary>Consents recorded before the date, and not yet withdrawn or expired by then.</summary>
    /// <returns>Null when no event of the household has arrived.</returns>
    public static HouseholdRelations? On(IEnumerable<IHouseholdEvent> householdEvents, DateOnly date)
    {
        var events = householdEvents.DistinctBy(e => e.EventId).OrderBy(e => e.StreamVersion).ToList();
        if (events.Count == 0) return null;
        return new HouseholdRelations(events[0].Gemeente, HouseholdCoordination.RegisseurOn(events, date)?.RegisseurId,
            [.. HouseholdCoordination.ConsentsOn(events, date).Select(c => new ActiveConsent(c.ConsentId, c.GegevenDoor, c.Ontvanger, c.Wetten, c.VastgelegdDoor))]);
    }

    /// <summary>A household that has no events yet, as a request to create it names it.</summary>
    public static HouseholdRelations New(Gemeentecode gemeente) => new(gemeente, null, []);

    /// <summary>What the consents given to this user let it see: each consenting member's own provisions, under the consented laws.</summary>
    public ProvisionScope ScopeOf(string userId) =>
        ProvisionScope.Of(Consents.Where(c => c.Ontvanger == userId).Select(c => (c.Member, (IEnumerable<Law>)c.Wetten)));

    public string? RecordedBy(Guid consentId) => Consents.FirstOrDefault(c => c.ConsentId == consentId)?.VastgelegdDoor;
}

/// <summary>Which provisions a read shows: everything, or per person the laws a consent covers.</summary>
public sealed class ProvisionScope
{
    private readonly IReadOnlyDictionary<Bsn, IReadOnlySet<Law>>? _perPerson;

    private ProvisionScope(IReadOnlyDictionary<Bsn, IReadOnlySet<Law>>? perPerson) => _perPerson = perPerson;

    public static readonly ProvisionScope Everything = new(null);
    public static readonly ProvisionScope Nothing = new(new Dictionary<Bsn, IReadOnlySet<Law>>());

    public static ProvisionScope Of(IEnumerable<(Bsn Person, IEnumerable<Law> Laws)> grants)
    {
        var perPerson = new Dictionary<Bsn, HashSet<Law>>();
        foreach (var (person, laws) in grants)
        {
            if (!perPerson.TryGetValue(person, out var set)) perPerson[person] = set = [];
            set.UnionWith(laws);
        }
        return new ProvisionScope(perPerson.ToDictionary(p => p.Key, p => (IReadOnlySet<Law>)p.Value));
    }

    public bool IsEverything => _perPerson is null;

    public bool Shows(Bsn person, Law law) => _perPerson is null || _perPerson.TryGetValue(person, out var laws) && laws.Contains(law);

    public bool ShowsAny(Bsn person) => _perPerson is null || _perPerson.TryGetValue(person, out var laws) && laws.Count > 0;

    /// <summary>The laws shown for a person, out of the laws there are.</summary>
    public IEnumerable<Law> LawsOf(Bsn person, IEnumerable<Law> all) => all.Where(law => Shows(person, law));

    public ProvisionScope With(ProvisionScope other) =>
        _perPerson is null || other._perPerson is null
            ? Everything
            : Of(_perPerson.Concat(other._perPerson).Select(p => (p.Key, (IEnumerable<Law>)p.Value)));
}
