using SocialDomain.Contracts;

namespace SocialDomain.Households;

/// <summary>The decision state of one household, folded from its stream.</summary>
public sealed record Household(
    Gemeentecode Gemeente,
    IReadOnlyDictionary<Bsn, HouseholdMemberJoined> ActiveMembers,
    RegisseurAssigned? Regisseur,
    IReadOnlySet<Guid> Goals,
    IReadOnlySet<Guid> ActiveConsents,
    long Version)
{
    public static Household? From(IReadOnlyList<IHouseholdEvent> stream)
    {
        if (stream.Count == 0) return null;
        var members = new Dictionary<Bsn, HouseholdMemberJoined>();
        RegisseurAssigned? regisseur = null;
        var goals = new HashSet<Guid>();
        var consents = new HashSet<Guid>();
        Gemeentecode gemeente = default;
        foreach (var e in stream.OrderBy(e => e.StreamVersion))
        {
            gemeente = e.Gemeente;
            switch (e)
            {
                case HouseholdMemberJoined joined: members[joined.Bsn] = joined; break;
                case HouseholdMemberLeft left: members.Remove(left.Bsn); break;
                case RegisseurAssigned assigned: regisseur = assigned; break;
                case RegisseurReleased: regisseur = null; break;
                case PlanGoalSet goal: goals.Add(goal.GoalId); break;
                case ConsentGiven consent: consents.Add(consent.ConsentId); break;
                case ConsentWithdrawn withdrawn: consents.Remove(withdrawn.ConsentId); break;
            }
        }
        return new Household(gemeente, members, regisseur, goals, consents, stream.Max(e => e.StreamVersion));
    }
}
