using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.Households;

/// <summary>One command for one household, with what the access policy is asked about it.</summary>
/// <param name="Gemeente">For a command that may create the household: the gemeente it names.</param>
/// <param name="ConsentId">For a withdrawal: the consent, since who may withdraw depends on who recorded it.</param>
public sealed record HouseholdOrder(Guid HouseholdId, AccessAction Action, HouseholdCommand Command, Gemeentecode? Gemeente = null, Guid? ConsentId = null);

/// <summary>Decides on changes to households and records them in the Households service's own store.</summary>
public sealed class HouseholdService(IEventStore store, TimeProvider clock)
{
    public static readonly EventSerializer Serializer = new([
        typeof(HouseholdMemberJoined), typeof(HouseholdMemberLeft), typeof(RegisseurAssigned), typeof(RegisseurReleased), typeof(RegisseurTransferred),
        typeof(PlanGoalSet), typeof(PlanActionSet), typeof(GoalConflictMarked), typeof(InvolvedPartyRecorded),
        typeof(ConsentGiven), typeof(ConsentWithdrawn)]);

    /// <summary>The answer when other requests kept changing the same households: nothing was stored, try again.</summary>
    public static readonly Refused ConcurrentChange =
        new(RefusalKind.Conflict, "Concurrent change", "The household was changed at the same time; try again.");

    private const int ConcurrencyAttempts = 5;

    /// <summary>One command: the accepted event or the refusal (see <see cref="ExecuteAll"/>).</summary>
    public async Task<Decision> Execute(Guid householdId, Caller caller, AccessAction action, HouseholdCommand command, EventMetadata metadata,
        CancellationToken ct, Gemeentecode? gemeente = null, Guid? consentId = null) =>
        (await ExecuteAll([new HouseholdOrder(householdId, action, command, gemeente, consentId)], caller, metadata, ct))[0]!;

    /// <summary>
    /// Reads the households, and in order asks the access policy whether the caller may do each command to its household
    /// as the commands before it left it, decides, and appends every accepted event in one transaction, or nothing when
    /// any command is refused. When another request wrote first, asks and decides again on the new state; after
    /// <see cref="ConcurrencyAttempts"/> tries every command is answered <see cref="ConcurrentChange"/>.
    /// </summary>
    /// <param name="orders">A null order is a record refused before (invalid input): its decision is null, and nothing is stored.</param>
    public async Task<IReadOnlyList<Decision?>> ExecuteAll(IReadOnlyList<HouseholdOrder?> orders, Caller caller, EventMetadata metadata, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var households = await Load([.. orders.OfType<HouseholdOrder>().Select(o => o.HouseholdId).Distinct()], ct);
            var loaded = households.ToDictionary(h => h.Key, h => (long)h.Value.Count);
            var today = DateOnly.FromDateTime(clock.GetLocalNow().Date);
            var now = clock.GetUtcNow();
            var decisions = new List<Decision?>(orders.Count);
            foreach (var order in orders)
            {
                if (order is null)
                {
                    decisions.Add(null);
                    continue;
                }
                var events = households[order.HouseholdId];
                var decision = Decide(events, order, caller, today, now);
                if (decision is Accepted accepted) events.Add(accepted.Event);
                decisions.Add(decision);
            }
            if (decisions.Any(d => d is not Accepted)) return decisions;
            var serialized = EventSerializer.Serialized(metadata);
            var appends = households.Where(h => h.Value.Count > loaded[h.Key])
                .Select(h => new StreamAppend(StreamOf(h.Key), loaded[h.Key],
                    [.. h.Value.Skip((int)loaded[h.Key]).Select(e => Serializer.Serialize(e.EventId, e, serialized))]))
                .ToList();
            try
            {
                await store.AppendAsync(appends, ct);
                return decisions;
            }
            catch (WrongExpectedVersionException) when (attempt < ConcurrencyAttempts)
            {
            }
            catch (WrongExpectedVersionException)
            {
                return [.. orders.Select(_ => ConcurrentChange)];
            }
        }
    }

    /// <summary>The policy on the household as it stands (a command that may create it: as the gemeente it names), then the rules.</summary>
    private static Decision Decide(List<IHouseholdEvent> events, HouseholdOrder order, Caller caller, DateOnly today, DateTimeOffset now)
    {
        var relations = HouseholdRelations.On(events, today) ?? (order.Gemeente is { } g ? HouseholdRelations.New(g) : null);
        if (relations is null) return HouseholdDecider.NoSuchHousehold;
        var access = AccessPolicy.Decide(caller, order.Action, new AccessTarget.Household(relations, order.ConsentId));
        if (!access.Allowed)
            return access.Outcome == AccessOutcome.Forbidden
                ? new Refused(RefusalKind.Forbidden, "Not allowed", $"Refused: {access.Reason}.")
                : HouseholdDecider.NoSuchHousehold;
        var current = Household.From(events);
        var envelope = new Envelope(Guid.CreateVersion7(), StreamOf(order.HouseholdId), (current?.Version ?? 0) + 1, now, order.HouseholdId, today);
        return HouseholdDecider.Decide(current, order.Command, envelope);
    }

    /// <summary>Each household's events so far; one stream is read alone, several in one round trip.</summary>
    private async Task<Dictionary<Guid, List<IHouseholdEvent>>> Load(IReadOnlyList<Guid> householdIds, CancellationToken ct)
    {
        static List<IHouseholdEvent> Events(IEnumerable<StoredEvent> stream) => [.. stream.Select(e => (IHouseholdEvent)Serializer.Deserialize(e))];
        if (householdIds.Count == 0) return [];
        if (householdIds.Count == 1) return new() { [householdIds[0]] = Events(await store.ReadStreamAsync(StreamOf(householdIds[0]), ct)) };
        var streams = await store.ReadStreamsAsync([.. householdIds.Select(StreamOf)], ct);
        return householdIds.ToDictionary(id => id, id => streams.TryGetValue(StreamOf(id), out var stream) ? Events(stream) : []);
    }

    public static string StreamOf(Guid householdId) => $"household-{householdId}";
}
