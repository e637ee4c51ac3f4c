using MassTransit;

namespace SocialDomain.Relay;

/// <summary>
/// The platform's queues on RabbitMQ are quorum queues: replicated on a majority of a cluster's nodes, so a cluster
/// that loses a node loses no message (docs/scaling.md). MassTransit gives an endpoint's error and skipped queues the
/// same queue type. Other transports have no queue types and are left alone.
/// </summary>
public static class QuorumQueues
{
    public static void Apply(IReceiveEndpointConfigurator endpoint)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.SetQuorumQueue();
    }
}
