using Microsoft.Extensions.Configuration;
using SocialDomain.Provisions;
using SocialDomain.ServiceDefaults;
using SocialDomain.Wmo;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// A host with a wrong setting does not start: it says, one line per problem, which setting is wrong and why, and
/// exits with code 2, never with a stack trace, and never repeats a value that may be a secret.
/// </summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Store:Provider=Mongo", "Store:Provider: 'Mongo' is not one of Sqlite, Postgres.")]
    [InlineData("Bus:Transport=Kafka", "Bus:Transport: 'Kafka' is not one of InMemory, RabbitMq.")]
    [InlineData("Store:Provider=Sqlite;Store:DataDirectory= ", "Store:DataDirectory is empty: name the folder for the SQLite files.")]
    [InlineData("Store:Provider=Postgres;ConnectionStrings:Postgres=Port=5432;Password=s3cret", "ConnectionStrings:Postgres names no Host.")]
    [InlineData("Store:Provider=Postgres;ConnectionStrings:Postgres=Hots=db;Password=s3cret", "ConnectionStrings:Postgres is not an Npgsql connection string: ")]
    [InlineData("Bus:Transport=RabbitMq;ConnectionStrings:RabbitMq=guest:s3cret@broker", "ConnectionStrings:RabbitMq is not an amqp:// or amqps:// URI with a host")]
    [InlineData("Bus:ClusterNodes=rmq1:5672,rmq2", "Bus:ClusterNodes: 'rmq2' is not host:port")]
    [InlineData("Bus:HeartbeatSeconds=0", "Bus:HeartbeatSeconds: '0' is not a whole number of seconds from 1 to 600.")]
    [InlineData("Relay:EventsPerMessage=0", "Relay:EventsPerMessage: '0' is not a whole number from 1 to 1000 (events the relay sends in one message).")]
    [InlineData("Relay:EventsPerMessage=many", "Relay:EventsPerMessage: 'many' is not a whole number from 1 to 1000")]
    [InlineData("Limits:JsonBodyBytes=0", "Limits:JsonBodyBytes and Limits:XmlBodyBytes must be positive.")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT=collector:4317", "OTEL_EXPORTER_OTLP_ENDPOINT is not an http:// or https:// URI with a host")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317;OTEL_EXPORTER_OTLP_PROTOCOL=grpcs", "OTEL_EXPORTER_OTLP_PROTOCOL: 'grpcs' is not one of grpc, http/protobuf.")]
    public async Task A_wrong_setting_is_one_line_that_names_it_and_exit_code_2(string settings, string problem)
    {
        var (code, lines) = await Run(settings);

        code.ShouldBe(PlatformHost.ConfigurationExitCode);
        lines.ShouldHaveSingleItem().ShouldStartWith($"configuration: {problem}");
        lines[0].ShouldNotContain("s3cret");
        lines[0].ShouldNotContain(" at ");
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        var (code, lines) = await Run("Store:Provider=Mongo;Bus:Transport=Kafka;Bus:ClusterNodes=nowhere");

        code.ShouldBe(PlatformHost.ConfigurationExitCode);
        lines.Select(l => l.Split(':')[1].Trim()).ShouldBe(["Store", "Bus", "Bus"]);
        lines.Count.ShouldBe(3);
    }

    [Fact]
    public void Settings_without_a_problem_are_read_as_given()
    {
        var settings = PlatformSettings.From(Configuration(
            "Store:Provider=postgres;ConnectionStrings:Postgres=Host=db;Bus:Transport=RabbitMq;" +
            "ConnectionStrings:RabbitMq=amqp://u:p@broker:5672/sdp;Bus:ClusterNodes=rmq1:5672, rmq2:5673;Bus:HeartbeatSeconds=5;Relay:EventsPerMessage=50"),
            PlatformSettings.Embedded);

        settings.Store.ShouldBe(EventStore.StoreProvider.Postgres);
        settings.Bus.ShouldBe(BusTransport.RabbitMq);
        settings.RabbitMq.Host.ShouldBe("broker");
        settings.RabbitMqClusterNodes.ShouldBe(["rmq1:5672", "rmq2:5673"]);
        settings.RabbitMqHeartbeat.ShouldBe(TimeSpan.FromSeconds(5));
        settings.RelayEventsPerMessage.ShouldBe(50);
        var defaults = PlatformSettings.From(new ConfigurationBuilder().Build(), PlatformSettings.Embedded);
        defaults.RabbitMqHeartbeat.ShouldBe(TimeSpan.FromSeconds(10));
        defaults.RelayEventsPerMessage.ShouldBe(1, "one message per event, of its own type, until every subscriber takes batches");
    }

    /// <summary>The Wmo service as its Program runs it, with these settings ("key=value" separated by ';', values may hold '=').</summary>
    private static async Task<(int Code, List<string> Lines)> Run(string settings)
    {
        var error = new StringWriter();
        var args = RunningHost.Args.Concat(Pairs(settings).SelectMany(kv => new[] { $"--{kv.Key}", kv.Value })).ToArray();
        var code = await PlatformHost.RunAsync(() => LawService.Build(args, WmoLaw.Definition), error);
        return (code, [.. error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]);
    }

    private static IConfiguration Configuration(string settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(Pairs(settings).Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value))).Build();

    /// <summary>Splits on ';' before a known setting's name only, so a connection string's own ';' stays in its value.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Pairs(string settings)
    {
        string[] names = ["Store:", "Bus:", "Relay:", "ConnectionStrings:", "Limits:", "OTEL_"];
        var parts = new List<string>();
        foreach (var part in settings.Split(';'))
            if (parts.Count == 0 || names.Any(part.TrimStart().StartsWith)) parts.Add(part);
            else parts[^1] += ";" + part;
        return parts.Select(p => p.Split('=', 2)).Select(kv => new KeyValuePair<string, string>(kv[0].Trim(), kv[1]));
    }
}
