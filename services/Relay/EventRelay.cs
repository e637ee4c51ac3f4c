using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocialDomain.EventStore;

namespace SocialDomain.Relay;

/// <summary>Tuning of a relay. The defaults suit a service that takes a few hundred events a second.</summary>
/// <param name="BatchSize">Events read and published per round; their confirms are awaited together.</param>
/// <param name="IdleDelay">How long to wait before looking again when the log had nothing new.</param>
/// <param name="ErrorDelay">How long to wait after a failed round before retrying it from the checkpoint.</param>
public sealed record RelayOptions(int BatchSize = 500, TimeSpan? IdleDelay = null, TimeSpan? ErrorDelay = null)
{
    public TimeSpan Idle => IdleDelay ?? TimeSpan.FromMilliseconds(20);
    public TimeSpan Error => ErrorDelay ?? TimeSpan.FromSeconds(1);
}

/// <summary>
/// The event store is the outbox: this tails a service's global log and publishes what it finds. The checkpoint
/// moves only after the broker confirmed every event of a round, so a crash at any moment repeats a round at
/// worst (consumers deduplicate by event id) and never skips one.
/// </summary>
public sealed class EventRelay(
    string name,
    IEventStore store,
    EventSerializer serializer,
    IBus bus,
    RelayOptions options,
    ILogger<EventRelay> logger) : BackgroundService
{
    private long _published;

    /// <summary>Events published and confirmed since start.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>The last position whose events are all confirmed and checkpointed.</summary>
    public LogPosition Checkpoint { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Checkpoint = await WithRetry(ct => store.ReadCheckpointAsync(name, ct), stoppingToken);
        logger.LogInformation("Relay {Relay} starts after log position {Position}", name, Checkpoint);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await store.ReadAllAsync(Checkpoint, options.BatchSize, stoppingToken);
                if (batch.Count == 0)
                {
                    await Task.Delay(options.Idle, stoppingToken);
                    continue;
                }
                await Task.WhenAll(batch.Where(e => serializer.Knows(e.Type)).Select(e => Publish(e, stoppingToken)));
                await store.SaveCheckpointAsync(name, batch[^1].Position, stoppingToken);
                Checkpoint = batch[^1].Position;
                Interlocked.Add(ref _published, batch.Count);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Relay {Relay} round after {Position} failed; retrying", name, Checkpoint);
                await Task.Delay(options.Error, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }

    private Task Publish(StoredEvent stored, CancellationToken ct)
    {
        var metadata = EventSerializer.Metadata(stored);
        return bus.Publish(serializer.Deserialize(stored), serializer.TypeOf(stored.Type), context =>
        {
            context.MessageId = stored.EventId;
            if (Guid.TryParse(metadata.CorrelationId, out var correlation)) context.CorrelationId = correlation;
        }, ct);
    }

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
                logger.LogWarning(ex, "Relay {Relay} cannot read its checkpoint; retrying", name);
                await Task.Delay(options.Error, ct);
            }
        }
    }
}
