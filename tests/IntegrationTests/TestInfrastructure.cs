global using SocialDomain.TestSupport;

[assembly: AssemblyFixture(typeof(ContainersLifetime))]

namespace SocialDomain.IntegrationTests;

/// <summary>
/// Where the real PostgreSQL and RabbitMQ are: given by SDP_POSTGRES / SDP_RABBITMQ, or containers of this run's own
/// (<see cref="Infrastructure"/>). Tests never skip for want of them: they fail and say how to provide them.
/// </summary>
public static class TestInfrastructure
{
    public static string Postgres => Infrastructure.Postgres;

    public static string RabbitMq => Infrastructure.RabbitMq;

    /// <summary>A database of its own for one test, dropped when disposed.</summary>
    public static Task<TestDatabase> CreateDatabaseAsync() => Infrastructure.CreateDatabaseAsync();
}
