using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SocialDomain.ServiceDefaults.Delivery;

/// <summary>
/// How far a service's consumers are behind, read on the broker: the messages waiting in each of its queues, and the
/// messages in their error queues. Degraded when more wait than the threshold (<c>Health:ConsumerLagDegraded</c>) or
/// any message sits in an error queue; unhealthy when the broker does not answer.
/// </summary>
public sealed class QueueCheck(BrokerQueues broker, IReadOnlyList<string> queues, long degradedAbove) : IHealthCheck
{
    private static readonly Meter Meter = new("SocialDomain.Delivery");
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> LastSeen = new();
    private static readonly ObservableGauge<long> Depth = Meter.CreateObservableGauge("sdp.queue.messages",
        () => LastSeen.Select(q => new Measurement<long>(q.Value, new KeyValuePair<string, object?>("queue", q.Key))), "{message}",
        "Messages waiting in a consumer queue or its error queue, as the last readiness check counted them.");

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        long waiting = 0, failed = 0;
        try
        {
            foreach (var queue in queues)
            {
                var inQueue = await broker.MessageCountAsync(queue, cancellationToken) ?? 0;
                var inError = await broker.MessageCountAsync(queue + BrokerQueues.ErrorSuffix, cancellationToken) ?? 0;
                (data[queue], data[queue + BrokerQueues.ErrorSuffix]) = (inQueue, inError);
                (LastSeen[queue], LastSeen[queue + BrokerQueues.ErrorSuffix]) = (inQueue, inError);
                (waiting, failed) = (waiting + inQueue, failed + inError);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The broker does not answer.", data: new Dictionary<string, object> { ["lastFailure"] = ex.GetType().Name });
        }
        if (failed > 0)
            return HealthCheckResult.Degraded($"{failed} messages are in error queues: list, show and resend them with the beheer error-queue tool.", data: data);
        if (waiting > degradedAbove)
            return HealthCheckResult.Degraded($"{waiting} messages wait for the consumers, more than {degradedAbove}.", data: data);
        return HealthCheckResult.Healthy($"{waiting} messages wait for the consumers.", data: data);
    }
}
