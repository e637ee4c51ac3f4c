using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using SocialDomain.Contracts;
using SocialDomain.Projections;
using SocialDomain.ServiceDefaults.Delivery;
using SocialDomain.Wmo;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// What the projection's consumers do with trouble, on the real PostgreSQL and RabbitMQ: a malformed message goes to the
/// error queue alone and at once, a database outage is waited out with every message kept, and the beheerder's
/// error-queue tool shows and sends back what is there.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class DeliveryTests : IAsyncLifetime
{
    private const string ErrorQueue = ProjectionsService.ProvisionEventsQueue + BrokerQueues.ErrorSuffix;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestDatabase _database = null!;
    private TcpProxy _proxy = null!;
    private RunningHost _projection = null!;
    private BrokerQueues _broker = null!;
    private int _nextPerson;

    public async ValueTask InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync();
        var direct = new NpgsqlConnectionStringBuilder(_database.ConnectionString);
        _proxy = new TcpProxy(direct.Host!, direct.Port);
        _broker = new BrokerQueues(new Uri(TestInfrastructure.RabbitMq));
        await Distributed.PurgeProjectionQueuesAsync(Ct);
        var throughProxy = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Host = "127.0.0.1", Port = _proxy.Port };
        _projection = await RunningHost.StartAsync(ProjectionsService.Build(RunningHost.Args, RunningHost.With(Distributed.Settings(throughProxy.ConnectionString))));
    }

    public async ValueTask DisposeAsync()
    {
        await _projection.DisposeAsync();
        await _proxy.DisposeAsync();
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_malformed_message_in_a_backlog_goes_to_the_error_queue_alone_and_every_genuine_event_is_applied()
    {
        var genuine = Events(300);
        var poison = Started();
        long counted = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        var meter = _projection.Services.GetRequiredService<ProjectionMetrics>().Meter;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter && instrument.Name == "sdp.projection.applied") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        listener.Start();

        var sending = genuine.Take(150).Select(Publish).ToList();
        await PublishRaw(Without(poison, "bsn"), poison.EventId);
        sending.AddRange(genuine.Skip(150).Select(Publish));
        await Task.WhenAll(sending);

        (await Eventually.Get(Applied, n => n == genuine.Count, TimeSpan.FromSeconds(60))).ShouldBe(genuine.Count);
        (await Eventually.Get(() => _broker.MessageCountAsync(ErrorQueue, Ct), n => n == 1, TimeSpan.FromSeconds(30))).ShouldBe(1u);
        var failed = (await _broker.PeekAsync(ErrorQueue, 10, Ct)).ShouldHaveSingleItem();
        failed.MessageId.ShouldBe(poison.EventId.ToString());
        failed.ExceptionType.ShouldBe(typeof(InvalidMessageException).FullName);
        // A consumer counts its event just after the commit the inbox count above already sees.
        (await Eventually.Get(() => Task.FromResult(Interlocked.Read(ref counted)), n => n == genuine.Count))
            .ShouldBe(genuine.Count, "the applied counter counts every genuine event once");
    }

    [Fact]
    public async Task A_database_outage_longer_than_any_retry_loses_nothing_and_dead_letters_nothing()
    {
        var before = Events(100);
        await Task.WhenAll(before.Select(Publish));
        await Eventually.Get(Applied, n => n == before.Count, TimeSpan.FromSeconds(60));

        _proxy.Cut();
        var during = Events(400);
        await Task.WhenAll(during.Select(Publish));
        var outage = await Eventually.Get(() => _projection.Anonymous().GetAsync("/health/ready", Ct),
            r => r.StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(15));
        // Longer than the in-place retries of old (≈ 7.6 s), after which messages went to the error queue.
        await Task.Delay(TimeSpan.FromSeconds(20), Ct);
        var appliedDuringOutage = await Applied();
        _proxy.Restore();

        outage.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var health = await outage.Content.ReadFromJsonAsync<JsonElement>(Ct);
        health.GetProperty("checks").GetProperty("projection-store").GetProperty("status").GetString().ShouldBe("Unhealthy");
        appliedDuringOutage.ShouldBe(before.Count);
        (await Eventually.Get(Applied, n => n == before.Count + during.Count, TimeSpan.FromSeconds(90))).ShouldBe(before.Count + during.Count);
        (await _broker.MessageCountAsync(ErrorQueue, Ct) ?? 0).ShouldBe(0u);
        (await Eventually.Get(() => _projection.Anonymous().GetAsync("/health/ready", Ct), r => r.IsSuccessStatusCode, TimeSpan.FromSeconds(30)))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_beheerder_lists_shows_and_resends_error_queue_messages_and_a_resent_genuine_event_is_applied()
    {
        var poison = Started();
        await PublishRaw(Without(poison, "bsn"), poison.EventId);
        await Eventually.Get(() => _broker.MessageCountAsync(ErrorQueue, Ct), n => n == 1, TimeSpan.FromSeconds(30));
        // A genuine event that failed once, as one that ran out of retries before the store gate existed.
        var stranded = Started();
        await PublishRaw(JsonSerializer.SerializeToNode(stranded, JsonSerializerOptions.Web)!.AsObject(), stranded.EventId, ErrorQueue);
        var beheerder = _projection.Client;

        var list = await beheerder.GetFromJsonAsync<JsonElement>("/api/v1/beheer/error-queues", Ct);
        var shown = await beheerder.GetFromJsonAsync<JsonElement>($"/api/v1/beheer/error-queues/{ErrorQueue}/messages", Ct);
        var resent = await beheerder.PostAsJsonAsync($"/api/v1/beheer/error-queues/{ErrorQueue}/resend", new { messageId = stranded.EventId.ToString() }, Ct);
        var unknown = await beheerder.PostAsJsonAsync($"/api/v1/beheer/error-queues/{ErrorQueue}/resend", new { messageId = Guid.NewGuid().ToString() }, Ct);
        var otherQueue = await beheerder.GetAsync("/api/v1/beheer/error-queues/some-other-queue_error/messages", Ct);
        var regisseur = await _projection.As("regisseur", "0344").GetAsync("/api/v1/beheer/error-queues", Ct);

        list.GetProperty("transport").GetString().ShouldBe("RabbitMq");
        list.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("queue").GetString() == ErrorQueue).GetProperty("messages").GetInt32().ShouldBe(2);
        shown.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("messageId").GetString())
            .ShouldBe([poison.EventId.ToString(), stranded.EventId.ToString()], ignoreOrder: true);
        resent.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await resent.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("resent").GetInt32().ShouldBe(1);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        otherQueue.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        regisseur.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Eventually.Get(Applied, n => n == 1, TimeSpan.FromSeconds(30))).ShouldBe(1);
        (await _broker.PeekAsync(ErrorQueue, 10, Ct)).ShouldHaveSingleItem().MessageId.ShouldBe(poison.EventId.ToString());
    }

    [Fact]
    public async Task The_beheer_command_lists_shows_and_resends_and_a_malformed_message_fails_again()
    {
        var poison = Started();
        await PublishRaw(Without(poison, "bsn"), poison.EventId);
        await Eventually.Get(() => _broker.MessageCountAsync(ErrorQueue, Ct), n => n == 1, TimeSpan.FromSeconds(30));

        var list = await Beheer("error-queues", "list");
        var show = await Beheer("error-queues", "show", ErrorQueue);
        var resend = await Beheer("error-queues", "resend", ErrorQueue);
        var unknown = await Beheer("error-queues", "show", "some-other-queue_error");
        var noBroker = await Beheer("error-queues", "list", "--rabbitmq", "amqp://guest:guest@127.0.0.1:1/");

        list.Status.ShouldBe(0);
        list.Output.ShouldMatch($@"{ErrorQueue}\s+1\s+{ProjectionsService.ProvisionEventsQueue}");
        show.Output.ShouldContain(poison.EventId.ToString());
        show.Output.ShouldContain(nameof(InvalidMessageException));
        resend.Output.ShouldContain($"1 message(s) sent back to {ProjectionsService.ProvisionEventsQueue}");
        unknown.Status.ShouldBe(2);
        unknown.Error.ShouldContain("not an error queue of the platform");
        noBroker.Status.ShouldBe(1);
        noBroker.Error.ShouldContain("does not answer");
        // Sent back, the malformed message fails again, alone, and nothing of it is applied.
        (await Eventually.Get(() => _broker.PeekAsync(ErrorQueue, 10, Ct), m => m.Count == 1, TimeSpan.FromSeconds(30)))
            .ShouldHaveSingleItem().MessageId.ShouldBe(poison.EventId.ToString());
        (await Applied()).ShouldBe(0);
    }

    private static async Task<(int Status, string Output, string Error)> Beheer(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var status = await SocialDomain.Beheer.ErrorQueueCommand.Run(args, output, error, TestInfrastructure.RabbitMq);
        return (status, output.ToString(), error.ToString());
    }

    private List<ProvisionStarted> Events(int count) => [.. Enumerable.Range(0, count).Select(_ => Started())];

    private ProvisionStarted Started()
    {
        var provision = Guid.NewGuid();
        var bsn = RealStackTests.TestPersons.ElementAt(_nextPerson++);
        return new ProvisionStarted(Guid.NewGuid(), $"wmo-provision-{provision}", 1, DateTimeOffset.UtcNow, Gemeentecode.Parse("0344"),
            WmoLaw.Law, provision, Bsn.Parse(bsn), "02", null, null, new DateOnly(2025, 1, 1), null);
    }

    private Task Publish(ProvisionStarted e) =>
        _projection.Services.GetRequiredService<IBus>().Publish(e, context => context.MessageId = e.EventId, Ct);

    private static JsonObject Without(ProvisionStarted e, string property)
    {
        var message = JsonSerializer.SerializeToNode(e, JsonSerializerOptions.Web)!.AsObject();
        message.Remove(property);
        return message;
    }

    /// <summary>A message as another publisher could put it on the bus: a MassTransit envelope, to the event's exchange or a queue.</summary>
    private static async Task PublishRaw(JsonObject message, Guid messageId, string? queue = null)
    {
        var envelope = new JsonObject
        {
            ["messageId"] = messageId.ToString(),
            ["messageType"] = new JsonArray($"urn:message:{typeof(ProvisionStarted).Namespace}:{nameof(ProvisionStarted)}"),
            ["message"] = message,
        };
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMq) }.CreateConnectionAsync(Ct);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), Ct);
        var properties = new BasicProperties { MessageId = messageId.ToString(), ContentType = "application/vnd.masstransit+json", Persistent = true };
        await channel.BasicPublishAsync(queue is null ? $"{typeof(ProvisionStarted).Namespace}:{nameof(ProvisionStarted)}" : "", queue ?? "",
            mandatory: true, properties, Encoding.UTF8.GetBytes(envelope.ToJsonString()), Ct);
    }

    private async Task<int> Applied()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var count = new NpgsqlCommand($"select count(*) from {ProjectionsService.Name}.provision_events", connection);
        return (int)(long)(await count.ExecuteScalarAsync(Ct))!;
    }
}
