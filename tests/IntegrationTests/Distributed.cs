using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using SocialDomain.Projections;
using SocialDomain.ServiceDefaults.Delivery;

namespace SocialDomain.IntegrationTests;

public static class Distributed
{
    /// <summary>A host as one service among others: its store in this PostgreSQL database, its bus the real RabbitMQ.</summary>
    public static Dictionary<string, string?> Settings(string postgres) => new()
    {
        ["Store:Provider"] = "Postgres",
        ["Bus:Transport"] = "RabbitMq",
        ["ConnectionStrings:Postgres"] = postgres,
        ["ConnectionStrings:RabbitMq"] = TestInfrastructure.RabbitMq,
    };

    /// <summary>
    /// Empties the projection's queues and their error queues on the test broker. The tests on the broker share these
    /// queues and each has a database of its own: an event an earlier test's relay sent again after that test ended would
    /// otherwise be applied to the next test's views.
    /// </summary>
    public static async Task PurgeProjectionQueuesAsync(CancellationToken ct)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMq) }.CreateConnectionAsync(ct);
        foreach (var queue in ProjectionsService.Queues.SelectMany(q => new[] { q, q + BrokerQueues.ErrorSuffix }))
        {
            // A channel per queue: the broker closes the channel when a queue does not exist yet.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            try
            {
                await channel.QueuePurgeAsync(queue, ct);
            }
            catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
            {
            }
        }
    }
}
