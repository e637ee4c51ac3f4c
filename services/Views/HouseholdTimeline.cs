using SocialDomain.Contracts;

namespace SocialDomain.Views;

/// <summary>A household's members over time.</summary>
public sealed record HouseholdTimeline(Guid HouseholdId, Gemeentecode Gemeente, WijkCode? Wijk, IReadOnlyList<Membership> Members)
{
    public IEnumerable<Membership> MembersOn(DateOnly date) => Members.Where(m => m.Covers(date));

    public IEnumerable<Membership> MembersDuring(DateOnly from, DateOnly to) => Members.Where(m => m.Overlaps(from, to));
}

/// <summary>One person's membership of a household; <see cref="Tot"/> is the last day, null while it lasts.</summary>
public sealed record Membership(Bsn Bsn, HouseholdRole Rol, DateOnly Van, DateOnly? Tot)
{
    public bool Covers(DateOnly date) => Van <= date && (Tot is null || date <= Tot);

    public bool Overlaps(DateOnly from, DateOnly to) => Van <= to && (Tot is null || from <= Tot);
}

public static class HouseholdFold
{
    /// <summary>
    /// Folds membership events in any order, with any duplicates, into household timelines: a household's events
    /// are ordered by their stream version and identified by their event id, as provisions are.
    /// </summary>
    public static IReadOnlyList<HouseholdTimeline> Fold(IEnumerable<IIntegrationEvent> events)
    {
        var unique = new Dictionary<Guid, IIntegrationEvent>();
        foreach (var e in events)
            if (e is HouseholdMemberJoined or HouseholdMemberLeft) unique.TryAdd(e.EventId, e);

        var households = new List<HouseholdTimeline>();
        foreach (var household in unique.Values.GroupBy(e => ((IHouseholdEvent)e).HouseholdId))
        {
            var members = new List<Membership>();
            WijkCode? wijk = null;
            Gemeentecode gemeente = default;
            foreach (var e in household.OrderBy(e => e.StreamVersion))
                switch (e)
                {
                    case HouseholdMemberJoined joined:
                        members.Add(new Membership(joined.Bsn, joined.Rol, joined.Van, null));
                        (gemeente, wijk) = (joined.Gemeente, joined.Wijk ?? wijk);
                        break;
                    case HouseholdMemberLeft left:
                        var index = members.FindLastIndex(m => m.Bsn == left.Bsn && m.Tot is null);
                        if (index >= 0) members[index] = members[index] with { Tot = left.Tot };
                        break;
                }
            households.Add(new HouseholdTimeline(household.Key, gemeente, wijk, members));
        }
        return households;
    }
}
