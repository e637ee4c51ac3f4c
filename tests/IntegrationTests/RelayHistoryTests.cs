using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using SocialDomain.EventStore;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Projections;
using SocialDomain.Provisions;
using SocialDomain.Relay;
using SocialDomain.Wmo;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// Startup order and lost queues on the real broker: nothing is lost by routing (mandatory publishing), and a projection
/// without its queues or its history gets the whole log of every source (docs/relay.md).
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RelayHistoryTests : IAsyncLifetime
{
    private static readonly LawDefinition[] Laws = [ParticipatiewetLaw.Definition, WmoLaw.Definition, JeugdwetLaw.Definition];
    private TestDatabase _database = null!;
    private readonly Dictionary<string, RunningHost> _lawServices = new();
    private readonly List<RunningHost> _projections = [];

    public async ValueTask InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync();
        // Earlier tests on this virtual host leave the projection's queues behind; this one starts where none ever ran.
        await DeleteProjectionQueues();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _projections) await host.DisposeAsync();
        foreach (var host in _lawServices.Values) await host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Events_accepted_before_the_projection_ever_ran_are_all_in_its_views_when_it_first_starts()
    {
        await StartLawServices();
        var persons = RealStackTests.TestPersons.Skip(2000).Take(12).ToList();
        var plan = persons.Select((bsn, i) => (Bsn: bsn, Law: Laws[i % Laws.Length])).ToList();
        foreach (var (bsn, law) in plan) await Start(law, bsn);

        var projection = await StartProjection();
        var inbox = projection.Services.GetRequiredService<IInbox>();
        (await Eventually.Get(() => inbox.CountAsync(Ct), n => n >= plan.Count, TimeSpan.FromSeconds(60))).ShouldBe(plan.Count);
        foreach (var (bsn, law) in plan)
            (await Stacking(projection, bsn)).ShouldBe(Contracts.LawSets.ToSet(law.Law).CbsLabel());
    }

    [Fact]
    public async Task A_publish_that_reaches_no_queue_leaves_the_checkpoint_where_it_was_until_a_queue_takes_it()
    {
        await StartLawServices();
        var wmo = _lawServices[WmoLaw.Definition.Service];
        var relay = wmo.Services.GetRequiredKeyedService<EventRelay>(WmoLaw.Definition.Service);
        var store = wmo.Services.GetRequiredKeyedService<IEventStore>(WmoLaw.Definition.Service);
        await Start(WmoLaw.Definition, RealStackTests.TestPersons.ElementAt(2100));

        await Eventually.Get(() => Task.FromResult(relay.LastError), e => e is not null, TimeSpan.FromSeconds(10));
        (await store.ReadCheckpointAsync(relay.Name, Ct)).ShouldBe(LogPosition.Start, "the broker returned the event: no queue took it");
        relay.Published.ShouldBe(0);

        var projection = await StartProjection();
        var moved = await Eventually.Get(() => store.ReadCheckpointAsync(relay.Name, Ct), p => p > LogPosition.Start, TimeSpan.FromSeconds(30));
        moved.ShouldBeGreaterThan(LogPosition.Start);
        (await Eventually.Get(() => projection.Services.GetRequiredService<IInbox>().CountAsync(Ct), n => n >= 1)).ShouldBe(1);
    }

    [Fact]
    public async Task A_projection_whose_queues_were_deleted_with_events_in_them_gets_the_whole_history_back()
    {
        await StartLawServices();
        var (before, during) = await AppliedThenQueuedWhileTheProjectionIsDown(from: 2200, applied: 6, queued: 9);
        await DeleteProjectionQueues();

        var restarted = await StartProjection();
        var total = before.Count + during.Count;
        var restartedInbox = restarted.Services.GetRequiredService<IInbox>();
        (await Eventually.Get(() => restartedInbox.CountAsync(Ct), n => n >= total, TimeSpan.FromSeconds(60))).ShouldBe(total);
        foreach (var (bsn, i) in during.Select((b, i) => (b, i)))
            (await Stacking(restarted, bsn)).ShouldBe(Contracts.LawSets.ToSet(Laws[i % Laws.Length].Law).CbsLabel());
        var history = restarted.Services.GetRequiredService<IHistoryRecord>();
        (await Eventually.Get(() => history.SourcesAsync(Ct), s => Laws.All(l => s.Contains(l.Service)))).Count.ShouldBeGreaterThanOrEqualTo(Laws.Length);
    }

    [Fact]
    public async Task A_projection_that_starts_on_a_new_broker_before_the_law_services_gets_their_history_once_they_start()
    {
        await StartLawServices();
        var (before, during) = await AppliedThenQueuedWhileTheProjectionIsDown(from: 2500, applied: 3, queued: 6);
        // The law services stop, and the broker loses every queue, the projection's with those events in them.
        foreach (var host in _lawServices.Values) await host.DisposeAsync();
        _lawServices.Clear();
        await DeleteQueues([.. ProjectionsService.Queues, .. Laws.Select(l => EventRelay.HistoryQueueOf(l.Service))]);

        // The projection comes up first and asks sources that have no queue on this broker yet.
        var restarted = await StartProjection(new() { ["Projection:HistoryAskAgain"] = "00:00:01" });
        await Task.Delay(1500, Ct);
        await StartLawServices();

        var total = before.Count + during.Count;
        var inbox = restarted.Services.GetRequiredService<IInbox>();
        (await Eventually.Get(() => inbox.CountAsync(Ct), n => n >= total, TimeSpan.FromSeconds(60))).ShouldBe(total);
        var history = restarted.Services.GetRequiredService<IHistoryRecord>();
        (await Eventually.Get(() => history.SourcesAsync(Ct), s => Laws.All(l => s.Contains(l.Service)))).Count.ShouldBeGreaterThanOrEqualTo(Laws.Length);
    }

    [Fact]
    public async Task A_beheerder_sends_a_services_log_to_a_subscriber_added_later_and_to_its_queue_only()
    {
        await StartLawServices();
        var projection = await StartProjection();
        var persons = RealStackTests.TestPersons.Skip(2400).Take(5).ToList();
        foreach (var bsn in persons) await Start(WmoLaw.Definition, bsn);
        var inbox = projection.Services.GetRequiredService<IInbox>();
        (await Eventually.Get(() => inbox.CountAsync(Ct), n => n >= persons.Count)).ShouldBe(persons.Count);

        const string late = "relay-tests-late-subscriber";
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMq) }.CreateConnectionAsync(Ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Ct);
        await channel.QueueDeleteAsync(late, false, false, cancellationToken: Ct);
        await channel.QueueDeclareAsync(late, durable: true, exclusive: false, autoDelete: false, cancellationToken: Ct);
        var wmo = _lawServices[WmoLaw.Definition.Service];

        var refused = await wmo.Client.PostAsJsonAsync("/api/v1/beheer/relay/wmo/replays", new { eventTypes = new[] { "ProvisionStarted" } }, Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");

        var response = await wmo.Client.PostAsJsonAsync("/api/v1/beheer/relay/wmo/replays",
            new { queue = late, eventTypes = new[] { "ProvisionStarted" } }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        accepted.GetProperty("state").GetString().ShouldBeOneOf("queued", "sending", "done");
        var progress = response.Headers.Location!.ToString();
        progress.ShouldBe($"/api/v1/beheer/relay/wmo/replays/{accepted.GetProperty("id").GetGuid()}");
        var done = await Eventually.Get(() => wmo.Client.GetFromJsonAsync<JsonElement>(progress, Ct), p => p.GetProperty("state").GetString() == "done");
        done.GetProperty("sentUpTo").GetString().ShouldBe(accepted.GetProperty("upTo").GetString());
        (await Eventually.Get(() => QueueDepth(late), n => n >= persons.Count)).ShouldBe((uint)persons.Count);
        var unknown = await wmo.Client.GetAsync($"/api/v1/beheer/relay/wmo/replays/{Guid.NewGuid()}", Ct);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknown.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");

        // The replay as one request still answers until its sunset, and names its successor.
        var old = await wmo.Client.PostAsJsonAsync("/api/v1/beheer/relay/wmo/replay", new { queue = late, eventTypes = new[] { "ProvisionStarted" } }, Ct);
        old.StatusCode.ShouldBe(HttpStatusCode.OK, await old.Content.ReadAsStringAsync(Ct));
        (await old.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sent").GetInt64().ShouldBe(persons.Count);
        old.Headers.Contains("Deprecation").ShouldBeTrue();
        old.Headers.GetValues("Link").ShouldBe(["</api/v1/beheer/relay/wmo/replays>; rel=\"successor-version\""]);
        (await Eventually.Get(() => QueueDepth(late), n => n >= 2 * persons.Count)).ShouldBe((uint)(2 * persons.Count));
        await Task.Delay(300, Ct);
        projection.Services.GetRequiredService<ProjectionMetrics>().DuplicateCount.ShouldBe(0, "the replay went to the named queue only");
        await channel.QueueDeleteAsync(late, false, false, cancellationToken: Ct);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Settings() => Distributed.Settings(_database.ConnectionString);

    private async Task StartLawServices()
    {
        foreach (var law in Laws)
            _lawServices[law.Service] = await RunningHost.StartAsync(LawService.Build(RunningHost.Args, law, RunningHost.With(Settings())));
    }

    private async Task<RunningHost> StartProjection(Dictionary<string, string?>? settings = null)
    {
        var all = Settings();
        foreach (var (key, value) in settings ?? []) all[key] = value;
        var host = await RunningHost.StartAsync(ProjectionsService.Build(RunningHost.Args, RunningHost.With(all)));
        _projections.Add(host);
        return host;
    }

    private async Task Start(LawDefinition law, string bsn)
    {
        var response = await _lawServices[law.Service].Client.PostAsJsonAsync("/api/v1/provisions",
            new { bsn, gemeente = "0344", productcategorie = law.Productcategorieen.Keys.First(), begindatum = "2025-01-01" }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<string> Stacking(RunningHost projection, string bsn)
    {
        var response = await projection.Client.PostAsJsonAsync("/api/v1/persons/stacking/zoeken", new { bsn, date = "2025-02-01" }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("combinatie").GetString()!;
    }

    /// <summary>
    /// Events the projection applied, then events relayed into its queue while it is down (under each law in turn):
    /// what a broker that loses the projection's queues loses with them.
    /// </summary>
    private async Task<(List<string> Applied, List<string> Queued)> AppliedThenQueuedWhileTheProjectionIsDown(int from, int applied, int queued)
    {
        var projection = await StartProjection();
        var before = RealStackTests.TestPersons.Skip(from).Take(applied).ToList();
        foreach (var bsn in before) await Start(ParticipatiewetLaw.Definition, bsn);
        (await Eventually.Get(() => projection.Services.GetRequiredService<IInbox>().CountAsync(Ct), n => n >= before.Count)).ShouldBe(before.Count);
        await projection.DisposeAsync();
        _projections.Remove(projection);
        var during = RealStackTests.TestPersons.Skip(from + 100).Take(queued).ToList();
        foreach (var (bsn, i) in during.Select((b, i) => (b, i))) await Start(Laws[i % Laws.Length], bsn);
        await Eventually.Get(() => QueueDepth(ProjectionsService.ProvisionEventsQueue), n => n >= during.Count);
        return (before, during);
    }

    private static Task DeleteProjectionQueues() => DeleteQueues(ProjectionsService.Queues);

    private static async Task DeleteQueues(IEnumerable<string> queues)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMq) }.CreateConnectionAsync(Ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Ct);
        foreach (var queue in queues) await channel.QueueDeleteAsync(queue, cancellationToken: Ct);
    }

    private static async Task<uint> QueueDepth(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMq) }.CreateConnectionAsync(Ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Ct);
        return (await channel.QueueDeclarePassiveAsync(queue, Ct)).MessageCount;
    }
}
