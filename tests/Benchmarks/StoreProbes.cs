using System.Diagnostics;
using SocialDomain.EventStore;

namespace SocialDomain.Benchmarks;

/// <summary>
/// When the law service's store was asked to read and to append during one request (Stopwatch timestamps). With the
/// client's send and receive times these split a request into: receive + parse + validate, read, decide + serialize,
/// append (insert + commit), answer.
/// </summary>
public sealed class StoreProbe
{
    public long ReadStart, ReadEnd, AppendStart, AppendEnd;
    public int Reads, Appends;

    /// <summary>The process's total GC pause time at each of the four points: how much of each stage the GC took.</summary>
    public TimeSpan ReadStartGc, ReadEndGc, AppendStartGc, AppendEndGc;

    public void Reset() => (ReadStart, ReadEnd, AppendStart, AppendEnd, Reads, Appends) = (0, 0, 0, 0, 0, 0);
}

/// <summary>
/// The law service's own store, decorated in the benchmark's host only (through the DI container, see
/// <see cref="BulkIngestBenchmark"/>) to take the timestamps of <see cref="StoreProbe"/>. Two Stopwatch reads per call.
/// </summary>
public sealed class ProbedStore(IEventStore inner, StoreProbe probe) : IEventStore, IAsyncDisposable
{
    public Task InitializeAsync(CancellationToken ct = default) => inner.InitializeAsync(ct);

    public async Task AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct = default)
    {
        probe.AppendStartGc = GC.GetTotalPauseDuration();
        probe.AppendStart = Stopwatch.GetTimestamp();
        await inner.AppendAsync(appends, ct);
        probe.AppendEnd = Stopwatch.GetTimestamp();
        probe.AppendEndGc = GC.GetTotalPauseDuration();
        probe.Appends++;
    }

    public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, CancellationToken ct = default) => inner.ReadStreamAsync(streamId, ct);

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadStreamsAsync(IReadOnlyCollection<string> streamIds, CancellationToken ct = default)
    {
        probe.ReadStartGc = GC.GetTotalPauseDuration();
        probe.ReadStart = Stopwatch.GetTimestamp();
        var streams = await inner.ReadStreamsAsync(streamIds, ct);
        probe.ReadEnd = Stopwatch.GetTimestamp();
        probe.ReadEndGc = GC.GetTotalPauseDuration();
        probe.Reads++;
        return streams;
    }

    public Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadTaggedStreamsAsync(string tag, CancellationToken ct = default) =>
        inner.ReadTaggedStreamsAsync(tag, ct);

    public Task<IReadOnlyList<StoredEvent>> ReadAllAsync(LogPosition after, int max, CancellationToken ct = default) => inner.ReadAllAsync(after, max, ct);

    public Task<LogPosition> ReadCheckpointAsync(string name, CancellationToken ct = default) => inner.ReadCheckpointAsync(name, ct);

    public Task SaveCheckpointAsync(string name, LogPosition position, CancellationToken ct = default) => inner.SaveCheckpointAsync(name, position, ct);

    public ValueTask DisposeAsync() => inner is IAsyncDisposable d ? d.DisposeAsync() : ValueTask.CompletedTask;
}

/// <summary>
/// A store that holds nothing: every stream is new, and an append is only captured. With it the law service's
/// <c>ProvisionService.Process</c> runs in process without I/O, so its own CPU work can be timed: validation, deciding
/// and serializing (until it appends).
/// </summary>
public sealed class CapturingStore : IEventStore
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>> Nothing = new Dictionary<string, IReadOnlyList<StoredEvent>>();

    public long AppendCalled;
    public IReadOnlyList<StreamAppend> Captured { get; private set; } = [];

    public Task InitializeAsync(CancellationToken ct = default) => Task.CompletedTask;

    public Task AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct = default)
    {
        AppendCalled = Stopwatch.GetTimestamp();
        Captured = appends;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<StoredEvent>>([]);

    public Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadStreamsAsync(IReadOnlyCollection<string> streamIds, CancellationToken ct = default) =>
        Task.FromResult(Nothing);

    public Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadTaggedStreamsAsync(string tag, CancellationToken ct = default) =>
        Task.FromResult(Nothing);

    public Task<IReadOnlyList<StoredEvent>> ReadAllAsync(LogPosition after, int max, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<StoredEvent>>([]);

    public Task<LogPosition> ReadCheckpointAsync(string name, CancellationToken ct = default) => Task.FromResult(LogPosition.Start);

    public Task SaveCheckpointAsync(string name, LogPosition position, CancellationToken ct = default) => Task.CompletedTask;
}
