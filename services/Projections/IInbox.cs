using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Views;

namespace SocialDomain.Projections;

/// <summary>
/// The projection's own log of the integration events it received, deduplicated by event id, and the views persisted
/// beside it: each provision's timeline and each household's entry in the gemeente list, changed in the transaction
/// that records an event, so a rebuild is a re-read and a redelivered event changes nothing.
/// </summary>
public interface IInbox
{
    /// <summary>Creates what is missing, and rebuilds the views when they were built by another version of the folds.</summary>
    /// <returns>Whether it rebuilt the views.</returns>
    Task<bool> InitializeAsync(CancellationToken ct = default);

    /// <summary>Records the event unless its id was recorded before, with what it changes in the views; returns whether it was new.</summary>
    Task<bool> RecordAsync(IProvisionEvent @event, CancellationToken ct = default);

    /// <summary>The provision events received for a person, as they arrived.</summary>
    Task<IReadOnlyList<IProvisionEvent>> ReadPersonAsync(Bsn bsn, CancellationToken ct = default);

    /// <summary>Records a household event unless its id was recorded before, with what it changes in the views; returns whether it was new.</summary>
    Task<bool> RecordHouseholdAsync(IHouseholdEvent @event, CancellationToken ct = default);

    Task<IReadOnlyList<IHouseholdEvent>> ReadHouseholdAsync(Guid householdId, CancellationToken ct = default);

    /// <summary>What the household's view is built from, as kept with its list entry; null when none of its events arrived.</summary>
    Task<HouseholdState?> HouseholdStateAsync(Guid householdId, CancellationToken ct = default);

    /// <summary>The persons' provisions, as folded when their events arrived.</summary>
    Task<IReadOnlyList<ProvisionTimeline>> TimelinesAsync(IReadOnlyCollection<Bsn> persons, CancellationToken ct = default);

    /// <summary>The households the person was ever a member of.</summary>
    Task<IReadOnlyList<Guid>> HouseholdsOfAsync(Bsn bsn, CancellationToken ct = default);

    /// <summary>A page of a gemeente's households as of today, most signals first.</summary>
    Task<HouseholdListPage> ListAsync(HouseholdListQuery query, CancellationToken ct = default);

    /// <summary>These households' entries as of today (those the date has overtaken recomputed first); the access policy decides on their relations.</summary>
    Task<IReadOnlyList<HouseholdListEntry>> EntriesAsync(IReadOnlyCollection<Guid> households, CancellationToken ct = default);

    /// <summary>Recomputes the entries of a gemeente (null: all) whose content may have changed by the date alone.</summary>
    Task RefreshAsync(Gemeentecode? gemeente, CancellationToken ct = default);

    /// <summary>Null before the views were ever built.</summary>
    Task<ViewProgress?> ProgressAsync(CancellationToken ct = default);

    /// <summary>Folds every view again from the inbox; readers see the old views until the new ones are complete.</summary>
    Task<RebuildResult> RebuildAsync(CancellationToken ct = default);

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

    public static T Deserialize<T>(string type, ReadOnlySpan<byte> utf8) =>
        (T)System.Text.Json.JsonSerializer.Deserialize(utf8, Serializer.TypeOf(type), EventSerializer.Json)!;

    /// <summary>The member a household event is about, for finding households by BSN.</summary>
    public static Bsn? MemberOf(IHouseholdEvent e) => e switch
    {
        HouseholdMemberJoined joined => joined.Bsn,
        HouseholdMemberLeft left => left.Bsn,
        _ => null,
    };

    public static IInbox Create(EventStoreSettings settings, TimeProvider? clock = null, SignalOptions? options = null)
    {
        (clock, options) = (clock ?? TimeProvider.System, options ?? new SignalOptions());
        return settings.Provider switch
        {
            StoreProvider.Postgres => new PostgresInbox(settings.ConnectionString, settings.Schema, clock, options),
            _ => new SqliteInbox(settings.ConnectionString, clock, options),
        };
    }

    /// <summary>The date the views are kept for: today where the platform runs.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetLocalNow().Date);
}
