using SocialDomain.EventStore;

namespace SocialDomain.IntegrationTests;

/// <summary>A store that passes every call on to another: a test's decorator overrides only the call it watches or breaks.</summary>
public abstract class DelegatingEventStore(IEventStore inner) : IEventStore
{
    public virtual Task InitializeAsync(CancellationToken ct = default) => inner.InitializeAsync(ct);

    public virtual Task AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct = default) => inner.AppendAsync(appends, ct);

    public virtual Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, CancellationToken ct = default) => inner.ReadStreamAsync(streamId, ct);

    public virtual Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadStreamsAsync(IReadOnlyCollection<string> streamIds,
        CancellationToken ct = default) => inner.ReadStreamsAsync(streamIds, ct);

    public virtual Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadTaggedStreamsAsync(string tag, CancellationToken ct = default) =>
        inner.ReadTaggedStreamsAsync(tag, ct);

    public virtual Task<IReadOnlyList<StoredEvent>> ReadAllAsync(LogPosition after, int max, CancellationToken ct = default) =>
        inner.ReadAllAsync(after, max, ct);

    public virtual Task<LogPosition> ReadCheckpointAsync(string name, CancellationToken ct = default) => inner.ReadCheckpointAsync(name, ct);

    public virtual Task SaveCheckpointAsync(string name, LogPosition position, CancellationToken ct = default) =>
        inner.SaveCheckpointAsync(name, position, ct);
}
