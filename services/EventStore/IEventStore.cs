namespace SocialDomain.EventStore;

/// <summary>
/// An append-only store of event streams with one global log. Both adapters (PostgreSQL, SQLite) pass the same
/// contract test suite.
/// </summary>
public interface IEventStore
{
    /// <summary>Creates or migrates the schema; safe to call any number of times, also concurrently.</summary>
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>
    /// Appends to one or more streams in one transaction: all or nothing. Throws
    /// <see cref="WrongExpectedVersionException"/> when a stream is not at its expected version.
    /// </summary>
    Task AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct = default);

    /// <summary>The events of one stream in version order; empty when the stream does not exist.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, CancellationToken ct = default);

    /// <summary>The events of several streams in one round trip, each stream in version order.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadStreamsAsync(IReadOnlyCollection<string> streamIds, CancellationToken ct = default);

    /// <summary>The events of every stream an append gave <paramref name="tag"/>, each stream in version order.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadTaggedStreamsAsync(string tag, CancellationToken ct = default);

    /// <summary>
    /// At most <paramref name="max"/> events of the global log after <paramref name="after"/>, in log order.
    /// A reader that follows the log from its last position never misses nor repeats an event, however writers interleave.
    /// </summary>
    Task<IReadOnlyList<StoredEvent>> ReadAllAsync(LogPosition after, int max, CancellationToken ct = default);

    Task<LogPosition> ReadCheckpointAsync(string name, CancellationToken ct = default);

    Task SaveCheckpointAsync(string name, LogPosition position, CancellationToken ct = default);
}

/// <summary>Events to add to a stream that must currently hold exactly <paramref name="ExpectedVersion"/> events.</summary>
/// <param name="Tags">
/// Keys the stream is found by afterwards (<see cref="IEventStore.ReadTaggedStreamsAsync"/>), stored with the events
/// in the same transaction; a tag the stream has already is no conflict. An index of the store's own, not an event:
/// one row per tag, no stream to append to, so appends that share a tag do not contend.
/// </param>
public sealed record StreamAppend(string StreamId, long ExpectedVersion, IReadOnlyList<EventData> Events, IReadOnlyList<string>? Tags = null);

/// <summary>An event as the store keeps it: JSON data and metadata under a type name.</summary>
public sealed record EventData(Guid EventId, string Type, string Data, string Metadata);

/// <summary>An event read back, with its place in its stream (1-based) and in the global log.</summary>
public sealed record StoredEvent(
    Guid EventId,
    string StreamId,
    long Version,
    string Type,
    string Data,
    string Metadata,
    DateTimeOffset CreatedAt,
    LogPosition Position);

public static class EventStoreExtensions
{
    public static Task AppendAsync(this IEventStore store, string streamId, long expectedVersion,
        IReadOnlyList<EventData> events, CancellationToken ct = default) =>
        store.AppendAsync([new StreamAppend(streamId, expectedVersion, events)], ct);
}
