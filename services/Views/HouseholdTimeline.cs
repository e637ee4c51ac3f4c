using SocialDomain.Contracts;

namespace SocialDomain.Views;

/// <summary>A household's members over time.</summary>
public sealed record HouseholdTimeline(Guid HouseholdId, Gemeentecode Gemeente, WijkCode? Wijk, IReadOnlyList<Membership> Members)
{
    public IEnumerable<Membership> MembersOn(DateOnly date) => Members.Where(m => m.Covers(date));

    public IEnumerable<Membership> MembersDuring(DateOnly from, DateOnly to) => Members.Where(m => m.Overlaps(from, to));
}

/// <summary>
/// One person's membership of a household; <see cref="Tot"/> is the last day, null while it lasts. <see cref="Wijk"/>
/// and <see cref="Geboortedatum"/> are what the join reported: the wijk the household lived in from <see cref="Van"/>,
/// and the member's birth date from the BRP.
/// </summary>
public readonly record struct Membership(Bsn Bsn, HouseholdRole Rol, DateOnly Van, DateOnly? Tot, WijkCode? Wijk = null, DateOnly? Geboortedatum = null)
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
    public static IReadOnlyList<HouseholdTimeline> Fold(IEnumerable<IIntegrationEvent> events) =>
        new VersionedStreams<IIntegrationEvent>(events, e => e switch
        {
            HouseholdMemberJoined joined => joined.HouseholdId,
            HouseholdMemberLeft left => left.HouseholdId,
            _ => null,
        }).Replay(Replay);

    [ThreadStatic] private static List<Membership>? t_members;

    private static HouseholdTimeline Replay(List<IIntegrationEvent> stream)
    {
        var members = t_members ??= [];
        members.Clear();
        WijkCode? wijk = null;
        Gemeentecode gemeente = default;
        foreach (var e in stream)
        {
            // Every event names the gemeente: a leave that arrived before its join still places the household.
            gemeente = e.Gemeente;
            switch (e)
            {
                case HouseholdMemberJoined joined:
                    members.Add(new Membership(joined.Bsn, joined.Rol, joined.Van, null, joined.Wijk, joined.Geboortedatum));
                    wijk = joined.Wijk ?? wijk;
                    break;
                case HouseholdMemberLeft left:
                    for (var i = members.Count - 1; i >= 0; i--)
                        if (members[i].Bsn == left.Bsn && members[i].Tot is null)
                        {
                            members[i] = members[i] with { Tot = left.Tot };
                            break;
                        }
                    break;
            }
        }
        return new HouseholdTimeline(((IHouseholdEvent)stream[0]).HouseholdId, gemeente, wijk, [.. members]);
    }
}
