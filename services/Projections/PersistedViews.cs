using System.Buffers;
using System.Text;
using System.Text.Json;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.ServiceDefaults.Access;
using SocialDomain.Views;

namespace SocialDomain.Projections;

/// <summary>
/// One household as the gemeente list shows it today, persisted so the list is one indexed query. Recomputed when an
/// event of the household or of a member's provision arrives, and on <see cref="GeldigTot"/>, the first date its
/// content may change by itself (a provision that ends, a birthday that enters the transition window).
/// </summary>
public sealed record HouseholdListEntry(Guid HouseholdId, Gemeentecode Gemeente, string? Wijk, int Leden, string Combinatie, bool Gestapeld,
    IReadOnlyList<string> Signalen, string? Regisseur, HouseholdRelations Relations, DateOnly? GeldigTot)
{
    public static HouseholdListEntry Of(IReadOnlyList<IHouseholdEvent> events, IReadOnlyList<ProvisionTimeline> timelines, DateOnly today,
        SignalOptions options)
    {
        var view = HouseholdViews.Build(events, timelines, today, options);
        return new HouseholdListEntry(view.HouseholdId, view.Gemeente, view.Wijk?.Value, view.Leden.Count, view.Combinatie, view.Gestapeld,
            view.Signalen, view.Regisseur?.Naam, HouseholdRelations.On(events, today)!, HouseholdViewValidity.Until(events, timelines, today, options));
    }

    /// <summary>Where the entry counts in the list's totals (see <see cref="ListKey"/>).</summary>
    public ListKey Key => new(Gemeente.Value, Wijk ?? "", Gestapeld, Signalen.Count > 0);
}

/// <summary>
/// The filters of the gemeente list, as the totals are kept: the number of entries per gemeente, wijk ("" for none),
/// gestapeld and with or without signals, so the total of any filter is a sum of a few kept numbers instead of a count
/// of tens of thousands of entries on every page.
/// </summary>
public readonly record struct ListKey(string Gemeente, string Wijk, bool Gestapeld, bool MetSignalen);

/// <summary>
/// What the household view is built from: the household's events and its members' provision timelines, kept with its
/// list entry and changed with it, so the view on any date is one indexed lookup and a fold in memory.
/// </summary>
public sealed record HouseholdState(IReadOnlyList<IHouseholdEvent> Events, IReadOnlyList<ProvisionTimeline> Timelines)
{
    private sealed record Stored(IReadOnlyList<StoredEvent> Events, IReadOnlyList<ProvisionTimeline> Timelines);

    private sealed record StoredEvent(string Type, JsonElement Data);

    public string ToJson() => Encoding.UTF8.GetString(ToUtf8Json());

    /// <summary>
    /// The state as <see cref="FromJson"/> reads it, written in one pass (each event straight into the output, not
    /// through an intermediate element).
    /// </summary>
    /// <param name="timelines">The timelines already serialized, in the order of <see cref="Timelines"/>: the rebuild
    /// serializes each timeline once for its own row and reuses it in every state that holds it.</param>
    internal byte[] ToUtf8Json(IReadOnlyList<byte[]>? timelines = null)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("events");
            foreach (var e in Events)
            {
                writer.WriteStartObject();
                writer.WriteString("type", e.GetType().Name);
                writer.WritePropertyName("data");
                JsonSerializer.Serialize(writer, e, e.GetType(), EventSerializer.Json);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("timelines");
            for (var i = 0; i < Timelines.Count; i++)
                if (timelines is null) JsonSerializer.Serialize(writer, Timelines[i], EventSerializer.Json);
                else writer.WriteRawValue(timelines[i], skipInputValidation: true);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static HouseholdState FromJson(string json)
    {
        var stored = JsonSerializer.Deserialize<Stored>(json, EventSerializer.Json)!;
        return new HouseholdState(
            [.. stored.Events.Select(e => (IHouseholdEvent)e.Data.Deserialize(Inboxes.Serializer.TypeOf(e.Type), EventSerializer.Json)!)],
            stored.Timelines);
    }
}

/// <summary>
/// The persisted views, as one store keeps them, seen from inside the transaction that records new events in the
/// inbox. Each method reads or writes in that transaction.
/// </summary>
internal interface IViewTransaction
{
    /// <summary>Waits for the other transactions that change these persons' views (no-op where one writer is all there is).</summary>
    Task LockPersonsAsync(IReadOnlyCollection<Bsn> persons);

    /// <summary>Likewise for households; always taken after the persons, so two transactions never wait on each other.</summary>
    Task LockHouseholdsAsync(IReadOnlyCollection<Guid> households);

    Task<IReadOnlyList<IProvisionEvent>> ProvisionEventsAsync(IReadOnlyCollection<Guid> provisionIds);

    /// <summary>Replaces these provisions' timelines; a provision with no timeline (only retracted events) is removed.</summary>
    Task SaveTimelinesAsync(IReadOnlyCollection<Guid> provisionIds, IReadOnlyList<ProvisionTimeline> timelines);

    Task<IReadOnlyList<ProvisionTimeline>> TimelinesAsync(IReadOnlyCollection<Bsn> persons);

    /// <summary>The persons ever a member of these households.</summary>
    Task<IReadOnlyList<Bsn>> MembersAsync(IReadOnlyCollection<Guid> households);

    /// <summary>The households these persons were ever a member of.</summary>
    Task<IReadOnlyList<Guid>> HouseholdsOfAsync(IReadOnlyCollection<Bsn> persons);

    Task<IReadOnlyList<IHouseholdEvent>> HouseholdEventsAsync(IReadOnlyCollection<Guid> households);

    /// <summary>Where these households' entries count now (those that have one).</summary>
    Task<IReadOnlyDictionary<Guid, ListKey>> ListKeysAsync(IReadOnlyCollection<Guid> households);

    /// <summary>Inserts or replaces these entries, each with the state its household's view is built from.</summary>
    Task SaveEntriesAsync(IReadOnlyList<(HouseholdListEntry Entry, HouseholdState State)> entries);

    /// <summary>Adds these changes to the list's totals.</summary>
    Task AddCountsAsync(IReadOnlyDictionary<ListKey, long> changes);

    /// <summary>Counts events applied to the views, in the progress table.</summary>
    Task RecordProgressAsync(long applied);
}

/// <summary>A provision's timeline as a rebuild writes it, serialized once.</summary>
internal sealed record TimelineRow(ProvisionTimeline Timeline, byte[] Json);

/// <summary>A household's list entry and view state as a rebuild writes them, serialized (UTF-8 JSON).</summary>
internal sealed record EntryRow(HouseholdListEntry Entry, byte[] Json, byte[] State);

/// <summary>Empty views being filled by a rebuild, inside the transaction that swaps them in.</summary>
internal interface IViewRebuild
{
    Task WriteTimelinesAsync(IAsyncEnumerable<TimelineRow> timelines);

    Task WriteEntriesAsync(IAsyncEnumerable<EntryRow> entries);

    Task AddCountsAsync(IReadOnlyDictionary<ListKey, long> counts);

    /// <summary>Marks the views as built by this version of the folds from this many events.</summary>
    Task ResetProgressAsync(long applied);
}

/// <summary>
/// What a new event changes in the views, whichever store holds them: its provision's timeline, and the list entry of
/// every household its person or its household is in. Everything is recomputed from the inbox for the keys touched,
/// in the transaction that records the events, so a view never misses an event and a redelivered event (not new to
/// the inbox) changes nothing.
/// </summary>
public static class ViewMaintenance
{
    /// <summary>The version of the folds below: raise it when one changes, and every store rebuilds its views on start.</summary>
    public const int Version = 2;

    public const string Name = "household-views";

    internal static async Task ApplyAsync(IViewTransaction tx, IReadOnlyList<IProvisionEvent> provisionEvents,
        IReadOnlyList<IHouseholdEvent> householdEvents, DateOnly today, SignalOptions options)
    {
        if (provisionEvents.Count == 0 && householdEvents.Count == 0) return;
        var households = householdEvents.Select(e => e.HouseholdId).ToHashSet();
        var persons = provisionEvents.Select(e => e.Bsn).ToHashSet();
        // A household's entry reads its members' timelines, so their provisions must not change meanwhile.
        persons.UnionWith(await tx.MembersAsync(households));
        persons.UnionWith(householdEvents.Select(Inboxes.MemberOf).OfType<Bsn>());
        await tx.LockPersonsAsync(persons);

        if (provisionEvents.Count > 0)
        {
            var provisions = provisionEvents.Select(e => e.ProvisionId).ToHashSet();
            await tx.SaveTimelinesAsync(provisions, ProvisionFold.Fold(await tx.ProvisionEventsAsync(provisions)));
            households.UnionWith(await tx.HouseholdsOfAsync([.. provisionEvents.Select(e => e.Bsn).Distinct()]));
        }
        await tx.LockHouseholdsAsync(households);
        await SaveEntriesAsync(tx, households, today, options);
        await tx.RecordProgressAsync(provisionEvents.Count + householdEvents.Count);
    }

    /// <summary>Recomputes the entries of households whose content changed by the date alone (see <see cref="HouseholdListEntry.GeldigTot"/>).</summary>
    internal static async Task RefreshAsync(IViewTransaction tx, IReadOnlyCollection<Guid> households, DateOnly today, SignalOptions options)
    {
        await tx.LockPersonsAsync(await tx.MembersAsync(households));
        await tx.LockHouseholdsAsync(households);
        await SaveEntriesAsync(tx, households, today, options);
    }

    /// <summary>
    /// Folds every view again in two passes over the inbox: the provision events, ordered by provision, into timelines
    /// (kept in memory by person, for the second pass), then the household events, ordered by household, into each
    /// household's entry and state; the totals are counted on the way. Each pass is one stream in and one stream out:
    /// the events are folded and serialized in batches on the thread pool, the next batch while the target writes the
    /// one before, so the reading, the folding and the writing run side by side. The caller gives empty views and
    /// keeps the inbox from changing meanwhile.
    /// </summary>
    internal static async Task<(long Events, int Households)> RebuildAsync(IViewRebuild target, IAsyncEnumerable<IProvisionEvent> byProvision,
        IAsyncEnumerable<IHouseholdEvent> byHousehold, DateOnly today, SignalOptions options)
    {
        long events = 0;
        var households = 0;
        var byPerson = new Dictionary<Bsn, List<TimelineRow>>();
        async IAsyncEnumerable<TimelineRow> Timelines()
        {
            await foreach (var row in Ahead(Batches(byProvision, e => e.ProvisionId, ProvisionsPerBatch, () => events++), FoldTimelines))
            {
                if (!byPerson.TryGetValue(row.Timeline.Bsn, out var own)) byPerson[row.Timeline.Bsn] = own = [];
                own.Add(row);
                yield return row;
            }
        }
        await target.WriteTimelinesAsync(Timelines());

        var counts = new Counts();
        EntryRow[] Fold(List<List<IHouseholdEvent>> batch)
        {
            var rows = new EntryRow[batch.Count];
            for (var i = 0; i < rows.Length; i++)
            {
                var household = batch[i];
                var timelines = household.Select(Inboxes.MemberOf).OfType<Bsn>().Distinct()
                    .SelectMany(m => byPerson.GetValueOrDefault(m) ?? []).ToList();
                var state = new HouseholdState(household, [.. timelines.Select(t => t.Timeline)]);
                var entry = HouseholdListEntry.Of(state.Events, state.Timelines, today, options);
                rows[i] = new EntryRow(entry, JsonSerializer.SerializeToUtf8Bytes(entry, EventSerializer.Json),
                    state.ToUtf8Json([.. timelines.Select(t => t.Json)]));
            }
            return rows;
        }
        async IAsyncEnumerable<EntryRow> Entries()
        {
            await foreach (var row in Ahead(Batches(byHousehold, e => e.HouseholdId, HouseholdsPerBatch, () => events++), Fold))
            {
                counts.Move(null, row.Entry.Key);
                households++;
                yield return row;
            }
        }
        await target.WriteEntriesAsync(Entries());
        await target.AddCountsAsync(counts.Changes);
        await target.ResetProgressAsync(events);
        return (events, households);
    }

    // Large enough that handing a batch to the thread pool costs little beside folding it, small enough that the
    // writer soon has rows to write.
    private const int ProvisionsPerBatch = 2_000;
    private const int HouseholdsPerBatch = 500;

    private static TimelineRow[] FoldTimelines(List<List<IProvisionEvent>> batch) =>
        [.. ProvisionFold.Fold(batch.SelectMany(p => p)).Select(t => new TimelineRow(t, JsonSerializer.SerializeToUtf8Bytes(t, EventSerializer.Json)))];

    /// <summary>The events, grouped by their key (they arrive ordered by it), in batches of this many groups.</summary>
    private static async IAsyncEnumerable<List<List<T>>> Batches<T>(IAsyncEnumerable<T> events, Func<T, Guid> key, int size, Action read)
    {
        var batch = new List<List<T>>(size);
        List<T>? group = null;
        await foreach (var e in events)
        {
            read();
            if (group is null || key(group[0]) != key(e))
            {
                if (batch.Count == size)
                {
                    yield return batch;
                    batch = new List<List<T>>(size);
                }
                batch.Add(group = []);
            }
            group.Add(e);
        }
        if (batch.Count > 0) yield return batch;
    }

    /// <summary>
    /// The results of <paramref name="work"/> on each batch, in order; the work on a batch runs on the thread pool
    /// while the results of the one before are consumed.
    /// </summary>
    private static async IAsyncEnumerable<TOut> Ahead<TIn, TOut>(IAsyncEnumerable<TIn> batches, Func<TIn, TOut[]> work)
    {
        Task<TOut[]>? running = null;
        await foreach (var batch in batches)
        {
            var next = Task.Run(() => work(batch));
            if (running is not null)
                foreach (var result in await running) yield return result;
            running = next;
        }
        if (running is not null)
            foreach (var result in await running) yield return result;
    }

    /// <summary>
    /// Recomputes the list entries and view states of these households from the inbox and the timelines, and moves
    /// the totals of the entries whose filters changed; returns the household events read.
    /// </summary>
    internal static async Task<int> SaveEntriesAsync(IViewTransaction tx, IReadOnlyCollection<Guid> households, DateOnly today, SignalOptions options)
    {
        var read = 0;
        var counts = new Counts();
        foreach (var chunk in households.Chunk(500))
        {
            var all = await tx.HouseholdEventsAsync(chunk);
            read += all.Count;
            var events = all.ToLookup(e => e.HouseholdId);
            var members = all.Select(Inboxes.MemberOf).OfType<Bsn>().ToHashSet();
            var timelines = (await tx.TimelinesAsync(members)).ToLookup(t => t.Bsn);
            var before = await tx.ListKeysAsync(chunk);
            var entries = new List<(HouseholdListEntry, HouseholdState)>(chunk.Length);
            foreach (var household in chunk)
            {
                var own = events[household].ToList();
                if (own.Count == 0) continue;
                var ownMembers = own.Select(Inboxes.MemberOf).OfType<Bsn>().Distinct();
                var state = new HouseholdState(own, [.. ownMembers.SelectMany(m => timelines[m])]);
                var entry = HouseholdListEntry.Of(state.Events, state.Timelines, today, options);
                entries.Add((entry, state));
                counts.Move(before.TryGetValue(household, out var was) ? was : null, entry.Key);
            }
            await tx.SaveEntriesAsync(entries);
        }
        // Once, after every chunk: the totals' rows are locked in one sorted order, so two transactions never wait on each other there.
        await tx.AddCountsAsync(counts.Changes);
        return read;
    }

    private sealed class Counts
    {
        private readonly Dictionary<ListKey, long> _changes = [];

        public IReadOnlyDictionary<ListKey, long> Changes => _changes.Where(c => c.Value != 0).ToDictionary();

        public void Move(ListKey? from, ListKey to)
        {
            if (from == to) return;
            if (from is { } old) _changes[old] = _changes.GetValueOrDefault(old) - 1;
            _changes[to] = _changes.GetValueOrDefault(to) + 1;
        }
    }
}

/// <summary>A page of the gemeente list: after a cursor (keyset) or skipping rows (a page number), with its filters.</summary>
/// <param name="Regisseur">Only the households this regisseur (user id) coordinates today.</param>
public sealed record HouseholdListQuery(Gemeentecode Gemeente, bool? Gestapeld, bool AlleenSignalen, string? Wijk, HouseholdListCursor? Na,
    int Skip, int Take, string? Regisseur = null);

/// <summary>Where a page of the list ends: the list is ordered by signals (most first), then by household id (descending).</summary>
public readonly record struct HouseholdListCursor(int Signalen, Guid HouseholdId);

/// <param name="Total">How many entries match in all; only on a page not asked after a cursor, for counting them is the
/// expensive part of a page in a large gemeente.</param>
public sealed record HouseholdListPage(IReadOnlyList<HouseholdListEntry> Entries, int? Total);

/// <summary>What the views have applied, by which version of the folds, as the progress table records it.</summary>
public sealed record ViewProgress(int Version, long Applied, DateTimeOffset UpdatedAt);

public sealed record RebuildResult(long Events, int Households, TimeSpan Duration);
