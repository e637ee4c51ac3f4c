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

    Task<long> CountAsync(CancellationToken ct = default);
}

public static class Inboxes
{
    public static readonly EventSerializer Serializer =
        new([typeof(ProvisionStarted), typeof(ProvisionEnded), typeof(ProvisionRetracted)]);

    public static IInbox Create(EventStoreSettings settings) => settings.Provider switch
    {
        StoreProvider.Postgres => new PostgresInbox(settings.ConnectionString, settings.Schema),
        _ => new SqliteInbox(settings.ConnectionString),
    };
}
