using MassTransit;
using SocialDomain.Contracts;
using SocialDomain.ServiceDefaults.Delivery;

namespace SocialDomain.Projections;

/// <summary>
/// Records provision events from all three laws in the inbox. Acknowledged only after the record is durable, so a
/// crash redelivers; the inbox makes the redelivery harmless. While the store is away the message waits at the
/// <see cref="StoreGate"/>; a message that breaks the contract is refused at once, alone.
/// </summary>
public sealed class ProvisionEventsConsumer(IInbox inbox, StoreGate gate, ProjectionMetrics metrics) :
    IConsumer<ProvisionStarted>, IConsumer<ProvisionEnded>, IConsumer<ProvisionRetracted>
{
    public Task Consume(ConsumeContext<ProvisionStarted> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<ProvisionEnded> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<ProvisionRetracted> context) => Record(context.Message, context.CancellationToken);

    private async Task Record(IProvisionEvent @event, CancellationToken ct)
    {
        InvalidMessageException.ThrowIfBroken(@event);
        if (await gate.Run(c => inbox.RecordAsync(@event, c), ct)) metrics.Applied();
        else metrics.Duplicate();
    }
}

/// <summary>Counts what the projection applied and skipped; read by tests and benchmarks, and by the health page.</summary>
public sealed class ProjectionMetrics
{
    private long _applied;
    private long _duplicates;

    public long AppliedCount => Interlocked.Read(ref _applied);
    public long DuplicateCount => Interlocked.Read(ref _duplicates);

    public void Applied() => Interlocked.Increment(ref _applied);
    public void Duplicate() => Interlocked.Increment(ref _duplicates);
}
