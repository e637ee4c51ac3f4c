using SocialDomain.Contracts;
using SocialDomain.EventStore;

namespace SocialDomain.Projections;

/// <summary>
/// The projection's own log of the integration events it received, deduplicated by event id. Views are folded
/// from it, so a rebuild is a re-read, and a redelivered event changes nothing.
/// </summary>
public interface IInbox
{
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>Records the event unless its id was recorded before; returns whether it was new.</summary>
    Task<bool> RecordAsync(IProvisionEvent @event, CancellationToken ct = default);

    Task<IReadOnlyList<IProvisionEvent>> ReadPersonAsync(Bsn bsn, CancellationToken ct = default);

    Task<IReadOnlyList<IProvisionEvent>> ReadPersonsAsync(IReadOnlyCollection<Bsn> bsns, CancellationToken ct = default);

    /// <summary>Records a household event unless its id was recorded before; returns whether it was new.</summary>
    Task<bool> RecordHouseholdAsync(IHouseholdEvent @event, CancellationToken ct = default);

    Task<IReadOnlyList<IHouseholdEvent>> ReadHouseholdAsync(Guid householdId, CancellationToken ct = default);

    /// <summary>The households the person was ever a member of.</summary>
    Task<IReadOnlyList<Guid>> HouseholdsOfAsync(Bsn bsn, CancellationToken ct = default);

    Task<IReadOnlyList<Guid>> HouseholdsInAsync(Gemeentecode gemeente, CancellationToken ct = default);

    Task<long> CountAsync(CancellationToken ct = default);

    /// <summary>Asks the store something cheap; throws while it cannot be reached.</summary>
    Task PingAsync(CancellationToken ct = default);
}

public static class Inboxes
{
    public static readonly EventSerializer Serializer = new([
        typeof(ProvisionStarted), typeof(ProvisionEnded), typeof(ProvisionRetracted),
        typeof(HouseholdMemberJoined), typeof(HouseholdMemberLeft), typeof(RegisseurAssigned), typeof(RegisseurReleased), typeof(RegisseurTransferred),
        typeof(PlanGoalSet), typeof(PlanActionSet), typeof(GoalConflictMarked), typeof(InvolvedPartyRecorded),
        typeof(ConsentGiven), typeof(ConsentWithdrawn)]);

    public static T Deserialize<T>(string type, string data) =>
        (T)System.Text.Json.JsonSerializer.Deserialize(data, Serializer.TypeOf(type), EventSerializer.Json)!;

    /// <summary>The member a household event is about, for finding households by BSN.</summary>
    public static Bsn? MemberOf(IHouseholdEvent e) => e switch
    {
        HouseholdMemberJoined joined => joined.Bsn,
        HouseholdMemberLeft left => left.Bsn,
        _ => null,
    };

    public static IInbox Create(EventStoreSettings settings) => settings.Provider switch
    {
        StoreProvider.Postgres => new PostgresInbox(settings.ConnectionString, settings.Schema),
        _ => new SqliteInbox(settings.ConnectionString),
    };
}
