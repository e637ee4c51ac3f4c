using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace SocialDomain.Benchmarks;

/// <summary>
/// The broker alone: RabbitMQ.Client publishes persistent messages with publisher confirms to a durable fanout
/// exchange bound to a durable queue, and a consumer on its own connection acknowledges each one. Measured from the
/// first publish to the last message consumed.
/// </summary>
public sealed class RawRabbitBaseline : IAsyncDisposable
{
    public const string Exchange = "bench-raw";
    public const string Queue = "bench-raw";

    private readonly IConnection _publisherConnection;
    private readonly IConnection _consumerConnection;
    private readonly IChannel _publisher;
    private readonly IChannel _consumer;
    private readonly ReadOnlyMemory<byte>[] _bodies;
    private long _received;
    private long _target = long.MaxValue;
    private TaskCompletionSource<long> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RawRabbitBaseline(IConnection publisherConnection, IConnection consumerConnection, IChannel publisher, IChannel consumer,
        ReadOnlyMemory<byte>[] bodies) =>
        (_publisherConnection, _consumerConnection, _publisher, _consumer, _bodies) = (publisherConnection, consumerConnection, publisher, consumer, bodies);

    public ushort Prefetch { get; private init; }
    public int PublishBatch { get; private init; }
    public string ServerVersion { get; private init; } = "?";

    public static async Task<RawRabbitBaseline> StartAsync(Uri uri, ReadOnlyMemory<byte>[] bodies, ushort prefetch, int publishBatch, CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = uri, ClientProvidedName = "sdp-benchmark-raw" };
        var publisherConnection = await factory.CreateConnectionAsync(ct);
        var consumerConnection = await factory.CreateConnectionAsync(ct);
        var publisher = await publisherConnection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        var consumer = await consumerConnection.CreateChannelAsync(cancellationToken: ct);

        await publisher.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
        await publisher.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
        await publisher.QueueBindAsync(Queue, Exchange, "", cancellationToken: ct);
        await publisher.QueuePurgeAsync(Queue, ct);

        var version = publisherConnection.ServerProperties?.TryGetValue("version", out var v) == true && v is byte[] bytes
            ? System.Text.Encoding.UTF8.GetString(bytes)
            : "?";
        var baseline = new RawRabbitBaseline(publisherConnection, consumerConnection, publisher, consumer, bodies)
        {
            Prefetch = prefetch,
            PublishBatch = publishBatch,
            ServerVersion = version,
        };
        await consumer.BasicQosAsync(0, prefetch, false, ct);
        var handler = new AsyncEventingBasicConsumer(consumer);
        handler.ReceivedAsync += baseline.OnReceived;
        await consumer.BasicConsumeAsync(Queue, autoAck: false, handler, ct);
        return baseline;
    }

    private async Task OnReceived(object sender, BasicDeliverEventArgs delivery)
    {
        await _consumer.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        if (Interlocked.Increment(ref _received) == Interlocked.Read(ref _target)) _done.TrySetResult(Stopwatch.GetTimestamp());
    }

    /// <summary>Publishes <paramref name="count"/> messages and returns messages per second until the last was consumed.</summary>
    public async Task<double> RunAsync(int count, CancellationToken ct)
    {
        _done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _target, Interlocked.Read(ref _received) + count);

        var start = Stopwatch.GetTimestamp();
        var pending = new List<ValueTask>(PublishBatch);
        for (var i = 0; i < count; i++)
        {
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/json",
                MessageId = Guid.CreateVersion7().ToString(),
                Type = "ProvisionStarted",
            };
            // With confirmation tracking the task completes when the broker confirmed the message. Like the relay,
            // a batch is published at once and its confirms awaited together.
            pending.Add(_publisher.BasicPublishAsync(Exchange, "", mandatory: false, properties, _bodies[i % _bodies.Length], ct));
            if (pending.Count == PublishBatch || i == count - 1)
            {
                foreach (var p in pending) await p;
                pending.Clear();
            }
        }
        var end = await _done.Task.WaitAsync(TimeSpan.FromMinutes(2), ct);
        return count / Stopwatch.GetElapsedTime(start, end).TotalSeconds;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _publisher.QueueDeleteAsync(Queue);
            await _publisher.ExchangeDeleteAsync(Exchange);
        }
        catch (Exception)
        {
            // Best effort: the vhost is the benchmark's own.
        }
        await _consumer.CloseAsync();
        await _publisher.CloseAsync();
        await _consumerConnection.CloseAsync();
        await _publisherConnection.CloseAsync();
        _consumer.Dispose();
        _publisher.Dispose();
        _consumerConnection.Dispose();
        _publisherConnection.Dispose();
    }
}
