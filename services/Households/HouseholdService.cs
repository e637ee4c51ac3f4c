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
    /// Reads the household, asks the access policy whether the caller may do this to it, decides, appends; when
    /// another request wrote first, asks and decides again on the new state. Answers the accepted event or the refusal.
    /// </summary>
    /// <param name="gemeente">For a command that may create the household: the gemeente it names.</param>
    /// <param name="consentId">For a withdrawal: the consent, since who may withdraw depends on who recorded it.</param>
    public async Task<Decision> Execute(Guid householdId, Caller caller, AccessAction action, HouseholdCommand command, EventMetadata metadata,
        CancellationToken ct, Gemeentecode? gemeente = null, Guid? consentId = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var events = await Load(householdId, ct);
            var today = DateOnly.FromDateTime(clock.GetLocalNow().Date);
            var relations = HouseholdRelations.On(events, today) ?? (gemeente is { } g ? HouseholdRelations.New(g) : null);
            if (relations is null) return HouseholdDecider.NoSuchHousehold;
            var access = AccessPolicy.Decide(caller, action, new AccessTarget.Household(relations, consentId));
            if (!access.Allowed)
                return access.Outcome == AccessOutcome.Forbidden
                    ? new Refused(RefusalKind.Forbidden, "Not allowed", $"Refused: {access.Reason}.")
                    : HouseholdDecider.NoSuchHousehold;
            var current = Household.From(events);
            var version = current?.Version ?? 0;
            var now = clock.GetUtcNow();
            var envelope = new Envelope(Guid.CreateVersion7(), StreamOf(householdId), version + 1, now, householdId, today);
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
