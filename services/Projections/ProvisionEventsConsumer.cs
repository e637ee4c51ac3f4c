using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;
using SocialDomain.Contracts;
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
    public Task Consume(ConsumeContext<ProvisionStarted> context) => recorder.RecordAsync(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<ProvisionEnded> context) => recorder.RecordAsync(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<ProvisionRetracted> context) => recorder.RecordAsync(context.Message, context.CancellationToken);
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
