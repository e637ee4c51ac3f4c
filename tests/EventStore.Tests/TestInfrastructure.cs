namespace SocialDomain.EventStore.Tests;

/// <summary>Where the tests find the infrastructure they need. Missing infrastructure fails a test; it never skips it.</summary>
public static class TestInfrastructure
{
    public const string PostgresVariable = "SDP_POSTGRES";

    /// <summary>The PostgreSQL connection string from <c>SDP_POSTGRES</c>; throws (failing the test) when it is not set.</summary>
    public static string Postgres =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } connectionString
            ? connectionString
            : throw new InvalidOperationException(
                "Set SDP_POSTGRES to a PostgreSQL connection string, or run ./test.sh which starts PostgreSQL and RabbitMQ (see infra/README.md)");
}
