using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.ServiceDefaults.Delivery;

namespace SocialDomain.Projections;

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
    /// <summary>An event that came as a message of its own, which carries its request's trace on.</summary>
    public Task RecordAsync(IIntegrationEvent @event, CancellationToken ct)
    {
        InvalidMessageException.ThrowIfBroken(@event);
        return Record(@event, default, ct);
    }

    public async Task RecordAsync(IntegrationEventBatch batch, CancellationToken ct)
    {
        // All at once, so the inbox commits them in groups; the views order each stream's events by version.
        await Task.WhenAll(Read(batch).Select(e => Record(e.Event, e.Origin, ct)));
    }

    /// <summary>
    /// Records an event already checked against the contract; <paramref name="origin"/> is the trace of the request that
    /// recorded it, when the message carried several events and so continues none of their traces.
    /// </summary>
    private async Task Record(IIntegrationEvent @event, ActivityContext origin, CancellationToken ct)
    {
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

    /// <summary>Every event of the batch, each checked against the contract: one broken event refuses the whole batch.</summary>
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
