using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SocialDomain.ServiceDefaults.Delivery;

/// <summary>
/// Readiness of a store: unhealthy when it does not answer a probe now, and for a consumer's store also while its
/// <see cref="StoreGate"/> holds messages, even if the probe got through since. A write service without its store
/// takes no change (503), and a standby relay would not notice: it does not touch the store until it leads.
/// </summary>
public sealed class StoreCheck(StoreGate? gate, Func<CancellationToken, Task> probe) : IHealthCheck
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (gate?.ClosedSince is { } since)
            return HealthCheckResult.Unhealthy($"The store has not answered since {since:yyyy-MM-ddTHH:mm:ssZ}; consumers hold their messages until it does.",
                data: new Dictionary<string, object> { ["closedSince"] = since, ["lastFailure"] = gate.LastFailure ?? "" });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await probe(timeout.Token);
            return HealthCheckResult.Healthy("The store answers.");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The store does not answer.", data: new Dictionary<string, object> { ["lastFailure"] = ex.GetType().Name });
        }
    }
}
