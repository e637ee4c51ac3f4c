using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using MassTransit;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.ServiceDefaults.Delivery;

namespace SocialDomain.Projections;

/// <summary>
/// Records provision events from all three laws in the inbox. Acknowledged only after the record is durable, so a
/// crash redelivers; the inbox makes the redelivery harmless. While the store is away the message waits at the
/// <see cref="StoreGate"/>; a message that breaks the contract is refused at once, alone.
/// </summary>
public sealed class ProvisionEventsConsumer(InboxRecorder recorder) :
    IConsumer<ProvisionStarted>, IConsumer<ProvisionEnded>, IConsumer<ProvisionRetracted>
{
    public Task Consume(ConsumeContext<ProvisionStarted> context) => recorder.RecordAsync(context.Message, default, context.CancellationToken);
    public Task Consume(ConsumeContext<ProvisionEnded> context) => recorder.RecordAsync(context.Message, default, context.CancellationToken);
    public Task Consume(ConsumeContext<ProvisionRetracted> context) => recorder.RecordAsync(context.Message, default, context.CancellationToken);
}

/// <summary>
/// Records the events of an <see cref="IntegrationEventBatch"/>: the provision events together (the inbox commits them
/// in one group), then the household events in their log order. Every event is checked before any is recorded, so a
/// batch with one broken event is refused whole, at once, and changes nothing; events of a type the projection does not
/// take are passed over, as single messages of that type would never reach its queues.
/// </summary>
public sealed class IntegrationEventBatchConsumer(InboxRecorder recorder) : IConsumer<IntegrationEventBatch>
{
    public Task Consume(ConsumeContext<IntegrationEventBatch> context) => recorder.RecordAsync(context.Message, context.CancellationToken);
}

/// <summary>What every consumer of the projection does with an event: check it, record it once, count it.</summary>
public sealed class InboxRecorder(IInbox inbox, StoreGate gate, ProjectionMetrics metrics)
{
    /// <param name="origin">The trace of the request that recorded the event, when the message does not carry it on.</param>
    public async Task RecordAsync(IIntegrationEvent @event, ActivityContext origin, CancellationToken ct)
    {
        InvalidMessageException.ThrowIfBroken(@event);
        using var activity = ProjectionMetrics.StartRecord(@event, origin);
        switch (@event)
        {
            case IProvisionEvent provision:
                if (await gate.Run(c => inbox.RecordAsync(provision, c), ct)) metrics.Applied(provision);
                else metrics.Duplicate();
                break;
            case IHouseholdEvent household:
                if (await gate.Run(c => inbox.RecordHouseholdAsync(household, c), ct)) metrics.Recorded(household);
                break;
        }
    }

    public async Task RecordAsync(IntegrationEventBatch batch, CancellationToken ct)
    {
        var events = Read(batch);
        await Task.WhenAll(events.Where(e => e.Event is IProvisionEvent).Select(e => RecordAsync(e.Event, e.Origin, ct)));
        foreach (var (e, origin) in events.Where(e => e.Event is IHouseholdEvent)) await RecordAsync(e, origin, ct);
    }

    private static List<(IIntegrationEvent Event, ActivityContext Origin)> Read(IntegrationEventBatch batch)
    {
        if (batch.Events is null) throw new InvalidMessageException("IntegrationEventBatch breaks the contract: events is missing.");
        var events = new List<(IIntegrationEvent, ActivityContext)>(batch.Events.Count);
        foreach (var b in batch.Events)
        {
            if (b is null || !Inboxes.Serializer.Knows(b.Type ?? "")) continue;
            IIntegrationEvent? e;
            try
            {
                e = b.Data.Deserialize(Inboxes.Serializer.TypeOf(b.Type!), EventSerializer.Json) as IIntegrationEvent;
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
            {
                throw new InvalidMessageException($"{b.Type} {b.EventId} in a batch from {batch.Source} is not readable: {ex.Message}");
            }
            if (e is null || e.EventId != b.EventId)
                throw new InvalidMessageException($"{b.Type} {b.EventId} in a batch from {batch.Source} breaks the contract: its data do not carry its event id.");
            InvalidMessageException.ThrowIfBroken(e);
            ActivityContext.TryParse(b.TraceParent, b.TraceState, out var origin);
            events.Add((e, origin));
        }
        return events;
    }
}

/// <summary>
/// Counts what the projection applied and skipped; read by tests and benchmarks, and published as metrics on the meter
/// <c>SocialDomain.Projections</c> (with the queues' depth as the last readiness check saw it). Its spans, one per
/// event recorded, end a provision's trace (docs/operations.md, Telemetry).
/// </summary>
public sealed class ProjectionMetrics
{
    public const string Name = "SocialDomain.Projections";

    private static readonly ActivitySource Tracing = new(Name);
    private readonly Counter<long> _appliedCounter;
    private readonly Counter<long> _duplicateCounter;
    private readonly Histogram<double> _lag;
    private readonly TimeProvider _clock;
    private long _applied;
    private long _duplicates;

    public ProjectionMetrics(IMeterFactory meters, TimeProvider clock)
    {
        _clock = clock;
        Meter = meters.Create(Name);
        _appliedCounter = Meter.CreateCounter<long>("sdp.projection.applied", "{event}",
            "Provision events recorded in the projection's inbox for the first time.");
        _duplicateCounter = Meter.CreateCounter<long>("sdp.projection.duplicates", "{event}",
            "Provision events received again and skipped: redeliveries and replays.");
        _lag = Meter.CreateHistogram<double>("sdp.projection.lag", "s",
            "Time from an event's occurrence in its service to its recording in the projection's inbox (first time only).");
    }

    /// <summary>
    /// The span of recording one event in the inbox, the write behind every view: a child of the message's trace, and
    /// linked to <paramref name="origin"/>, the request that recorded the event, when the message carried several events.
    /// </summary>
    public static Activity? StartRecord(IIntegrationEvent @event, ActivityContext origin = default) =>
        Tracing.StartActivity(ActivityKind.Internal, links: origin == default ? null : [new ActivityLink(origin)], name: "projection record")?
            .SetTag("sdp.event.type", @event.GetType().Name).SetTag("sdp.event.id", @event.EventId);

    /// <summary>A household event recorded for the first time: only its lag is measured.</summary>
    public void Recorded(IHouseholdEvent @event) => RecordLag(@event, "household");

    /// <summary>This host's meter; another host in the same process has its own.</summary>
    public Meter Meter { get; }

    public long AppliedCount => Interlocked.Read(ref _applied);
    public long DuplicateCount => Interlocked.Read(ref _duplicates);

    public void Applied(IProvisionEvent @event)
    {
        Interlocked.Increment(ref _applied);
        _appliedCounter.Add(1);
        RecordLag(@event, "provision");
    }

    private void RecordLag(IIntegrationEvent @event, string events) =>
        _lag.Record(Math.Max(0, (_clock.GetUtcNow() - @event.OccurredAt).TotalSeconds), new KeyValuePair<string, object?>("events", events));

    public void Duplicate()
    {
        Interlocked.Increment(ref _duplicates);
        _duplicateCounter.Add(1);
    }
}
