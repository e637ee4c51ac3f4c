using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace SocialDomain.ServiceDefaults.Delivery;

/// <summary>One message of an error queue, as MassTransit left it there: why it failed, and the message itself.</summary>
/// <param name="MessageId">The message id, which is the event id for the platform's events.</param>
public sealed record ErrorMessage(string? MessageId, string? MessageType, string? ExceptionType, string? Reason, DateTimeOffset? FailedAt, string Body);

/// <summary>
/// The platform's queues on RabbitMQ, looked at and repaired directly on the broker: how many messages wait, and the
/// messages that a consumer moved to an error queue (listed, shown, sent back to the queue they came from).
/// </summary>
public sealed class BrokerQueues(Uri broker) : IAsyncDisposable
{
    public const string ErrorSuffix = "_error";

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private IConnection? _connection;

    /// <summary>The number of messages ready in the queue; null when the queue does not exist.</summary>
    public async Task<uint?> MessageCountAsync(string queue, CancellationToken ct = default)
    {
        await using var channel = await (await Connection(ct)).CreateChannelAsync(cancellationToken: ct);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> messages from the head of an error queue, left where they are: they are taken
    /// without acknowledging and go back in their places when the channel closes.
    /// </summary>
    public async Task<IReadOnlyList<ErrorMessage>> PeekAsync(string errorQueue, int max, CancellationToken ct = default)
    {
        var messages = new List<ErrorMessage>();
        await using var channel = await (await Connection(ct)).CreateChannelAsync(cancellationToken: ct);
        while (messages.Count < max && await channel.BasicGetAsync(errorQueue, autoAck: false, ct) is { } got)
            messages.Add(Describe(got));
        return messages;
    }

    /// <summary>
    /// Sends messages of an error queue back to the queue they failed in: the one with this message id, or all that
    /// are there now. Each is removed from the error queue only after the broker confirmed it in its queue, so a
    /// crash in between sends it twice at worst, which consumers deduplicate. Returns how many were sent back.
    /// </summary>
    public async Task<int> ResendAsync(string errorQueue, string? messageId, CancellationToken ct = default)
    {
        var queue = InputQueueOf(errorQueue);
        var connection = await Connection(ct);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        var waiting = (await channel.QueueDeclarePassiveAsync(errorQueue, ct)).MessageCount;
        var resent = 0;
        // Only the messages there now: one that fails again comes back to the end of the queue and is not taken twice.
        for (var i = 0; i < waiting && await channel.BasicGetAsync(errorQueue, autoAck: false, ct) is { } got; i++)
        {
            if (messageId is not null && got.BasicProperties.MessageId != messageId) continue;
            var properties = new BasicProperties(got.BasicProperties)
            {
                Headers = got.BasicProperties.Headers?.Where(h => !IsFaultHeader(h.Key)).ToDictionary(h => h.Key, h => h.Value),
            };
            await channel.BasicPublishAsync("", queue, mandatory: true, properties, got.Body, ct);
            await channel.BasicAckAsync(got.DeliveryTag, multiple: false, ct);
            resent++;
            if (messageId is not null) break;
        }
        return resent;
    }

    /// <summary>Whether the name is the error queue of one of these queues: the only error queues a tool may touch.</summary>
    public static bool IsErrorQueueOf(IReadOnlyList<string> queues, string errorQueue) => queues.Any(q => q + ErrorSuffix == errorQueue);

    /// <summary>The queue an error queue belongs to: MassTransit names it after it.</summary>
    public static string InputQueueOf(string errorQueue) =>
        errorQueue.EndsWith(ErrorSuffix, StringComparison.Ordinal) && errorQueue.Length > ErrorSuffix.Length
            ? errorQueue[..^ErrorSuffix.Length]
            : throw new ArgumentException($"'{errorQueue}' is not an error queue (its name ends in {ErrorSuffix}).", nameof(errorQueue));

    private static bool IsFaultHeader(string key) => key.StartsWith("MT-Fault-", StringComparison.Ordinal) || key == "MT-Reason";

    private static ErrorMessage Describe(BasicGetResult got)
    {
        var headers = got.BasicProperties.Headers ?? new Dictionary<string, object?>();
        string? Header(string key) => headers.TryGetValue(key, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => null,
            _ => value.ToString(),
        } : null;
        return new ErrorMessage(got.BasicProperties.MessageId, Header("MT-MessageType") ?? got.BasicProperties.Type,
            Header("MT-Fault-ExceptionType"), Header("MT-Fault-Message") ?? Header("MT-Reason"),
            DateTimeOffset.TryParse(Header("MT-Fault-Timestamp"), out var at) ? at : null, Encoding.UTF8.GetString(got.Body.Span));
    }

    private async Task<IConnection> Connection(CancellationToken ct)
    {
        if (_connection is { IsOpen: true } open) return open;
        await _connecting.WaitAsync(ct);
        try
        {
            if (_connection is { IsOpen: true } other) return other;
            if (_connection is not null) await _connection.DisposeAsync();
            _connection = await new ConnectionFactory { Uri = broker, ClientProvidedName = "sdp-beheer" }.CreateConnectionAsync(ct);
            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
