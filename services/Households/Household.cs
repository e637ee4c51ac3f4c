using SocialDomain.Contracts;

namespace SocialDomain.Households;

/// <summary>The decision state of one household, folded from its stream: only what the household's rules look at.</summary>
public sealed record Household(
    Guid HouseholdId,
    Gemeentecode Gemeente,
    IReadOnlyDictionary<Bsn, DateOnly> ActiveMembers,
    Regisseur? Regisseur,
    IReadOnlySet<Guid> Goals,
    IReadOnlyDictionary<Guid, ConsentGiven> ActiveConsents,
    IReadOnlySet<Guid> GivenConsents,
    long Version)
{
    /// <summary>The state after the stream; null while the household has no events.</summary>
    public static Household? From(IEnumerable<IHouseholdEvent> stream) =>
        stream.OrderBy(e => e.StreamVersion).Aggregate((Household?)null, (state, e) => (state ?? Empty(e)).Apply(e));

    private static Household Empty(IHouseholdEvent first) =>
        new(first.HouseholdId, first.Gemeente, new Dictionary<Bsn, DateOnly>(), null, new HashSet<Guid>(), new Dictionary<Guid, ConsentGiven>(), new HashSet<Guid>(), 0);

    public Household Apply(IHouseholdEvent e)
    {
        var next = this with { Version = e.StreamVersion };
        return e switch
        {
            HouseholdMemberJoined joined => next with { ActiveMembers = With(ActiveMembers, joined.Bsn, joined.Van) },
            HouseholdMemberLeft left => next with { ActiveMembers = Without(ActiveMembers, left.Bsn) },
            RegisseurAssigned assigned => next with { Regisseur = new Regisseur(assigned.RegisseurId, assigned.Naam, assigned.Van) },
            RegisseurTransferred transferred => next with { Regisseur = new Regisseur(transferred.RegisseurId, transferred.Naam, transferred.Per) },
            RegisseurReleased => next with { Regisseur = null },
            PlanGoalSet goal => next with { Goals = new HashSet<Guid>(Goals) { goal.GoalId } },
            ConsentGiven consent => next with
            {
                ActiveConsents = With(ActiveConsents, consent.ConsentId, consent),
                GivenConsents = new HashSet<Guid>(GivenConsents) { consent.ConsentId },
            },
            ConsentWithdrawn withdrawn => next with { ActiveConsents = Without(ActiveConsents, withdrawn.ConsentId) },
            _ => next,
        };
    }

    private static Dictionary<TKey, TValue> With<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> map, TKey key, TValue value) where TKey : notnull =>
        new(map) { [key] = value };

    private static Dictionary<TKey, TValue> Without<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> map, TKey key) where TKey : notnull
    {
        var copy = new Dictionary<TKey, TValue>(map);
        copy.Remove(key);
        return copy;
    }
}

/// <summary>The household's one regisseur, coordinating from <paramref name="Van"/> on.</summary>
public sealed record Regisseur(string RegisseurId, string Naam, DateOnly Van);
