using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using Failures = System.Collections.Concurrent.ConcurrentBag<(SocialDomain.EventStore.StoredEvent Event, System.Exception Error)>;

namespace SocialDomain.Relay;

/// <summary>Tuning of a relay. The defaults suit a service that takes a few hundred events a second.</summary>
/// <param name="BatchSize">Events read at once; the checkpoint moves over a batch once all of it is confirmed.</param>
/// <param name="IdleDelay">How long to wait before looking again when the log had nothing new.</param>
/// <param name="ErrorDelay">How long to wait after a failed round before retrying it from the checkpoint.</param>
/// <param name="ParkAfter">Failed attempts after which an event that fails for a reason of its own is parked (docs/relay.md).</param>
/// <param name="ConfirmTimeout">How long a publish may wait for the broker's confirm before it counts as failed and its round is retried.</param>
/// <param name="BatchesInFlight">Batches published at once: the next are read and published while earlier ones wait for their confirms.</param>
/// <param name="EventsPerMessage">
/// Events sent in one message (<see cref="IntegrationEventBatch"/>); 1 sends each event as a message of its own type.
/// Null takes <c>Relay:EventsPerMessage</c> from the configuration. Every subscriber must take batches first (docs/relay.md).
/// </param>
public sealed record RelayOptions(int BatchSize = 500, TimeSpan? IdleDelay = null, TimeSpan? ErrorDelay = null, int ParkAfter = 5,
    TimeSpan? ConfirmTimeout = null, int BatchesInFlight = 4, int? EventsPerMessage = null)
{
    public TimeSpan Idle => IdleDelay ?? TimeSpan.FromMilliseconds(20);
    public TimeSpan Error => ErrorDelay ?? TimeSpan.FromSeconds(1);
    public TimeSpan Confirm => ConfirmTimeout ?? TimeSpan.FromSeconds(10);
}

/// <summary>
/// The event store is the outbox: this tails a service's global log and publishes what it finds. The checkpoint
/// moves only after the broker confirmed that every event of a round reached a queue, so a crash at any moment
/// repeats a round at worst (consumers deduplicate by event id) and never skips one. It also answers subscribers
/// that ask for the history (<see cref="HistoryRequested"/>): see docs/relay.md. Of several instances of a service
/// only the one that holds the <see cref="IRelayLeadership"/> publishes; the others stand by.
/// </summary>
public sealed class EventRelay(
    string service,
    IEventStore store,
    IParkedEvents parked,
    EventSerializer serializer,
    IBus bus,
    RelayOptions options,
    IRelayLeadership leadership,
    ILogger<EventRelay> logger) : BackgroundService
{
    public static readonly Meter Meter = new("SocialDomain.Relay");
    private static readonly Counter<long> PublishedCounter = Meter.CreateCounter<long>("sdp.relay.published", "{event}",
        "Events published and confirmed routed to a queue.");
    private static readonly Counter<long> ReplayedCounter = Meter.CreateCounter<long>("sdp.relay.replayed", "{event}",
        "Events sent again to one subscriber that asked for the history.");

    private static readonly List<EventRelay> Running = [];
    // Lag and parked events are measured by the leader only: a standby's figures would be those of when it last led.
    private static readonly ObservableGauge<long> EventsBehindGauge = Meter.CreateObservableGauge("sdp.relay.lag.events",
        () => Measurements(r => r.Lag.Events, leaderOnly: true), "{event}", "Events in the log past the relay's checkpoint (capped at the measuring limit).");
    private static readonly ObservableGauge<double> SecondsBehindGauge = Meter.CreateObservableGauge("sdp.relay.lag.seconds",
        () => Measurements(r => r.Lag.Seconds, leaderOnly: true), "s", "Age of the oldest event not yet published.");
    private static readonly ObservableGauge<int> ParkedGauge = Meter.CreateObservableGauge("sdp.relay.parked",
        () => Measurements(r => r.ParkedCount, leaderOnly: true), "{event}", "Events parked by the relay.");
    private static readonly ObservableGauge<int> LeaderGauge = Meter.CreateObservableGauge("sdp.relay.leader",
        () => Measurements(r => r.Leads ? 1 : 0, leaderOnly: false), "{instance}", "1 while this instance's relay leads (publishes its log), 0 while it stands by.");

    private static IEnumerable<Measurement<T>> Measurements<T>(Func<EventRelay, T> value, bool leaderOnly) where T : struct
    {
        lock (Running)
            return [.. Running.Where(r => r.Leads || !leaderOnly)
                .Select(r => new Measurement<T>(value(r), new KeyValuePair<string, object?>("service", r.Service)))];
    }

    private long _published;
    private DateTimeOffset _lagMeasured;
    // A round and a retry of parked events never overlap, so a stream's order holds while it is unparked.
    private readonly SemaphoreSlim _round = new(1, 1);
    private readonly Dictionary<Guid, int> _attempts = new();
    // Read and written by the concurrent streams of a round, hence concurrent collections.
    private readonly ConcurrentDictionary<Guid, bool> _parkedEvents = new();
    // Per stream, the first parked event: every later event of the stream is parked behind it.
    private readonly ConcurrentDictionary<string, Guid> _parkedStreams = new();

    /// <summary>The owning service whose log this relays.</summary>
    public string Service => service;

    /// <summary>The name of its checkpoint, which also names its leadership.</summary>
    public string Name => NameFor(service);

    public static string NameFor(string service) => $"{service}-relay";

    /// <summary>The queue on which this service takes <see cref="HistoryRequested"/>.</summary>
    public string HistoryQueue => HistoryQueueOf(service);

    /// <summary>The queue on which an owning service takes <see cref="HistoryRequested"/>, and the exchange bound to it.</summary>
    public static string HistoryQueueOf(string service) => $"{service}-history";

    /// <summary>Events published and confirmed since start.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>The last position whose events are all confirmed and checkpointed.</summary>
    public LogPosition Checkpoint { get; private set; }

    /// <summary>Whether the relay has started: it leads and has read its checkpoint, or it stands by.</summary>
    public bool Started { get; private set; }

    /// <summary>
    /// Whether this instance publishes the log now (it holds the leadership and has read the checkpoint, so
    /// <see cref="Checkpoint"/> means something); false while another instance does.
    /// </summary>
    public bool Leads { get; private set; }

    /// <summary>
    /// The kind of failure (its exception type) of the last round, while rounds fail; null after a round succeeded. Its
    /// message, which may name hosts, is only logged: the health endpoint that shows this answers anyone.
    /// </summary>
    public string? LastError { get; private set; }

    /// <summary>How many events are parked now.</summary>
    public int ParkedCount { get; private set; }

    /// <summary>How far the relay was behind the log when last measured.</summary>
    public RelayLag Lag { get; private set; } = new(0, 0);

    /// <summary>Events past the checkpoint (counted up to <paramref name="cap"/>) and the age of the oldest of them.</summary>
    public async Task<RelayLag> MeasureLagAsync(int cap, CancellationToken ct)
    {
        var behind = await store.ReadAllAsync(Checkpoint, cap, ct);
        var unpublished = behind.Where(e => !_parkedEvents.ContainsKey(e.EventId)).ToList();
        Lag = new RelayLag(unpublished.Count, unpublished.Count == 0 ? 0 : Math.Max(0, (DateTimeOffset.UtcNow - unpublished[0].CreatedAt).TotalSeconds));
        _lagMeasured = DateTimeOffset.UtcNow;
        return Lag;
    }

    /// <summary>
    /// Takes history requests before the host's other services start: .NET 10 runs all of <see cref="ExecuteAsync"/> in
    /// the background, and a projection in the same process asks for the history as soon as it has started. On the
    /// in-memory bus a request published before this endpoint exists reaches no one; the host starts the bus first.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var history = bus.ConnectReceiveEndpoint(HistoryQueue, e =>
        {
            QuorumQueues.Apply(e);
            e.Handler<HistoryRequested>(c => ReplayHistory(c.Message, c.MessageId, c.CancellationToken));
        });
        await history.Ready.WaitAsync(cancellationToken);
        lock (Running) Running.Add(this);
        await base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        lock (Running) Running.Remove(this);
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Every instance answers history requests (connected in StartAsync), from the checkpoint in the store, whichever instance leads.
        Started = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var lost = await leadership.AcquireAsync(stoppingToken);
                try
                {
                    await Lead(lost, stoppingToken);
                }
                catch (OperationCanceledException) when (lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Relay {Relay} lost its leadership after log position {Position}; it stands by", Name, Checkpoint);
                }
                finally
                {
                    Leads = false;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await leadership.ReleaseAsync();
        }
    }

    /// <summary>
    /// Publishes rounds from the stored checkpoint until the leadership is lost or the service stops. A stop lets the
    /// round in progress finish (what it read is published, confirmed and checkpointed, nothing more is read), so a
    /// restart or a deployment does not send that round again; a lost leadership, or a stop that outlasts a confirm
    /// timeout, cuts it short, which repeats the round at worst.
    /// </summary>
    private async Task Lead(CancellationToken lost, CancellationToken stopping)
    {
        using var between = CancellationTokenSource.CreateLinkedTokenSource(lost, stopping);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(lost);
        await using var stop = stopping.Register(() => abort.CancelAfter(options.Confirm + StopGrace));
        // Another instance may have led since this one last did: what it published and parked is in the store.
        Checkpoint = await WithRetry(c => store.ReadCheckpointAsync(Name, c), between.Token);
        await WithRetry(async c => { await LoadParked(c); return true; }, between.Token);
        _attempts.Clear();
        Leads = true;
        logger.LogInformation("Relay {Relay} leads and starts after log position {Position}", Name, Checkpoint);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var busy = await Round(stopping, abort.Token);
                if (DateTimeOffset.UtcNow - _lagMeasured > TimeSpan.FromSeconds(5)) await MeasureLagAsync(LagCap, between.Token);
                if (!busy) await Task.Delay(options.Idle, between.Token);
            }
            catch (OperationCanceledException) when (between.IsCancellationRequested || abort.IsCancellationRequested)
            {
                if (lost.IsCancellationRequested) throw;
            }
            catch (Exception ex)
            {
                LastError = (ex is RelayRoundFailed { InnerException: { } cause } ? cause : ex).GetType().Name;
                logger.LogWarning(ex, "Relay {Relay} round after {Position} failed; retrying", Name, Checkpoint);
                await Task.Delay(options.Error, between.Token);
            }
        }
        logger.LogInformation("Relay {Relay} stopped after log position {Position}", Name, Checkpoint);
    }

    /// <summary>What a stopping round may take beyond one confirm timeout: the checkpoint's write.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Publishes what follows the checkpoint; false when the log had nothing new. Batches are read and published while
    /// earlier ones still wait for their confirms (at most <see cref="RelayOptions.BatchesInFlight"/>), and the
    /// checkpoint moves over each batch in log order once it and every batch before it are confirmed. Once
    /// <paramref name="finish"/> is signalled no further batch is read; <paramref name="ct"/> abandons the round.
    /// </summary>
    private async Task<bool> Round(CancellationToken finish, CancellationToken ct)
    {
        await _round.WaitAsync(ct);
        var inFlight = new Queue<(IReadOnlyList<StoredEvent> Batch, Task Publishing)>();
        try
        {
            var streams = new Dictionary<string, Task<bool>>();
            var failures = new Failures();
            var read = Checkpoint;
            var logEnded = false;
            var published = false;
            var started = Stopwatch.GetTimestamp();
            while (true)
            {
                while (!logEnded && failures.IsEmpty && inFlight.Count < options.BatchesInFlight &&
                       Stopwatch.GetElapsedTime(started) < ReadAheadFor && !finish.IsCancellationRequested)
                {
                    var batch = await store.ReadAllAsync(read, options.BatchSize, ct);
                    if (batch.Count == 0)
                    {
                        logEnded = true;
                        break;
                    }
                    await leadership.ConfirmAsync(ct);
                    inFlight.Enqueue((batch, PublishBatch(batch, streams, failures, ct)));
                    read = batch[^1].Position;
                    logEnded = batch.Count < options.BatchSize;
                }
                if (!inFlight.TryDequeue(out var next)) return published;
                await next.Publishing;
                if (!failures.IsEmpty)
                {
                    await Task.WhenAll(inFlight.Select(f => f.Publishing));
                    await Judge(failures, ct);
                    throw new RelayRoundFailed(failures.First().Error);
                }
                await store.SaveCheckpointAsync(Name, next.Batch[^1].Position, ct);
                Checkpoint = next.Batch[^1].Position;
                LastError = null;
                // This batch's events are published or parked now: their failed attempts no longer count.
                if (_attempts.Count > 0)
                    foreach (var e in next.Batch) _attempts.Remove(e.EventId);
                Interlocked.Add(ref _published, next.Batch.Count);
                PublishedCounter.Add(next.Batch.Count, new KeyValuePair<string, object?>("service", service));
                published = true;
            }
        }
        finally
        {
            // Whatever ended the round, nothing it started may still publish or park when the next one begins.
            await Task.WhenAll(inFlight.Select(f => f.Publishing)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _round.Release();
        }
    }

    /// <summary>
    /// A round stops reading ahead after this long and ends once what it read is confirmed, so the lag is measured
    /// between rounds even under a load that never lets the relay catch up.
    /// </summary>
    private static readonly TimeSpan ReadAheadFor = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Publishes a batch, the streams side by side. A stream's events go one after another, across the batches in
    /// flight too (<paramref name="streams"/> holds each stream's last publishing), so one that fails stops its stream
    /// and no later event overtakes it.
    /// </summary>
    private Task PublishBatch(IReadOnlyList<StoredEvent> batch, Dictionary<string, Task<bool>> streams,
        Failures failures, CancellationToken ct)
    {
        if (options.EventsPerMessage > 1) return PublishInMessages(batch, options.EventsPerMessage.Value, failures, ct);
        var publishing = new List<Task>();
        foreach (var stream in batch.Where(e => serializer.Knows(e.Type)).GroupBy(e => e.StreamId))
        {
            var task = PublishStream([.. stream], streams.GetValueOrDefault(stream.Key) ?? Task.FromResult(true), failures, ct);
            streams[stream.Key] = task;
            publishing.Add(task);
        }
        return Task.WhenAll(publishing);
    }

    /// <summary>
    /// Publishes a batch's events several to a message, in log order. The stored JSON travels as it is, checked but not
    /// turned into objects and back. The messages of a batch go out at once: their order does not matter, since
    /// consumers order a stream's events by version and deduplicate them by id. What parking needs still holds: an
    /// event behind a parked one of its stream is parked, not sent; an event whose JSON is broken fails the round (and
    /// is parked after <see cref="RelayOptions.ParkAfter"/> attempts); a message that fails fails all its events' round.
    /// </summary>
    private async Task PublishInMessages(IReadOnlyList<StoredEvent> batch, int perMessage, Failures failures, CancellationToken ct)
    {
        var events = new List<(StoredEvent Stored, BatchedEvent Message, ActivityContext Origin)>(batch.Count);
        foreach (var e in batch)
        {
            if (!serializer.Knows(e.Type) || _parkedEvents.ContainsKey(e.EventId)) continue;
            if (_parkedStreams.TryGetValue(e.StreamId, out var first))
            {
                await Park(e, $"behind parked event {first} of its stream", ct);
                continue;
            }
            try
            {
                var metadata = EventSerializer.Metadata(e);
                ActivityContext.TryParse(metadata.TraceParent, metadata.TraceState, out var origin);
                events.Add((e, new BatchedEvent(e.EventId, e.Type, JsonSerializer.Deserialize<JsonElement>(e.Data),
                    metadata.TraceParent, metadata.TraceState), origin));
            }
            catch (JsonException ex)
            {
                failures.Add((e, ex));
                return;
            }
        }
        await Task.WhenAll(events.Chunk(perMessage).Select(async message =>
        {
            using var activity = Tracing.StartActivity(ActivityKind.Producer,
                    links: [.. message.Where(m => m.Origin != default).Select(m => new ActivityLink(m.Origin))], name: "relay publish")?
                .SetTag("sdp.events", message.Length);
            try
            {
                var carried = new IntegrationEventBatch(service, [.. message.Select(m => m.Message)]);
                await Confirmed($"A message of {message.Length} events (the first {message[0].Stored.EventId})", limit =>
                    bus.Publish(carried, (PublishContext<IntegrationEventBatch> context) => Mandatory(context), limit), ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                foreach (var m in message) failures.Add((m.Stored, ex));
            }
        }));
    }

    /// <summary>True when the stream's events so far were each published or parked; false when one failed.</summary>
    private async Task<bool> PublishStream(IReadOnlyList<StoredEvent> events, Task<bool> before,
        Failures failures, CancellationToken ct)
    {
        if (!await before) return false;
        foreach (var e in events)
        {
            if (_parkedEvents.ContainsKey(e.EventId)) continue;
            if (_parkedStreams.TryGetValue(e.StreamId, out var first))
            {
                await Park(e, $"behind parked event {first} of its stream", ct);
                continue;
            }
            try
            {
                await Publish(e, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                failures.Add((e, ex));
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The policy of docs/relay.md: an event that reached no queue, or any failure while the broker is not healthy, is
    /// transient and only retried; an event that fails for a reason of its own is parked after <see cref="RelayOptions.ParkAfter"/> attempts.
    /// </summary>
    private async Task Judge(IEnumerable<(StoredEvent Event, Exception Error)> failures, CancellationToken ct)
    {
        var brokerHealthy = bus is not IBusControl control || control.CheckHealth().Status == BusHealthStatus.Healthy;
        if (failures.Count(f => Unroutable(f.Error)) is > 0 and var unroutable)
            logger.LogWarning("Relay {Relay}: {Count} events after {Position} reached no queue (a subscriber's queue is missing); " +
                "the checkpoint stays and they are retried", Name, unroutable, Checkpoint);
        if (failures.Count(f => f.Error is PublishNotConfirmedException) is > 0 and var unconfirmed)
            logger.LogWarning("Relay {Relay}: {Count} events after {Position} were not confirmed within {Timeout}; the checkpoint stays " +
                "and they are retried", Name, unconfirmed, Checkpoint, options.Confirm);
        foreach (var (e, error) in failures)
        {
            if (Unroutable(error) || error is PublishNotConfirmedException) continue;
            if (!OwnFault(error) && !brokerHealthy) continue;
            var attempts = _attempts[e.EventId] = _attempts.GetValueOrDefault(e.EventId) + 1;
            if (attempts < options.ParkAfter) continue;
            _attempts.Remove(e.EventId);
            await Park(e, $"{error.GetType().Name}: {error.Message}", ct);
            logger.LogError(error, "Relay {Relay} parked event {EventId} at {Position} of stream {Stream} after {Attempts} attempts; " +
                "later events of the stream wait behind it (docs/relay.md)", Name, e.EventId, e.Position, e.StreamId, attempts);
        }
    }

    /// <summary>The broker returned a mandatory message: no queue takes it.</summary>
    public static bool Unroutable(Exception error) => error is MessageReturnedException || error.InnerException is MessageReturnedException;

    /// <summary>The event itself cannot be turned into a message: no retry will change that.</summary>
    private static bool OwnFault(Exception error) => error is System.Text.Json.JsonException or InvalidDataException or NotSupportedException;

    private async Task Park(StoredEvent e, string reason, CancellationToken ct)
    {
        await parked.ParkAsync(e, reason, ct);
        _parkedEvents.TryAdd(e.EventId, true);
        _parkedStreams.TryAdd(e.StreamId, e.EventId);
        ParkedCount = _parkedEvents.Count;
    }

    private async Task LoadParked(CancellationToken ct)
    {
        var all = await parked.ReadParkedAsync(ct);
        _parkedEvents.Clear();
        _parkedStreams.Clear();
        foreach (var p in all)
        {
            _parkedEvents.TryAdd(p.Event.EventId, true);
            _parkedStreams.TryAdd(p.Event.StreamId, p.Event.EventId);
        }
        ParkedCount = _parkedEvents.Count;
    }

    /// <summary>The parked events, in log order, with their reasons.</summary>
    public Task<IReadOnlyList<ParkedEvent>> ParkedAsync(CancellationToken ct) => parked.ReadParkedAsync(ct);

    /// <summary>
    /// Publishes the parked events again, each stream in order, after their cause was fixed. A stream stops at its
    /// first event that fails again; that one and the rest of its stream stay parked.
    /// </summary>
    public async Task<(int Published, int StillParked)> RetryParkedAsync(CancellationToken ct)
    {
        await _round.WaitAsync(ct);
        try
        {
            // The leader's rounds keep the parked streams in memory and skip them; only it can unpark them in order.
            if (!Leads) throw new RelayStandsByException(Service);
            var published = 0;
            foreach (var stream in (await parked.ReadParkedAsync(ct)).GroupBy(p => p.Event.StreamId))
                foreach (var p in stream)
                {
                    try
                    {
                        await Publish(p.Event, ct);
                    }
                    catch (Exception ex) when (!ct.IsCancellationRequested)
                    {
                        logger.LogError(ex, "Relay {Relay}: parked event {EventId} failed again; it stays parked", Name, p.Event.EventId);
                        break;
                    }
                    await parked.UnparkAsync(p.Event.EventId, ct);
                    published++;
                }
            await LoadParked(ct);
            PublishedCounter.Add(published, new KeyValuePair<string, object?>("service", service));
            return (published, ParkedCount);
        }
        finally
        {
            _round.Release();
        }
    }

    private async Task Publish(StoredEvent stored, CancellationToken ct)
    {
        var metadata = EventSerializer.Metadata(stored);
        // Published long after the request that stored it, from this loop: the span continues the request's trace, kept
        // in the metadata, and the bus carries it on in the message's headers.
        ActivityContext.TryParse(metadata.TraceParent, metadata.TraceState, out var request);
        using var activity = Tracing.StartActivity("relay publish", ActivityKind.Producer, request)?
            .SetTag("sdp.event.type", stored.Type).SetTag("sdp.event.id", stored.EventId);
        await Confirmed($"Event {stored.EventId}", limit => bus.Publish(serializer.Deserialize(stored), serializer.TypeOf(stored.Type), context =>
        {
            context.MessageId = stored.EventId;
            if (Guid.TryParse(metadata.CorrelationId, out var correlation)) context.CorrelationId = correlation;
            Mandatory(context);
        }, limit), ct);
    }

    private static readonly ActivitySource Tracing = new("SocialDomain.Relay");

    /// <summary>
    /// Bounds the wait for the broker's confirm. RabbitMQ.Client 7.2 can leave a publish waiting forever for a confirm
    /// that was lost when the broker restarted (rabbitmq-dotnet-client#1930), and the round with it; without a bound
    /// the relay stood still until something else restarted it. The wait ends even if the publish ignores the token.
    /// </summary>
    private async Task Confirmed(string what, Func<CancellationToken, Task> publish, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(options.Confirm);
        try
        {
            await publish(limit.Token).WaitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new PublishNotConfirmedException(what, options.Confirm);
        }
    }

    /// <summary>
    /// Sends this service's log from the start up to the checkpoint to the subscriber's queues only, with the events'
    /// own message ids, then tells it so. What lies past the checkpoint the relay publishes anyway, and the subscriber's
    /// queues exist by now, so nothing falls between the two.
    /// </summary>
    public async Task<long> Replay(HistoryRequested request, CancellationToken ct) =>
        await Replay(request, LogPosition.Start, await store.ReadCheckpointAsync(Name, ct), ct);

    /// <summary>
    /// Answers a subscriber's history request as <see cref="Replay(HistoryRequested, CancellationToken)"/>, resuming
    /// where an earlier attempt at the same request (<paramref name="requestId"/>) stopped. A long log outlasts what the
    /// broker gives one message (RabbitMQ's consumer timeout) or the instance that took it; the request then comes
    /// again, and without the progress kept under a checkpoint of its own every attempt would start from the beginning
    /// and a log long enough would never be sent whole.
    /// </summary>
    public async Task<long> ReplayHistory(HistoryRequested request, Guid? requestId, CancellationToken ct)
    {
        if (requestId is not { } id)
            return await Replay(request, ct);
        var progress = HistoryProgressName(id);
        var upTo = await store.ReadCheckpointAsync(HistoryTargetName(id), ct);
        if (upTo == LogPosition.Start)
        {
            upTo = await store.ReadCheckpointAsync(Name, ct);
            await store.SaveCheckpointAsync(HistoryTargetName(id), upTo, ct);
        }
        var after = await store.ReadCheckpointAsync(progress, ct);
        if (after > LogPosition.Start)
            logger.LogInformation("Relay {Relay} resumes the history for {Subscriber} after {After}, where an earlier attempt stopped", Name, request.Subscriber, after);
        return await Replay(request, after, upTo, ct, position => store.SaveCheckpointAsync(progress, position, ct));
    }

    /// <summary>The checkpoint under which a history request's progress is kept: one row per request, a few per projection's start.</summary>
    public string HistoryProgressName(Guid requestId) => $"{Name}/history/{requestId:N}";

    /// <summary>
    /// Up to where a history request sends: the relay's checkpoint when the beheerder asked, or when an instance first
    /// took the request, kept so that a resumed attempt ends where the first would have (and so it can be told when it is done).
    /// </summary>
    private string HistoryTargetName(Guid requestId) => $"{HistoryProgressName(requestId)}/up-to";

    /// <summary>
    /// A beheerder's replay of the log up to the relay's checkpoint to a subscriber's queues, sent as a history request
    /// to this service's own history queue, so that it is done as a subscriber's is: by whichever instance takes it,
    /// resumed where it stopped when the instance or the broker ended it, however long the log. Null when the relay has
    /// published nothing yet, so that there is nothing to send.
    /// </summary>
    public async Task<HistoryProgress?> RequestReplay(IReadOnlyList<ReplayRoute> routes, CancellationToken ct)
    {
        var upTo = await store.ReadCheckpointAsync(Name, ct);
        if (upTo == LogPosition.Start) return null;
        var id = NewId.NextGuid();
        await store.SaveCheckpointAsync(HistoryTargetName(id), upTo, ct);
        var queue = await bus.GetSendEndpoint(new Uri($"exchange:{HistoryQueue}"));
        await Confirmed($"The replay {id}", limit => queue.Send(new HistoryRequested("beheerder", routes, null), context =>
        {
            context.MessageId = id;
            Mandatory(context);
        }, limit), ct);
        return new HistoryProgress(id, LogPosition.Start, upTo);
    }

    /// <summary>How far a history request has got; null for a request this relay does not know.</summary>
    public async Task<HistoryProgress?> ProgressOf(Guid requestId, CancellationToken ct)
    {
        var upTo = await store.ReadCheckpointAsync(HistoryTargetName(requestId), ct);
        return upTo == LogPosition.Start ? null : new HistoryProgress(requestId, await store.ReadCheckpointAsync(HistoryProgressName(requestId), ct), upTo);
    }

    /// <summary>
    /// Sends the events in (<paramref name="after"/>, <paramref name="upTo"/>] of the log to the subscriber's queues,
    /// then tells it; after each batch has been confirmed, <paramref name="sentUpTo"/> hears how far it got.
    /// </summary>
    public async Task<long> Replay(HistoryRequested request, LogPosition after, LogPosition upTo, CancellationToken ct,
        Func<LogPosition, Task>? sentUpTo = null)
    {
        var queues = request.Routes
            .SelectMany(r => r.EventTypes.Select(t => (Type: t, r.Queue)))
            .ToLookup(r => r.Type, r => r.Queue);
        var subscriber = new SubscriberQueues(bus);
        logger.LogInformation("Relay {Relay} sends its log after {After} up to {UpTo} to {Subscriber}", Name, after, upTo, request.Subscriber);
        long sent = 0;
        var position = after;
        while (true)
        {
            var batch = (await store.ReadAllAsync(position, options.BatchSize, ct)).Where(e => e.Position <= upTo).ToList();
            if (batch.Count == 0) break;
            var sends = batch.Where(e => serializer.Knows(e.Type))
                .SelectMany(e => queues[e.Type].Select(queue => subscriber.Send(queue, endpoint => Send(endpoint, e, ct))))
                .ToList();
            await Task.WhenAll(sends);
            sent += sends.Count;
            position = batch[^1].Position;
            if (sentUpTo is not null) await sentUpTo(position);
        }
        if (request.ReplyQueue is not null)
            await subscriber.Send(request.ReplyQueue, endpoint => endpoint.Send(new HistoryReplayed(service, request.Subscriber, sent), (SendContext context) => Mandatory(context), ct));
        ReplayedCounter.Add(sent, new KeyValuePair<string, object?>("service", service));
        logger.LogInformation("Relay {Relay} sent {Count} events of its history to {Subscriber}", Name, sent, request.Subscriber);
        return sent;
    }

    private async Task Send(ISendEndpoint endpoint, StoredEvent stored, CancellationToken ct)
    {
        var metadata = EventSerializer.Metadata(stored);
        // A replay is the operation that asked for it (a beheerder's request, a subscriber's history request): its span
        // belongs to that trace, and links to the request that stored the event, so either trace leads to the other.
        ActivityLink[]? origin = ActivityContext.TryParse(metadata.TraceParent, metadata.TraceState, out var request) ? [new(request)] : null;
        using var activity = Tracing.StartActivity(ActivityKind.Producer, links: origin, name: "relay replay")?
            .SetTag("sdp.event.type", stored.Type).SetTag("sdp.event.id", stored.EventId);
        await Confirmed($"Event {stored.EventId}", limit => endpoint.Send(serializer.Deserialize(stored), serializer.TypeOf(stored.Type), context =>
        {
            context.MessageId = stored.EventId;
            if (Guid.TryParse(metadata.CorrelationId, out var correlation)) context.CorrelationId = correlation;
            Mandatory(context);
        }, limit), ct);
    }

    /// <summary>
    /// Where a replay sends to a subscriber's queue. A MassTransit endpoint's queue is reached through the exchange of
    /// the same name that MassTransit binds to it: a send to "queue:" declares the queue again, and RabbitMQ (3.10)
    /// refuses that for a quorum queue, whose type the declaration does not repeat. A queue made by other means has no
    /// such exchange, so the broker returns what was sent there (it is mandatory) and it goes again through "queue:",
    /// which binds one (declaring the queue as a classic queue if it does not exist).
    /// </summary>
    private sealed class SubscriberQueues(IBus bus)
    {
        private readonly ConcurrentDictionary<string, bool> _withoutExchange = new();

        public async Task Send(string queue, Func<ISendEndpoint, Task> send)
        {
            if (!_withoutExchange.ContainsKey(queue))
            {
                try
                {
                    await send(await bus.GetSendEndpoint(new Uri($"exchange:{queue}")));
                    return;
                }
                catch (Exception e) when (Unroutable(e))
                {
                    _withoutExchange.TryAdd(queue, true);
                }
            }
            await send(await bus.GetSendEndpoint(new Uri($"queue:{queue}")));
        }
    }

    /// <summary>
    /// On RabbitMQ an event that no queue takes is confirmed all the same and dropped, unless it is mandatory: then the
    /// broker returns it and the send fails (MessageReturnedException), so the checkpoint stays where it was.
    /// </summary>
    public static void Mandatory(SendContext context)
    {
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit)) rabbit.Mandatory = true;
    }

    /// <summary>How many events past the checkpoint the relay counts at most when it measures its lag.</summary>
    public const int LagCap = 10_000;

    private sealed class PublishNotConfirmedException(string what, TimeSpan timeout)
        : TimeoutException($"{what} was not confirmed by the broker within {timeout.TotalSeconds:0.#} s");

    private sealed class RelayRoundFailed(Exception first) : Exception($"Events of the round could not be published, first: {first.Message}", first);

    private async Task<T> WithRetry<T>(Func<CancellationToken, Task<T>> action, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await action(ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Relay {Relay} cannot read its checkpoint or parked events; retrying", Name);
                await Task.Delay(options.Error, ct);
            }
        }
    }
}

/// <summary>Refused because another instance of the service leads the relay, and only the leader may do it.</summary>
public sealed class RelayStandsByException(string service)
    : InvalidOperationException($"The relay of {service} runs on another instance of the service; this instance stands by.");

/// <summary>How far a relay is behind its log: events past the checkpoint, and the age in seconds of the oldest.</summary>
public sealed record RelayLag(long Events, double Seconds);

/// <summary>A history request's progress: the events up to <see cref="SentUpTo"/> are sent, those up to <see cref="UpTo"/> will be.</summary>
public sealed record HistoryProgress(Guid Id, LogPosition SentUpTo, LogPosition UpTo)
{
    public bool Done => SentUpTo >= UpTo;
}
