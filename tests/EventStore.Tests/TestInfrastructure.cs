using SocialDomain.TestSupport;

[assembly: AssemblyFixture(typeof(ContainersLifetime))]

namespace SocialDomain.EventStore.Tests;

/// <summary>
/// Where the tests find PostgreSQL: SDP_POSTGRES, or a container of this run's own (<see cref="Infrastructure"/>).
/// Missing infrastructure fails a test; it never skips it.
/// </summary>
public static class TestInfrastructure
{
    public static string Postgres => Infrastructure.Postgres;
}
