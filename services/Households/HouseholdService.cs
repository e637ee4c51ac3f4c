using Microsoft.AspNetCore.Http;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.ServiceDefaults;
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

    public delegate IHouseholdEvent Decide(Household? current, Envelope envelope);

    /// <summary>What every event of the household carries; the decision adds the rest.</summary>
    public sealed record Envelope(Guid EventId, string StreamId, long StreamVersion, DateTimeOffset OccurredAt, Guid HouseholdId);

    /// <summary>
    /// Reads the household, checks the caller may change it, decides, appends; when another request wrote first,
    /// decides again on the new state.
    /// </summary>
    public async Task<HouseholdChange> Execute(Guid householdId, Caller caller, Func<Household?, Caller, bool> mayChange,
        Decide decide, EventMetadata metadata, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = Household.From(await Load(householdId, ct));
            // Someone else's household answers as if it did not exist: no existence leak across gemeenten.
            if (!mayChange(current, caller)) throw NotFound();
            var version = current?.Version ?? 0;
            var @event = decide(current, new Envelope(Guid.CreateVersion7(), StreamOf(householdId), version + 1, clock.GetUtcNow(), householdId));
            try
            {
                await store.AppendAsync(@event.StreamId, version, [Serializer.Serialize(@event.EventId, @event, metadata)], ct);
                return new HouseholdChange(householdId, version + 1);
            }
            catch (WrongExpectedVersionException) when (attempt < ConcurrencyAttempts)
            {
            }
            catch (WrongExpectedVersionException)
            {
                throw new ApiProblem(StatusCodes.Status409Conflict, "Concurrent change", "The household was changed at the same time; try again.");
            }
        }
    }

    public static ApiProblem NotFound() =>
        new(StatusCodes.Status404NotFound, "No such household", "There is no household with this id that you may see.");

    private async Task<IReadOnlyList<IHouseholdEvent>> Load(Guid householdId, CancellationToken ct) =>
        [.. (await store.ReadStreamAsync(StreamOf(householdId), ct)).Select(e => (IHouseholdEvent)Serializer.Deserialize(e))];

    public static string StreamOf(Guid householdId) => $"household-{householdId}";
}
