using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SocialDomain.Contracts;

namespace SocialDomain.Views;

/// <summary>
/// Events that arrived in any order, with any duplicates, grouped into their streams: each stream in version order,
/// every event once. The folds run over whole logs, so this touches each event once while grouping, keeping what
/// ordering needs (the stream version) beside it, and hands the events on without touching them again.
/// </summary>
internal sealed class VersionedStreams<TEvent> where TEvent : class, IIntegrationEvent
{
    private readonly TEvent[] _events;
    private readonly long[] _versions;
    // Each stream is a chain through _previous, from its last event back to its first: no list per stream.
    private readonly int[] _previous;
    private readonly Dictionary<Guid, int> _last;

    /// <param name="streamOf">The stream an event belongs to; null leaves the event out.</param>
    public VersionedStreams(IEnumerable<TEvent> events, Func<TEvent, Guid?> streamOf)
    {
        _events = [.. events];
        _versions = new long[_events.Length];
        _previous = new int[_events.Length];
        // Sized for the worst case, one stream per event: growing a dictionary of a whole log rehashes it many times.
        _last = new Dictionary<Guid, int>(_events.Length);
        // A log read in append order mostly holds a stream's events side by side: such a run costs one dictionary
        // lookup, after which the chain's head is updated in place (nothing else touches the dictionary meanwhile).
        var current = Guid.Empty;
        var none = -1;
        ref var head = ref none;
        for (var i = 0; i < _events.Length; i++)
        {
            var e = _events[i];
            if (streamOf(e) is not { } stream) continue;
            if (stream != current || Unsafe.AreSame(ref head, ref none))
            {
                head = ref CollectionsMarshal.GetValueRefOrAddDefault(_last, stream, out var seen);
                if (!seen) head = -1;
                current = stream;
            }
            _versions[i] = e.StreamVersion;
            _previous[i] = head;
            head = i;
        }
    }

    /// <summary>
    /// Replays every stream and keeps the non-null results. A whole log's streams are replayed on all cores, as
    /// they are independent; <paramref name="replay"/> is therefore called from several threads at once.
    /// </summary>
    public List<TResult> Replay<TResult>(Func<List<TEvent>, TResult?> replay) where TResult : class
    {
        var heads = _last.Values.ToArray();
        // A household's or a provision's few events are folded inline: starting a parallel loop would cost more than the fold.
        if (heads.Length < ParallelFrom) return ReplayRange(heads, 0, heads.Length, replay);
        var parts = Environment.ProcessorCount * 4;
        var results = new List<TResult>[parts];
        Parallel.For(0, parts, part =>
            results[part] = ReplayRange(heads, (long)heads.Length * part / parts, (long)heads.Length * (part + 1) / parts, replay));
        var all = new List<TResult>(results.Sum(r => r.Count));
        foreach (var part in results) all.AddRange(part);
        return all;
    }

    private List<TResult> ReplayRange<TResult>(int[] heads, long from, long to, Func<List<TEvent>, TResult?> replay) where TResult : class
    {
        var kept = new List<TResult>((int)(to - from));
        var indexes = new List<int>();
        var stream = new List<TEvent>();
        for (var h = from; h < to; h++)
        {
            indexes.Clear();
            for (var i = heads[h]; i >= 0; i = _previous[i]) indexes.Add(i);
            InVersionOrder(indexes);
            stream.Clear();
            foreach (var i in indexes) stream.Add(_events[i]);
            if (replay(stream) is { } result) kept.Add(result);
        }
        return kept;
    }

    /// <summary>Below this many streams (a household, a person) starting threads costs more than it saves.</summary>
    private const int ParallelFrom = 10_000;

    /// <summary>Sorts by stream version and drops repeats: a repeat has the same id, so the same version, so it sits beside its original.</summary>
    private void InVersionOrder(List<int> indexes)
    {
        // The chain runs backwards, so a stream read in order comes out reversed; a shuffled one needs a real sort.
        indexes.Reverse();
        for (var i = 1; i < indexes.Count; i++)
            if (_versions[indexes[i - 1]] > _versions[indexes[i]])
            {
                indexes.Sort((a, b) => _versions[a].CompareTo(_versions[b]));
                break;
            }
        var kept = 0;
        for (var i = 0; i < indexes.Count; i++)
        {
            var repeat = false;
            for (var j = kept - 1; j >= 0 && _versions[indexes[j]] == _versions[indexes[i]]; j--)
                repeat |= _events[indexes[j]].EventId == _events[indexes[i]].EventId;
            if (!repeat) indexes[kept++] = indexes[i];
        }
        indexes.RemoveRange(kept, indexes.Count - kept);
    }
}
