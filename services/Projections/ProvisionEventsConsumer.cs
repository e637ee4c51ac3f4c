using MassTransit;
using SocialDomain.Contracts;

namespace SocialDomain.Projections;

/// <summary>
/// Records provision events from all three laws in the inbox. Acknowledged only after the record is durable, so a
/// crash redelivers; the inbox makes the redelivery harmless.
/// </summary>
public sealed class ProvisionEventsConsumer(IInbox inbox, ProjectionMetrics metrics) :
    IConsumer<ProvisionStarted>, IConsumer<ProvisionEnded>, IConsumer<ProvisionRetracted>
{
    public Task Consume(ConsumeContext<ProvisionStarted> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<ProvisionEnded> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<ProvisionRetracted> context) => Record(context.Message, context.CancellationToken);

    private async Task Record(IProvisionEvent @event, CancellationToken ct)
    {
        if (await inbox.RecordAsync(@event, ct)) metrics.Applied();
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
