using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.Households;

/// <summary>Decides on changes to one household and records them in the Households service's own store.</summary>
public sealed class HouseholdService(IEventStore store, TimeProvider clock)
{
    public static readonly EventSerializer Serializer = new([
        typeof(HouseholdMemberJoined), typeof(HouseholdMemberLeft), typeof(RegisseurAssigned), typeof(RegisseurReleased), typeof(RegisseurTransferred),
        typeof(PlanGoalSet), typeof(PlanActionSet), typeof(GoalConflictMarked), typeof(InvolvedPartyRecorded),
        typeof(ConsentGiven), typeof(ConsentWithdrawn)]);

    private const int ConcurrencyAttempts = 5;

    /// <summary>
    /// Reads the household, checks the caller may change it, decides, appends; when another request wrote first,
    /// decides again on the new state. Answers the accepted event or the refusal.
    /// </summary>
    public async Task<Decision> Execute(Guid householdId, Caller caller, Func<Household?, Caller, bool> mayChange,
        HouseholdCommand command, EventMetadata metadata, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = Household.From(await Load(householdId, ct));
            // Someone else's household answers as if it did not exist: no existence leak across gemeenten.
            if (!mayChange(current, caller)) return HouseholdDecider.NoSuchHousehold;
            var version = current?.Version ?? 0;
            var now = clock.GetUtcNow();
            var envelope = new Envelope(Guid.CreateVersion7(), StreamOf(householdId), version + 1, now, householdId,
                DateOnly.FromDateTime(clock.GetLocalNow().Date));
            var decision = HouseholdDecider.Decide(current, command, envelope);
            if (decision is not Accepted { Event: var @event }) return decision;
            try
            {
                await store.AppendAsync(@event.StreamId, version, [Serializer.Serialize(@event.EventId, @event, metadata)], ct);
                return decision;
            }
            catch (WrongExpectedVersionException) when (attempt < ConcurrencyAttempts)
            {
            }
            catch (WrongExpectedVersionException)
            {
                return new Refused(RefusalKind.Conflict, "Concurrent change", "The household was changed at the same time; try again.");
            }
        }
    }

    private async Task<IReadOnlyList<IHouseholdEvent>> Load(Guid householdId, CancellationToken ct) =>
        [.. (await store.ReadStreamAsync(StreamOf(householdId), ct)).Select(e => (IHouseholdEvent)Serializer.Deserialize(e))];

    public static string StreamOf(Guid householdId) => $"household-{householdId}";
}
