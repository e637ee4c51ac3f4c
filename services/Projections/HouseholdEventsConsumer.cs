using MassTransit;
using SocialDomain.Contracts;

namespace SocialDomain.Projections;

/// <summary>
/// Records the Households service's events in the inbox; like provisions, acknowledged once durable, held at the
/// <see cref="StoreGate"/> while the store is away, refused at once when malformed.
/// </summary>
public sealed class HouseholdEventsConsumer(InboxRecorder recorder) :
    IConsumer<HouseholdMemberJoined>, IConsumer<HouseholdMemberLeft>,
    IConsumer<RegisseurAssigned>, IConsumer<RegisseurReleased>, IConsumer<RegisseurTransferred>,
    IConsumer<PlanGoalSet>, IConsumer<PlanActionSet>, IConsumer<GoalConflictMarked>, IConsumer<InvolvedPartyRecorded>,
    IConsumer<ConsentGiven>, IConsumer<ConsentWithdrawn>
{
    public Task Consume(ConsumeContext<HouseholdMemberJoined> context) => Record(context);
    public Task Consume(ConsumeContext<HouseholdMemberLeft> context) => Record(context);
    public Task Consume(ConsumeContext<RegisseurAssigned> context) => Record(context);
    public Task Consume(ConsumeContext<RegisseurReleased> context) => Record(context);
    public Task Consume(ConsumeContext<RegisseurTransferred> context) => Record(context);
    public Task Consume(ConsumeContext<PlanGoalSet> context) => Record(context);
    public Task Consume(ConsumeContext<PlanActionSet> context) => Record(context);
    public Task Consume(ConsumeContext<GoalConflictMarked> context) => Record(context);
    public Task Consume(ConsumeContext<InvolvedPartyRecorded> context) => Record(context);
    public Task Consume(ConsumeContext<ConsentGiven> context) => Record(context);
    public Task Consume(ConsumeContext<ConsentWithdrawn> context) => Record(context);

    private Task Record<T>(ConsumeContext<T> context) where T : class, IHouseholdEvent =>
        recorder.RecordAsync(context.Message, context.CancellationToken);
}
