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
}
