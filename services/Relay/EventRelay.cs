using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocialDomain.Contracts;
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
/// moves only after the broker confirmed that every event of a round reached a queue, so a crash at any moment
/// repeats a round at worst (consumers deduplicate by event id) and never skips one. It also answers subscribers
/// that ask for the history (<see cref="HistoryRequested"/>): see docs/relay.md.
/// </summary>
public sealed class EventRelay(
    string service,
    IEventStore store,
    EventSerializer serializer,
    IBus bus,
    RelayOptions options,
    ILogger<EventRelay> logger) : BackgroundService
{
    public static readonly Meter Meter = new("SocialDomain.Relay");
    private static readonly Counter<long> PublishedCounter = Meter.CreateCounter<long>("sdp.relay.published", "{event}",
        "Events published and confirmed routed to a queue.");
    private static readonly Counter<long> ReplayedCounter = Meter.CreateCounter<long>("sdp.relay.replayed", "{event}",
        "Events sent again to one subscriber that asked for the history.");

    private long _published;

    /// <summary>The owning service whose log this relays.</summary>
    public string Service => service;

    /// <summary>The name of its checkpoint.</summary>
    public string Name => $"{service}-relay";

    /// <summary>The queue on which this service takes <see cref="HistoryRequested"/>.</summary>
    public string HistoryQueue => $"{service}-history";

    /// <summary>Events published and confirmed since start.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>The last position whose events are all confirmed and checkpointed.</summary>
    public LogPosition Checkpoint { get; private set; }

    /// <summary>Whether the checkpoint has been read, so <see cref="Checkpoint"/> means something.</summary>
    public bool Started { get; private set; }

    /// <summary>Why the last round failed, while rounds fail; null after a round succeeded.</summary>
    public string? LastError { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Checkpoint = await WithRetry(ct => store.ReadCheckpointAsync(Name, ct), stoppingToken);
        Started = true;
        var history = bus.ConnectReceiveEndpoint(HistoryQueue, e => e.Handler<HistoryRequested>(c => Replay(c.Message, c.CancellationToken)));
        await history.Ready.WaitAsync(stoppingToken);
        logger.LogInformation("Relay {Relay} starts after log position {Position}", Name, Checkpoint);
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
                await store.SaveCheckpointAsync(Name, batch[^1].Position, stoppingToken);
                Checkpoint = batch[^1].Position;
                LastError = null;
                Interlocked.Add(ref _published, batch.Count);
                PublishedCounter.Add(batch.Count, new KeyValuePair<string, object?>("service", service));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LastError = ex.Message;
                if (ex is MessageReturnedException || ex.InnerException is MessageReturnedException)
                    logger.LogWarning("Relay {Relay}: an event after {Position} reached no queue (a subscriber's queue is missing); " +
                        "the checkpoint stays and the round is retried", Name, Checkpoint);
                else
                    logger.LogWarning(ex, "Relay {Relay} round after {Position} failed; retrying", Name, Checkpoint);
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
            Mandatory(context);
        }, ct);
    }

    /// <summary>
    /// Sends this service's log from the start up to the checkpoint to the subscriber's queues only, with the events'
    /// own message ids, then tells it so. What lies past the checkpoint the relay publishes anyway, and the subscriber's
    /// queues exist by now, so nothing falls between the two.
    /// </summary>
    public async Task<long> Replay(HistoryRequested request, CancellationToken ct) =>
        await Replay(request, LogPosition.Start, Checkpoint, ct);

    /// <summary>Sends the events in (<paramref name="after"/>, <paramref name="upTo"/>] of the log to the subscriber's queues, then tells it.</summary>
    public async Task<long> Replay(HistoryRequested request, LogPosition after, LogPosition upTo, CancellationToken ct)
    {
        var queues = request.Routes
            .SelectMany(r => r.EventTypes.Select(t => (Type: t, r.Queue)))
            .ToLookup(r => r.Type, r => r.Queue);
        var endpoints = new Dictionary<string, ISendEndpoint>();
        foreach (var queue in request.Routes.Select(r => r.Queue).Append(request.ReplyQueue).Distinct())
            endpoints[queue] = await bus.GetSendEndpoint(new Uri($"queue:{queue}"));
        logger.LogInformation("Relay {Relay} sends its log after {After} up to {UpTo} to {Subscriber}", Name, after, upTo, request.Subscriber);
        long sent = 0;
        var position = after;
        while (true)
        {
            var batch = (await store.ReadAllAsync(position, options.BatchSize, ct)).Where(e => e.Position <= upTo).ToList();
            if (batch.Count == 0) break;
            var sends = batch.Where(e => serializer.Knows(e.Type))
                .SelectMany(e => queues[e.Type].Select(queue => Send(endpoints[queue], e, ct)))
                .ToList();
            await Task.WhenAll(sends);
            sent += sends.Count;
            position = batch[^1].Position;
        }
        await endpoints[request.ReplyQueue].Send(new HistoryReplayed(service, request.Subscriber, sent), ct);
        ReplayedCounter.Add(sent, new KeyValuePair<string, object?>("service", service));
        logger.LogInformation("Relay {Relay} sent {Count} events of its history to {Subscriber}", Name, sent, request.Subscriber);
        return sent;
    }

    private Task Send(ISendEndpoint endpoint, StoredEvent stored, CancellationToken ct)
    {
        var metadata = EventSerializer.Metadata(stored);
        return endpoint.Send(serializer.Deserialize(stored), serializer.TypeOf(stored.Type), context =>
        {
            context.MessageId = stored.EventId;
            if (Guid.TryParse(metadata.CorrelationId, out var correlation)) context.CorrelationId = correlation;
            Mandatory(context);
        }, ct);
    }

    /// <summary>
    /// On RabbitMQ an event that no queue takes is confirmed all the same and dropped, unless it is mandatory: then the
    /// broker returns it and the send fails (MessageReturnedException), so the checkpoint stays where it was.
    /// </summary>
    private static void Mandatory(SendContext context)
    {
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit)) rabbit.Mandatory = true;
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
                logger.LogWarning(ex, "Relay {Relay} cannot read its checkpoint; retrying", Name);
                await Task.Delay(options.Error, ct);
            }
        }
    }
}
