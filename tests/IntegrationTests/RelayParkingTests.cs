using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SocialDomain.EventStore;
using SocialDomain.Projections;
using SocialDomain.Provisions;
using SocialDomain.Relay;
using SocialDomain.Wmo;

namespace SocialDomain.IntegrationTests;

/// <summary>The relay's policy for an event it cannot publish (docs/relay.md), and its lag in /health/ready, on the real stack.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RelayParkingTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private RunningHost? _projection;
    private RunningHost _wmo = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync();
        await Distributed.PurgeProjectionQueuesAsync(TestContext.Current.CancellationToken);
        _projection = await RunningHost.StartAsync(ProjectionsService.Build(RunningHost.Args, RunningHost.With(Settings())));
        _wmo = await RunningHost.StartAsync(LawService.Build(RunningHost.Args, WmoLaw.Definition, RunningHost.With(Settings())));
    }

    public async ValueTask DisposeAsync()
    {
        await _wmo.DisposeAsync();
        if (_projection is not null) await _projection.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_poison_event_is_parked_with_its_stream_behind_it_other_streams_go_on_and_a_retry_after_the_fix_publishes_them_in_order()
    {
        var persons = RealStackTests.TestPersons.Skip(3000).Take(4).ToList();
        var store = _wmo.Services.GetRequiredKeyedService<IEventStore>(WmoLaw.Definition.Service);
        var relay = _wmo.Services.GetRequiredKeyedService<EventRelay>(WmoLaw.Definition.Service);
        var inbox = _projection!.Services.GetRequiredService<IInbox>();
        await Start(persons[0]);
        var model = (await store.ReadAllAsync(LogPosition.Start, 10, Ct)).First(e => e.Type == "ProvisionStarted");
        (await Eventually.Get(() => inbox.CountAsync(Ct), n => n >= 1)).ShouldBe(1);

        // A stream whose first event cannot be read (a faulty migration, say) and whose second is sound.
        var poison = Guid.NewGuid();
        var behind = Like(model, "poisoned-stream", 2, persons[1]);
        await store.AppendAsync("poisoned-stream", 0, [
            new EventData(poison, model.Type, """{"eventId":"not-a-guid"}""", model.Metadata),
            new EventData(behind.EventId, model.Type, behind.Data, model.Metadata)], Ct);
        await Start(persons[2]);

        // The other stream is published; the poisoned one is parked, its second event behind its first.
        (await Eventually.Get(() => inbox.CountAsync(Ct), n => n >= 2)).ShouldBe(2);
        await Eventually.Get(() => Task.FromResult(relay.ParkedCount), n => n >= 2, TimeSpan.FromSeconds(30));
        var parked = await _wmo.Client.GetFromJsonAsync<JsonElement>("/api/v1/beheer/relay/wmo/parked", Ct);
        var events = parked.GetProperty("events").EnumerateArray().ToList();
        events.Select(e => e.GetProperty("eventId").GetGuid()).ShouldBe([poison, behind.EventId]);
        events[0].GetProperty("reason").GetString()!.ShouldContain("JsonException");
        events[1].GetProperty("reason").GetString()!.ShouldContain(poison.ToString());
        (await Stacking(persons[2])).ShouldBe("Alleen Wmo");
        (await Stacking(persons[1])).ShouldBe("Geen");
        var health = await Health();
        health.GetProperty("checks").GetProperty("wmo-relay").GetProperty("status").GetString().ShouldBe("Degraded");
        health.GetProperty("checks").GetProperty("wmo-relay").GetProperty("data").GetProperty("parked").GetInt32().ShouldBe(2);

        // A person without the beheerder's role cannot retry.
        (await _wmo.As(ServiceDefaults.Access.Roles.Regisseur, "0344", "r").PostAsync("/api/v1/beheer/relay/wmo/parked/retry", null, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The operator repairs the row; the retry publishes both, in order, and the relay is healthy again.
        var repaired = Like(model, "poisoned-stream", 1, persons[3], poison);
        await using (var conn = new NpgsqlConnection(_database.ConnectionString))
        {
            await conn.OpenAsync(Ct);
            await using var cmd = new NpgsqlCommand("update wmo.events set data = $1::jsonb where event_id = $2", conn);
            cmd.Parameters.Add(new NpgsqlParameter { Value = repaired.Data });
            cmd.Parameters.Add(new NpgsqlParameter { Value = poison });
            await cmd.ExecuteNonQueryAsync(Ct);
        }
        var retry = await _wmo.Client.PostAsync("/api/v1/beheer/relay/wmo/parked/retry", null, Ct);
        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        var result = await retry.Content.ReadFromJsonAsync<JsonElement>(Ct);
        result.GetProperty("published").GetInt32().ShouldBe(2);
        result.GetProperty("stillParked").GetInt32().ShouldBe(0);
        (await Eventually.Get(() => inbox.CountAsync(Ct), n => n >= 4)).ShouldBe(4);
        (await Stacking(persons[1])).ShouldBe("Alleen Wmo");
        (await Stacking(persons[3])).ShouldBe("Alleen Wmo");
        (await Health()).GetProperty("checks").GetProperty("wmo-relay").GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task Relay_lag_is_in_health_and_degrades_past_the_threshold_while_no_queue_takes_the_events()
    {
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMq) }.CreateConnectionAsync(Ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Ct);
        (await Health()).GetProperty("checks").GetProperty("wmo-relay").GetProperty("status").GetString().ShouldBe("Healthy");

        // With the projection down and its queue gone, nothing takes the events (a running consumer would declare it again).
        await _projection!.DisposeAsync();
        _projection = null;
        await channel.QueueDeleteAsync(ProjectionsService.ProvisionEventsQueue, false, false, cancellationToken: Ct);
        foreach (var bsn in RealStackTests.TestPersons.Skip(3100).Take(3)) await Start(bsn);
        var check = await Eventually.Get(async () => (await Health()).GetProperty("checks").GetProperty("wmo-relay"),
            c => c.GetProperty("data").GetProperty("secondsBehind").GetDouble() > 2, TimeSpan.FromSeconds(20));
        check.GetProperty("data").GetProperty("eventsBehind").GetInt64().ShouldBeGreaterThanOrEqualTo(3, "each start records its events, none of them published");
        check.GetProperty("status").GetString().ShouldBe("Degraded", "the test host sets the threshold at 2 seconds");
        check.GetProperty("data").GetProperty("lastError").GetString().ShouldNotBeNullOrEmpty();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Settings() =>
        new(Distributed.Settings(_database.ConnectionString)) { ["Health:RelayLagDegradedSeconds"] = "2" };

    /// <summary>A sound event like <paramref name="model"/> for another person, stream and version.</summary>
    private static EventData Like(StoredEvent model, string stream, long version, string bsn, Guid? id = null)
    {
        var eventId = id ?? Guid.NewGuid();
        var data = JsonNode.Parse(model.Data)!.AsObject();
        data["eventId"] = eventId;
        data["streamId"] = stream;
        data["streamVersion"] = version;
        data["provisionId"] = Guid.NewGuid();
        data["bsn"] = bsn;
        return new EventData(eventId, model.Type, data.ToJsonString(), model.Metadata);
    }

    private async Task Start(string bsn)
    {
        var response = await _wmo.Client.PostAsJsonAsync("/api/v1/provisions",
            new { bsn, gemeente = "0344", productcategorie = "01", begindatum = "2025-01-01" }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<string> Stacking(string bsn)
    {
        var response = await _projection!.Client.PostAsJsonAsync("/api/v1/persons/stacking/zoeken", new { bsn, date = "2025-02-01" }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("combinatie").GetString()!;
    }

    private async Task<JsonElement> Health()
    {
        var response = await _wmo.Anonymous().GetAsync("/health/ready", Ct);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }
}
