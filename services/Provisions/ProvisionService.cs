using System.Security.Cryptography;
using System.Text;
using SocialDomain.Contracts;
using SocialDomain.EventStore;

namespace SocialDomain.Provisions;

/// <summary>
/// Decides on start and stop records under one law and records them in that law's own store. One record (JSON),
/// a message of an iJw/iWmo client (XML) and a bulk load (JSON batch) all go through <see cref="Process"/>:
/// the records are decided in order against the state of their streams, and what is accepted is appended in
/// one transaction.
/// </summary>
public sealed class ProvisionService(LawDefinition law, IEventStore store, TimeProvider clock)
{
    /// <summary>What the relay publishes: the integration events.</summary>
    public static readonly EventSerializer Published =
        new([typeof(ProvisionStarted), typeof(ProvisionEnded), typeof(ProvisionRetracted)]);

    /// <summary>What the store holds: the integration events plus the client index.</summary>
    private static readonly EventSerializer Stored =
        new([typeof(ProvisionStarted), typeof(ProvisionEnded), typeof(ProvisionRetracted), typeof(ProvisionRegistered)]);

    private const int ConcurrencyAttempts = 5;

    public LawDefinition Law => law;

    /// <summary>Decides on every record and stores what was accepted.</summary>
    /// <param name="allOrNothing">Store nothing when any record is refused (bulk loads); otherwise store the accepted ones (messages).</param>
    /// <exception cref="ConcurrentChangeException">Other writers kept changing the same streams.</exception>
    public async Task<IReadOnlyList<CommandOutcome>> Process(IReadOnlyList<ProvisionCommand> commands, bool allOrNothing,
        EventMetadata metadata, CancellationToken ct)
    {
        var records = commands.Select((command, index) => RecordValidation.Validate(law, index, command)).ToList();
        for (var attempt = 1; ; attempt++)
        {
            var decision = new Decision(law, clock, await Load(records, ct));
            var outcomes = records.Select(r => r.Refusal ?? decision.Decide(r)).ToList();
            if (allOrNothing && outcomes.Any(o => !o.Accepted) || decision.Appends.Count == 0) return outcomes;
            try
            {
                await store.AppendAsync(decision.ToAppends(metadata), ct);
                return outcomes;
            }
            catch (WrongExpectedVersionException) when (attempt < ConcurrencyAttempts)
            {
            }
            catch (WrongExpectedVersionException ex)
            {
                throw new ConcurrentChangeException(ex);
            }
        }
    }

    public async Task<Provision?> Get(Guid provisionId, CancellationToken ct) =>
        Provision.From(Deserialize(await store.ReadStreamAsync(StreamOf(provisionId), ct)));

    public async Task<(Provision? Provision, IReadOnlyList<StoredEvent> Events)> History(Guid provisionId, CancellationToken ct)
    {
        var events = await store.ReadStreamAsync(StreamOf(provisionId), ct);
        return (Provision.From(Deserialize(events)), events);
    }

    /// <summary>Every provision of one client under this law, newest begindatum first.</summary>
    public async Task<IReadOnlyList<Provision>> ForClient(Bsn bsn, CancellationToken ct)
    {
        var index = await store.ReadStreamAsync(ClientStreamOf(bsn), ct);
        var ids = index.Select(e => ((ProvisionRegistered)Stored.Deserialize(e)).ProvisionId).Select(StreamOf).ToList();
        var streams = ids.Count == 0 ? new Dictionary<string, IReadOnlyList<StoredEvent>>() : await store.ReadStreamsAsync(ids, ct);
        return [.. streams.Values.Select(s => Provision.From(Deserialize(s))).OfType<Provision>()
            .OrderByDescending(p => p.Perioden[^1].Begindatum).ThenBy(p => p.First.ProvisionId)];
    }

    internal static string StreamOf(Guid provisionId) => $"provision-{provisionId}";

    internal static string ClientStreamOf(Bsn bsn) => $"client-{bsn}";

    /// <summary>
    /// The identity of a provision is its toewijzingnummer when there is one, else productcategorie, productcode
    /// and begindatum (IV096), always within one law, client and gemeente. Deriving the id from that key makes the
    /// key's stream the one place where a second start is refused.
    /// </summary>
    internal static Guid IdentityOf(Law law, Gemeentecode gemeente, Bsn bsn, string categorie, string? productCode, string? toewijzing, DateOnly begindatum)
    {
        var key = toewijzing is not null
            ? $"{law}|{gemeente}|{bsn}|T|{toewijzing}"
            : $"{law}|{gemeente}|{bsn}|P|{categorie}|{productCode}|{begindatum:yyyy-MM-dd}";
        return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));
    }

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> Load(IEnumerable<RecordValidation> records, CancellationToken ct)
    {
        var streams = records.Where(r => r.Refusal is null)
            .SelectMany(r => new[] { StreamOf(r.ProvisionId), ClientStreamOf(r.Bsn) })
            .ToHashSet();
        return streams.Count == 0 ? new Dictionary<string, IReadOnlyList<StoredEvent>>() : await store.ReadStreamsAsync(streams, ct);
    }

    internal static List<IProvisionEvent> Deserialize(IEnumerable<StoredEvent> stream) =>
        [.. stream.Where(e => Published.Knows(e.Type)).Select(e => (IProvisionEvent)Published.Deserialize(e))];

    /// <summary>
    /// The decisions of one round: the streams as loaded, with every accepted record's event added in order, so a
    /// start and its stop can travel in the same message.
    /// </summary>
    private sealed class Decision(LawDefinition law, TimeProvider clock, IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>> loaded)
    {
        private readonly Dictionary<string, List<IProvisionEvent>> _streams = new();

        public Dictionary<string, (long ExpectedVersion, List<object> Events)> Appends { get; } = new();

        public CommandOutcome Decide(RecordValidation record)
        {
            var streamId = StreamOf(record.ProvisionId);
            var stream = Stream(streamId);
            // A stream without events holds no provision (Provision.From would fold nothing and return null).
            var current = stream.Count == 0 ? null : Provision.From(stream);
            var (retourcode, message, @event) = record.Command switch
            {
                StartCommand start => DecideStart(record, start, streamId, stream, current),
                StopCommand stop => DecideStop(record, stop, streamId, stream, current),
                _ => throw new ArgumentOutOfRangeException(nameof(record)),
            };
            if (retourcode != CommandOutcome.Geaccepteerd)
                return new CommandOutcome(record.Index, retourcode, current?.First.ProvisionId, message, Empty, record.Warnings);
            if (@event is not null)
            {
                if (stream.Count == 0) Register(record);
                stream.Add(@event);
                Add(streamId, LoadedVersion(streamId), @event);
            }
            return new CommandOutcome(record.Index, retourcode, record.ProvisionId, null, Empty, record.Warnings);
        }

        private (string, string?, IProvisionEvent?) DecideStart(RecordValidation record, StartCommand command, string streamId,
            List<IProvisionEvent> stream, Provision? current)
        {
            var earlier = current?.WithBegindatum(record.Begindatum);
            switch (command.Status)
            {
                case StatusAanlevering.Verwijderen:
                    if (earlier is null) return ("9063", "There is no earlier start with this key to withdraw.", null);
                    if (earlier.Stop is not null) return ("9071", "The start cannot be withdrawn: it has been stopped; withdraw the stop first.", null);
                    return Accept(Retraction(record, streamId, stream, current!, earlier.Start.EventId));
                case StatusAanlevering.Ongewijzigd:
                    return earlier is null ? ("9063", "There is no earlier start with this key.", null) : Accept(null);
            }
            if (current?.Actual is not null) return ("9326", "The actual start with this key has not been stopped yet.", null);
            if (earlier is not null) return ("9074", "A start with this key was received before.", null);
            if (current is not null && !current.Perioden[^1].Tijdelijk)
                return ("9415", "The toewijzing was stopped for good; only a temporary stop (reden 20) allows a new start.", null);
            if (current?.Perioden[^1].Einddatum is { } previousEnd && record.Begindatum <= previousEnd)
                return ("9361", $"The begindatum lies in the previous period, which ended {previousEnd:yyyy-MM-dd}.", null);
            return Accept(new ProvisionStarted(Guid.CreateVersion7(), streamId, Provision.VersionOf(stream) + 1,
                clock.GetUtcNow(), record.Gemeente, law.Law, record.ProvisionId, record.Bsn, record.Categorie, command.Key.ProductCode,
                command.Key.ToewijzingNummer, record.Begindatum, command.Geboortedatum));
        }

        private (string, string?, IProvisionEvent?) DecideStop(RecordValidation record, StopCommand command, string streamId,
            List<IProvisionEvent> stream, Provision? current)
        {
            var period = current?.WithBegindatum(record.Begindatum);
            // TR382: the stop carries the start's key unchanged, product included.
            if (period is not null && (period.Start.Productcategorie != record.Categorie || period.Start.ProductCode != command.Key.ProductCode))
                return ("9069", "The product differs from the product of the start with this key.", null);
            switch (command.Status)
            {
                case StatusAanlevering.Verwijderen:
                    if (period?.Stop is null) return ("9063", "There is no earlier stop with this key to withdraw.", null);
                    if (period != current!.Perioden[^1])
                        return ("9361", "The stop cannot be withdrawn: a later start follows it and the periods would overlap.", null);
                    return Accept(Retraction(record, streamId, stream, current, period.Stop.EventId));
                case StatusAanlevering.Ongewijzigd:
                    return period?.Stop is null ? ("9063", "There is no earlier stop with this key.", null) : Accept(null);
            }
            if (period is null || period.Stop is not null) return ("9069", "There is no actual start with this key.", null);
            return Accept(new ProvisionEnded(Guid.CreateVersion7(), streamId, Provision.VersionOf(stream) + 1,
                clock.GetUtcNow(), current!.First.Gemeente, law.Law, record.ProvisionId, record.Bsn, period.Begindatum,
                record.Einddatum!.Value, record.Reden!));
        }

        private ProvisionRetracted Retraction(RecordValidation record, string streamId, List<IProvisionEvent> stream, Provision current, Guid retracted) =>
            new(Guid.CreateVersion7(), streamId, Provision.VersionOf(stream) + 1,
                clock.GetUtcNow(), current.First.Gemeente, law.Law, record.ProvisionId, record.Bsn, retracted);

        private static (string, string?, IProvisionEvent?) Accept(IProvisionEvent? @event) => (CommandOutcome.Geaccepteerd, null, @event);

        private List<IProvisionEvent> Stream(string streamId)
        {
            if (!_streams.TryGetValue(streamId, out var stream))
                _streams[streamId] = stream = loaded.TryGetValue(streamId, out var events) ? Deserialize(events) : [];
            return stream;
        }

        /// <summary>A provision's first event also enters the client's index, so the client's provisions can be listed.</summary>
        private void Register(RecordValidation record)
        {
            var streamId = ClientStreamOf(record.Bsn);
            Add(streamId, LoadedVersion(streamId), new ProvisionRegistered(record.ProvisionId));
        }

        /// <summary>Versions are 1..n without holes, so a loaded stream's version is its length.</summary>
        private long LoadedVersion(string streamId) => loaded.TryGetValue(streamId, out var events) ? events.Count : 0;

        private void Add(string streamId, long loadedVersion, object @event)
        {
            if (!Appends.TryGetValue(streamId, out var append)) Appends[streamId] = append = (loadedVersion, []);
            append.Events.Add(@event);
        }

        public IReadOnlyList<StreamAppend> ToAppends(EventMetadata metadata) =>
            [.. Appends.Select(a => new StreamAppend(a.Key, a.Value.ExpectedVersion,
                [.. a.Value.Events.Select(e => Stored.Serialize(e is IIntegrationEvent i ? i.EventId : Guid.CreateVersion7(), e, metadata))]))];

        private static readonly IReadOnlyDictionary<string, string[]> Empty = new Dictionary<string, string[]>();
    }
}

/// <summary>A provision entered the client's index stream; internal to the law service, never published.</summary>
public sealed record ProvisionRegistered(Guid ProvisionId);

public sealed class ConcurrentChangeException(Exception inner)
    : Exception("The provision was changed by other requests at the same time; try again.", inner);
