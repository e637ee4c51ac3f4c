using System.Text.Json;
using SocialDomain.Projections;
using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Delivery;

namespace SocialDomain.Beheer;

/// <summary>
/// <c>beheer error-queues list | show QUEUE | resend QUEUE [--id MESSAGE-ID]</c>: the error-queue tool of the beheer
/// endpoints, straight on the broker, for when no service runs. The broker is <c>--rabbitmq URI</c>, else
/// <c>ConnectionStrings__RabbitMq</c>, else the local development broker.
/// </summary>
public static class ErrorQueueCommand
{
    private const string Usage = """
        usage: beheer error-queues list                          the platform's error queues and their message counts
               beheer error-queues show QUEUE [--max N]          the first N (default 20) messages, left in the queue
               beheer error-queues resend QUEUE [--id MESSAGE]   send one message, or all, back to the queue they failed in
        options: --rabbitmq amqp://user:password@host:5672/vhost   (default: ConnectionStrings__RabbitMq, else the local broker)
        """;

    /// <summary>Every consumer queue of the platform; an error queue belongs to one of them.</summary>
    private static readonly IReadOnlyList<string> Queues = ProjectionsService.Queues;

    public static async Task<int> Run(string[] args, TextWriter output, TextWriter error, string? configuredBroker)
    {
        var options = Options(args, out var words);
        if (words is not ["error-queues", var verb, ..] || !Verbs.ContainsKey(verb) || words.Count != Verbs[verb])
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        var broker = new Uri(options.GetValueOrDefault("rabbitmq") ?? configuredBroker ?? PlatformSettings.LocalRabbitMq);
        await using var queues = new BrokerQueues(broker);
        try
        {
            return verb switch
            {
                "list" => await List(queues, output),
                "show" => await Show(queues, Known(words[2]), int.TryParse(options.GetValueOrDefault("max"), out var max) ? max : 20, output),
                _ => await Resend(queues, Known(words[2]), options.GetValueOrDefault("id"), output, error),
            };
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 2;
        }
        catch (Exception ex) when (Failures.IsTransient(ex) || ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            await error.WriteLineAsync($"The broker at {broker.Host}:{broker.Port} does not answer ({ex.GetType().Name}); set --rabbitmq or ConnectionStrings__RabbitMq.");
            return 1;
        }
    }

    /// <summary>The words each verb takes, the verb included.</summary>
    private static readonly Dictionary<string, int> Verbs = new() { ["list"] = 2, ["show"] = 3, ["resend"] = 3 };

    private static async Task<int> List(BrokerQueues broker, TextWriter output)
    {
        await output.WriteLineAsync($"{"error queue",-45} {"messages",8}  belongs to");
        foreach (var queue in Queues)
            await output.WriteLineAsync($"{queue + BrokerQueues.ErrorSuffix,-45} {await broker.MessageCountAsync(queue + BrokerQueues.ErrorSuffix) ?? 0,8}  {queue}");
        return 0;
    }

    private static async Task<int> Show(BrokerQueues broker, string errorQueue, int max, TextWriter output)
    {
        var messages = await broker.PeekAsync(errorQueue, max);
        await output.WriteLineAsync($"{messages.Count} message(s) of {errorQueue}, left in the queue:");
        foreach (var message in messages)
            await output.WriteLineAsync(JsonSerializer.Serialize(message, JsonSerializerOptions.Web));
        return 0;
    }

    private static async Task<int> Resend(BrokerQueues broker, string errorQueue, string? messageId, TextWriter output, TextWriter error)
    {
        var resent = await broker.ResendAsync(errorQueue, messageId);
        if (messageId is not null && resent == 0)
        {
            await error.WriteLineAsync($"{errorQueue} holds no message with id {messageId}.");
            return 1;
        }
        await output.WriteLineAsync($"{resent} message(s) sent back to {BrokerQueues.InputQueueOf(errorQueue)}.");
        return 0;
    }

    private static string Known(string errorQueue) =>
        BrokerQueues.IsErrorQueueOf(Queues, errorQueue)
            ? errorQueue
            : throw new ArgumentException($"{errorQueue} is not an error queue of the platform; see `beheer error-queues list`.");

    internal static Dictionary<string, string> Options(string[] args, out List<string> words)
    {
        var options = new Dictionary<string, string>();
        words = [];
        for (var i = 0; i < args.Length; i++)
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length) options[args[i][2..]] = args[++i];
            else words.Add(args[i]);
        return options;
    }
}
