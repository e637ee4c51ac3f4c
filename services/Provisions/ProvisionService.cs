using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.Provisions;

/// <summary>
/// Records start and stop records under one law in that law's own store. One record (JSON), a message of an
/// iJw/iWmo client (XML) and a bulk load (JSON batch) all go through <see cref="Process"/>: the records are put
/// to <see cref="ProvisionDecider"/> in order against the state of their streams, and what is accepted is
/// appended in one transaction.
/// </summary>
public sealed class ProvisionService(LawDefinition law, IEventStore store, TimeProvider clock)
{
    /// <summary>What the relay publishes: the integration events.</summary>
    public static readonly EventSerializer Published =
        new([typeof(ProvisionStarted), typeof(ProvisionEnded), typeof(ProvisionRetracted)]);

    /// <summary>What the store holds: the integration events, and the client index of stores written before it became tags.</summary>
    private static readonly EventSerializer Stored =
        new([typeof(ProvisionStarted), typeof(ProvisionEnded), typeof(ProvisionRetracted), typeof(ProvisionRegistered)]);

    private const int ConcurrencyAttempts = 5;

    public LawDefinition Law => law;

    /// <summary>Decides on every record and stores what was accepted.</summary>
    /// <param name="allOrNothing">Store nothing when any record is refused (bulk loads); otherwise store the accepted ones (messages).</param>
    /// <param name="mayChange">
    /// Whether the sender may change an existing provision (a care provider only its own). A record about one it may
    /// not is decided as if the provision did not exist, so it learns nothing of it; a start with its key is refused
    /// with 9074. Null: every provision (the demo seeder).
    /// </param>
    /// <exception cref="ConcurrentChangeException">Other writers kept changing the same streams.</exception>
    public Task<IReadOnlyList<CommandOutcome>> Process(IReadOnlyList<ProvisionCommand> commands, bool allOrNothing,
        EventMetadata metadata, CancellationToken ct, Func<AccessTarget.Provision, bool>? mayChange = null) =>
        Process(commands, allOrNothing, metadata, Task.FromResult, ct, mayChange);

    /// <summary>
    /// As the other overload, and starts the caller's <paramref name="answer"/> to the outcomes before the store commits
    /// them: a caller whose answer is costly runs it on the thread pool (a large message's retour takes about as long to
    /// write as a tenth of its append), so it is made while the store commits. The answer is returned only once the
    /// records are stored, and made again when the records had to be decided again. It must depend on the outcomes only:
    /// it may be made for a round whose append then fails.
    /// </summary>
    public async Task<T> Process<T>(IReadOnlyList<ProvisionCommand> commands, bool allOrNothing, EventMetadata metadata,
        Func<IReadOnlyList<CommandOutcome>, Task<T>> answer, CancellationToken ct, Func<AccessTarget.Provision, bool>? mayChange = null)
    {
        var records = commands.Select(command => RecordValidation.Validate(law, command)).ToList();
        var assumeNew = records.Count >= AssumeNewFrom;
        var conflicts = 0;
        while (true)
        {
            var round = new Round(law.Law, assumeNew ? NoStreams : await Load(records, ct), mayChange);
            var now = clock.GetUtcNow();
            var outcomes = round.Decide(records, now, untilRefused: assumeNew);
            if (assumeNew && !round.AppendsToEveryStreamOf(records, outcomes))
            {
                assumeNew = false;
                continue;
            }
            if (allOrNothing && outcomes.Any(o => !o.Accepted) || round.Appends.Count == 0) return await answer(outcomes);
            var answering = answer(outcomes);
            try
            {
                await store.AppendAsync(round.ToAppends(metadata), ct);
            }
            catch (Exception ex)
            {
                // This round's answer is not sent; waited for, so that its failure, if any, is not left unobserved.
                await ((Task)answering).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (ex is not WrongExpectedVersionException concurrent) throw;
                // Assumed new, a stream was not: decided again on what is stored, which is no conflict with another writer.
                if (assumeNew) assumeNew = false;
                else if (++conflicts == ConcurrencyAttempts) throw new ConcurrentChangeException(concurrent);
                continue;
            }
            return await answering;
        }
    }

    /// <summary>
    /// From this many records on, a request is first decided as if none of its provisions were stored yet, without
    /// reading their streams: a municipality's bulk load and a large message are mostly new provisions, and reading
    /// thousands of streams that do not exist took an eighth of such a request (docs/benchmarks.md (c)). The guess is
    /// checked, not trusted: it stands only when every record was accepted and appends to its own stream, so that the
    /// append, expecting every stream to be empty, fails if any was not; then the records are read and decided again.
    /// A few records are read at once, as a failed guess would cost more than the read it saves.
    /// </summary>
    public const int AssumeNewFrom = 1_000;

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>> NoStreams = new Dictionary<string, IReadOnlyList<StoredEvent>>();

    public async Task<Provision?> Get(Guid provisionId, CancellationToken ct) =>
        Provision.Of(Fold(await store.ReadStreamAsync(StreamOf(provisionId), ct)));

    public async Task<(Provision? Provision, IReadOnlyList<StoredEvent> Events)> History(Guid provisionId, CancellationToken ct)
    {
        var events = await store.ReadStreamAsync(StreamOf(provisionId), ct);
        return (Provision.Of(Fold(events)), events);
    }

    /// <summary>Every provision of one client under this law, newest begindatum first, each with what the access policy asks of it.</summary>
    public async Task<IReadOnlyList<(Provision Provision, AccessTarget.Provision Target)>> ForClient(Bsn bsn, CancellationToken ct)
    {
        var streams = new Dictionary<string, IReadOnlyList<StoredEvent>>(await store.ReadTaggedStreamsAsync(ClientTagOf(bsn), ct));
        // A store written before the client index became a tag lists the client's earlier provisions in an index stream.
        var legacy = (await store.ReadStreamAsync(LegacyClientStreamOf(bsn), ct))
            .Select(e => StreamOf(((ProvisionRegistered)Stored.Deserialize(e)).ProvisionId)).Where(id => !streams.ContainsKey(id)).ToList();
        if (legacy.Count > 0)
            foreach (var (id, events) in await store.ReadStreamsAsync(legacy, ct)) streams[id] = events;
        return [.. streams.Values
            .Select(s => (Provision: Provision.Of(Fold(s)), Target: AccessTargetOf(s)))
            .Where(p => p.Provision is not null && p.Target is not null)
            .Select(p => (p.Provision!, p.Target!))
            .OrderByDescending(p => p.Item1.State.Perioden[^1].Begindatum).ThenBy(p => p.Item1.First.ProvisionId)];
    }

    /// <summary>
    /// What the access policy needs of a provision: its gemeente, and the care providers that recorded any of its
    /// events (the AGB codes in their metadata). Null for a stream without provision events.
    /// </summary>
    public static AccessTarget.Provision? AccessTargetOf(IReadOnlyList<StoredEvent> stream)
    {
        var first = stream.FirstOrDefault(e => Published.Knows(e.Type));
        if (first is null) return null;
        var aanbieders = stream.Select(e => EventSerializer.Metadata(e).Agb).OfType<string>().ToHashSet();
        return new AccessTarget.Provision(((IProvisionEvent)Published.Deserialize(first)).Gemeente, aanbieders);
    }

    internal static string StreamOf(Guid provisionId) => $"provision-{provisionId}";

    /// <summary>The client's provisions are found by this tag on their streams: an index row of the store, one per provision.</summary>
    internal static string ClientTagOf(Bsn bsn) => $"client:{bsn}";

    private static string LegacyClientStreamOf(Bsn bsn) => $"client-{bsn}";

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> Load(IEnumerable<RecordValidation> records, CancellationToken ct)
    {
        var streams = records.Where(r => r.Refusal is null).Select(r => StreamOf(r.ProvisionId)).ToHashSet();
        return streams.Count == 0 ? new Dictionary<string, IReadOnlyList<StoredEvent>>() : await store.ReadStreamsAsync(streams, ct);
    }

    private static ProvisionState Fold(IEnumerable<StoredEvent> stream) => ProvisionState.From(Deserialize(stream));

    private static List<IProvisionEvent> Deserialize(IEnumerable<StoredEvent> stream) =>
        [.. stream.Where(e => Published.Knows(e.Type)).Select(e => (IProvisionEvent)Published.Deserialize(e))];

    /// <summary>
    /// One round of decisions: the streams as loaded, with every accepted record's events added in order, so a
    /// start and its stop can travel in the same message.
    /// </summary>
    private sealed class Round(Law law, IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>> loaded, Func<AccessTarget.Provision, bool>? mayChange)
    {
        private readonly Dictionary<string, StreamState> _streams = new();

        public Dictionary<string, (long ExpectedVersion, List<IProvisionEvent> Events, List<string> Tags)> Appends { get; } = new();

        public CommandOutcome Decide(int index, RecordValidation record, DateTimeOffset now)
        {
            if (record.Refusal is { } invalid) return Outcome(index, invalid, null);
            var streamId = StreamOf(record.ProvisionId);
            var stream = Stream(streamId);
            if (!stream.MayChange)
            {
                var blind = ProvisionDecider.Decide(ProvisionState.Empty, record, law, now);
                return Outcome(index, blind is Decision.Refused ? blind
                    : new Decision.Refused("9074", "A record with this key was received before.", NoErrors, record.Warnings), null);
            }
            var decision = ProvisionDecider.Decide(stream.State, record, law, now);
            if (decision is not Decision.Accepted accepted) return Outcome(index, decision, stream.State.First?.ProvisionId);
            if (accepted.Events.Count > 0)
            {
                var isNew = stream.IsEmpty;
                stream.Append(accepted.Events);
                foreach (var e in accepted.Events) Add(streamId, LoadedVersion(streamId), e);
                // A provision's first events enter the client's index, so the client's provisions can be listed.
                if (isNew) Appends[streamId].Tags.Add(ClientTagOf(record.Bsn));
            }
            return Outcome(index, decision, record.ProvisionId);
        }

        /// <summary>
        /// Whether every record was accepted and its stream is appended to: then each stream the decisions read is
        /// expected by the append to hold what was loaded, so the append fails unless the decisions stand.
        /// </summary>
        public bool AppendsToEveryStreamOf(IReadOnlyList<RecordValidation> records, IReadOnlyList<CommandOutcome> outcomes) =>
            outcomes.Count == records.Count && outcomes.All(o => o.Accepted) && records.All(r => Appends.ContainsKey(StreamOf(r.ProvisionId)));

        /// <summary>The records' outcomes in order; with <paramref name="untilRefused"/>, only up to the first refused one.</summary>
        public List<CommandOutcome> Decide(IReadOnlyList<RecordValidation> records, DateTimeOffset now, bool untilRefused)
        {
            var outcomes = new List<CommandOutcome>(records.Count);
            for (var index = 0; index < records.Count; index++)
            {
                outcomes.Add(Decide(index, records[index], now));
                if (untilRefused && !outcomes[^1].Accepted) break;
            }
            return outcomes;
        }

        private static CommandOutcome Outcome(int index, Decision decision, Guid? provisionId) => decision switch
        {
            Decision.Refused refused => new CommandOutcome(index, refused.Retourcode, provisionId, refused.Message, refused.Errors, refused.Warnings),
            _ => new CommandOutcome(index, CommandOutcome.Geaccepteerd, provisionId, null, NoErrors, decision.Warnings),
        };

        private StreamState Stream(string streamId)
        {
            if (!_streams.TryGetValue(streamId, out var stream))
                _streams[streamId] = stream = loaded.TryGetValue(streamId, out var stored)
                    ? new StreamState(Deserialize(stored), mayChange is null || AccessTargetOf(stored) is not { } target || mayChange(target))
                    : new StreamState([], MayChange: true);
            return stream;
        }

        /// <summary>A stream's events and their state, refolded only when another record of the round is about the same stream.</summary>
        private sealed class StreamState(List<IProvisionEvent> events, bool MayChange)
        {
            private ProvisionState? _state;

            public bool MayChange { get; } = MayChange;

            public bool IsEmpty => events.Count == 0;

            public ProvisionState State => _state ??= IsEmpty ? ProvisionState.Empty : ProvisionState.From(events);

            public void Append(IEnumerable<IProvisionEvent> accepted)
            {
                events.AddRange(accepted);
                _state = null;
            }
        }

        /// <summary>Versions are 1..n without holes, so a loaded stream's version is its length.</summary>
        private long LoadedVersion(string streamId) => loaded.TryGetValue(streamId, out var events) ? events.Count : 0;

        private void Add(string streamId, long loadedVersion, IProvisionEvent @event)
        {
            if (!Appends.TryGetValue(streamId, out var append)) Appends[streamId] = append = (loadedVersion, [], []);
            append.Events.Add(@event);
        }

        public IReadOnlyList<StreamAppend> ToAppends(EventMetadata metadata)
        {
            var serialized = EventSerializer.Serialized(metadata);
            return [.. Appends.Select(a => new StreamAppend(a.Key, a.Value.ExpectedVersion,
                [.. a.Value.Events.Select(e => Stored.Serialize(e.EventId, e, serialized))], a.Value.Tags))];
        }

        private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();
    }
}

/// <summary>
/// A provision entered the client's index stream, as stores written before the client index became a tag keep it;
/// internal to the law service, never published.
/// </summary>
public sealed record ProvisionRegistered(Guid ProvisionId);

public sealed class ConcurrentChangeException(Exception inner)
    : Exception("The provision was changed by other requests at the same time; try again.", inner);
