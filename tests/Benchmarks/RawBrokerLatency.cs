using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace SocialDomain.Benchmarks;

/// <summary>
/// The broker's own latency at a fixed rate: RabbitMQ.Client publishes persistent messages with publisher confirms to
/// a durable queue, a consumer on its own connection acknowledges each; a message counts when it is both confirmed
/// and consumed, from the moment it was scheduled.
/// </summary>
public static class RawBrokerLatency
{
    private const string Queue = "bench-views-latency";

    public static async Task<LatencyResult> MeasureAsync(Uri uri, double rate, TimeSpan duration, TextWriter log, CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = uri, ClientProvidedName = "sdp-benchmark-views-latency" };
        await using var publisherConnection = await factory.CreateConnectionAsync(ct);
        await using var consumerConnection = await factory.CreateConnectionAsync(ct);
        await using var publisher = await publisherConnection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        await using var consumer = await consumerConnection.CreateChannelAsync(cancellationToken: ct);
        await publisher.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
        await publisher.QueuePurgeAsync(Queue, ct);

        var waiting = new ConcurrentDictionary<string, TaskCompletionSource>();
        await consumer.BasicQosAsync(0, 100, false, ct);
        var handler = new AsyncEventingBasicConsumer(consumer);
        handler.ReceivedAsync += async (_, delivery) =>
        {
            await consumer.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            if (delivery.BasicProperties.MessageId is { } id && waiting.TryRemove(id, out var done)) done.TrySetResult();
        };
        await consumer.BasicConsumeAsync(Queue, autoAck: false, handler, ct);

        var body = System.Text.Encoding.UTF8.GetBytes(Workload.Serialize(Workload.NewStart(1)).Data);
        async Task Publish(int i, CancellationToken c)
        {
            var id = Guid.CreateVersion7().ToString();
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting[id] = done;
            var properties = new BasicProperties { Persistent = true, ContentType = "application/json", MessageId = id, Type = "ProvisionStarted" };
            await publisher.BasicPublishAsync("", Queue, mandatory: false, properties, body, c);
            await done.Task;
        }

        log.WriteLine($"views: raw RabbitMQ latency at {Format.Rate(rate)} messages/s; warm-up");
        await OpenLoop.RunAsync("warm-up", rate, TimeSpan.FromSeconds(3), Publish, ct);
        var result = await OpenLoop.RunAsync("raw RabbitMQ, publish (confirmed) → consumed", rate, duration, Publish, ct);
        log.WriteLine($"  {result}");
        await publisher.QueueDeleteAsync(Queue, cancellationToken: ct);
        return result;
    }
}
