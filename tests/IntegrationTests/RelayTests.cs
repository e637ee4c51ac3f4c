using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Projections;
using SocialDomain.Provisions;
using SocialDomain.Relay;
using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Access;
using SocialDomain.Wmo;

namespace SocialDomain.IntegrationTests;

/// <summary>The relay on the real broker: a crash between the broker's confirm and the checkpoint loses nothing.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RelayTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private RunningHost _projection = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync();
        await Distributed.PurgeProjectionQueuesAsync(TestContext.Current.CancellationToken);
        _projection = await RunningHost.StartAsync(ProjectionsService.Build(RunningHost.Args, RunningHost.With(Settings())));
    }

    public async ValueTask DisposeAsync()
    {
        await _projection.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 400)]
    public async Task Events_published_before_a_crash_that_lost_the_checkpoint_are_sent_again_and_applied_once(int eventsPerMessage, int firstPerson)
    {
        var crashes = new CheckpointCrashes(everyNth: 2);
        var wmo = await StartWmo(crashes, eventsPerMessage: eventsPerMessage);
        var batches = 0;
        _projection.Services.GetRequiredService<IBus>().ConnectConsumeMessageObserver(new Counted<IntegrationEventBatch>(() => Interlocked.Increment(ref batches)));
        var bsns = RealStackTests.TestPersons.Skip(firstPerson).Take(40).ToList();
        foreach (var bsn in bsns) await Start(wmo, bsn);
        var stored = await StoredIds(wmo, bsns.Count);

        var metrics = _projection.Services.GetRequiredService<ProjectionMetrics>();
        var relay = wmo.Services.GetRequiredKeyedService<EventRelay>(WmoLaw.Definition.Service);
        (await Eventually.Get(() => Applied(stored, bsns), n => n >= bsns.Count)).ShouldBe(bsns.Count,
            $"relay: published {relay.Published}, checkpoint {relay.Checkpoint}, leads {relay.Leads}, parked {relay.ParkedCount}, " +
            $"last error {relay.LastError}; projection: applied {metrics.AppliedCount}, duplicates {metrics.DuplicateCount}; " +
            $"{stored.Count} events stored; checkpoint crashes {crashes.Count}");
        crashes.Count.ShouldBeGreaterThan(0);
        (await Eventually.Get(() => Task.FromResult(metrics.DuplicateCount), n => n > 0)).ShouldBeGreaterThan(0,
            "a round whose checkpoint was lost is published again, and its events are skipped one by one");
        (batches > 0).ShouldBe(eventsPerMessage > 1, "several events travel in one message exactly when the relay is told to send them so");
        metrics.AppliedCount.ShouldBe(bsns.Count, "each event applied once");
        await wmo.DisposeAsync();
    }

    [Fact]
    public async Task A_service_stopped_while_its_relay_is_behind_sends_the_rest_after_it_restarts()
    {
        var wmo = await StartWmo(new CheckpointCrashes(everyNth: 0), relayIdle: TimeSpan.FromSeconds(30));
        var bsns = RealStackTests.TestPersons.Skip(100).Take(30).ToList();
        // The relay looks at the log once at start and then idles for 30 s, so these wait in the store.
        await Task.Delay(500, Ct);
        foreach (var bsn in bsns) await Start(wmo, bsn);
        var stored = await StoredIds(wmo, bsns.Count);
        await wmo.DisposeAsync();

        (await Applied(stored, bsns)).ShouldBe(0);

        await using var restarted = await StartWmo(new CheckpointCrashes(everyNth: 0));
        (await Eventually.Get(() => Applied(stored, bsns), n => n >= bsns.Count)).ShouldBe(bsns.Count);
    }

    [Fact]
    public async Task A_publish_whose_confirm_never_comes_is_given_up_after_the_confirm_timeout_and_its_round_retried()
    {
        var wmo = await StartWmo(new CheckpointCrashes(everyNth: 0), confirmTimeout: TimeSpan.FromMilliseconds(500));
        var lost = new LostConfirms(3);
        wmo.Services.GetRequiredService<IBus>().ConnectPublishObserver(lost);
        var bsns = RealStackTests.TestPersons.Skip(200).Take(10).ToList();
        foreach (var bsn in bsns) await Start(wmo, bsn);
        var stored = await StoredIds(wmo, bsns.Count);

        (await Eventually.Get(() => Applied(stored, bsns), n => n >= bsns.Count, TimeSpan.FromSeconds(30))).ShouldBe(bsns.Count);
        lost.Held.ShouldBe(3, "three publishes waited for a confirm that never came");
        var relay = wmo.Services.GetRequiredKeyedService<EventRelay>(WmoLaw.Definition.Service);
        relay.ParkedCount.ShouldBe(0, "a missing confirm is the broker's failure, not the event's: nothing is parked");
        await wmo.DisposeAsync();
    }

    [Fact]
    public async Task A_service_stopped_while_its_relay_waits_for_confirms_finishes_that_round_and_checkpoints_it()
    {
        var wmo = await StartWmo(new CheckpointCrashes(everyNth: 0));
        var broker = new SlowBroker();
        wmo.Services.GetRequiredService<IBus>().ConnectPublishObserver(broker);
        var bsns = RealStackTests.TestPersons.Skip(300).Take(10).ToList();
        foreach (var bsn in bsns) await Start(wmo, bsn);
        await Eventually.Get(() => Task.FromResult(broker.Held.Count), n => n > 0);

        var stopped = wmo.App.StopAsync(Ct);
        // The stop reaches the relay while its round still waits for the broker; then the broker answers.
        await Task.Delay(300, Ct);
        broker.Answer();
        await stopped;

        var store = wmo.Services.GetRequiredKeyedService<IEventStore>(WmoLaw.Definition.Service);
        var published = (await store.ReadAllAsync(LogPosition.Start, 1_000, Ct)).Where(e => broker.Held.ContainsKey(e.EventId)).ToList();
        published.ShouldNotBeEmpty();
        var checkpoint = await store.ReadCheckpointAsync(EventRelay.NameFor(WmoLaw.Definition.Service), Ct);
        checkpoint.ShouldBeGreaterThanOrEqualTo(published.Max(e => e.Position),
            "what the round had published is confirmed and checkpointed before the service stops, so a restart does not send it again");
        var ids = published.Select(e => e.EventId).ToHashSet();
        (await Eventually.Get(() => Applied(ids, bsns), n => n == published.Count)).ShouldBe(published.Count);
        await wmo.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The ids of the events in the service's log, once it shows <paramref name="count"/>: the log shows a committed
    /// event only once every older transaction on the server has ended (so a reader never skips one), and another
    /// test's or host's open transaction can hold that up for a moment.
    /// </summary>
    private static async Task<HashSet<Guid>> StoredIds(RunningHost wmo, int count)
    {
        var store = wmo.Services.GetRequiredKeyedService<IEventStore>(WmoLaw.Definition.Service);
        var ids = await Eventually.Get(async () => (await store.ReadAllAsync(LogPosition.Start, 10_000, Ct)).Select(e => e.EventId).ToHashSet(),
            ids => ids.Count >= count);
        ids.Count.ShouldBe(count);
        return ids;
    }

    /// <summary>
    /// How many of the given events the projection applied for these persons. The projection's queue outlives a test,
    /// and other tests use some of the same persons, so an event another test's relay sent again may still arrive in
    /// this test's inbox: only this test's own events count.
    /// </summary>
    private async Task<int> Applied(IReadOnlySet<Guid> events, IEnumerable<string> bsns)
    {
        var inbox = _projection.Services.GetRequiredService<IInbox>();
        var applied = new HashSet<Guid>();
        foreach (var bsn in bsns)
            foreach (var e in await inbox.ReadPersonAsync(Contracts.Bsn.Parse(bsn), Ct))
                if (events.Contains(e.EventId)) applied.Add(e.EventId);
        return applied.Count;
    }

    private Dictionary<string, string?> Settings() => Distributed.Settings(_database.ConnectionString);

    /// <summary>The Wmo service as <see cref="LawService.Build"/> composes it, with a store that can crash.</summary>
    private async Task<RunningHost> StartWmo(CheckpointCrashes crashes, TimeSpan? relayIdle = null, TimeSpan? confirmTimeout = null,
        int eventsPerMessage = 1)
    {
        var builder = WebApplication.CreateBuilder(RunningHost.Args);
        builder.Configuration.AddInMemoryCollection(Settings());
        var settings = builder.AddServiceDefaults(PlatformSettings.Distributed);
        builder.AddPlatformAccess(settings, WmoLaw.Definition.Service);
        builder.AddPlatformBus(settings, _ => { });
        builder.AddLawService(WmoLaw.Definition, settings,
            new RelayOptions(BatchSize: 7, IdleDelay: relayIdle, ErrorDelay: TimeSpan.FromMilliseconds(20), ConfirmTimeout: confirmTimeout,
                EventsPerMessage: eventsPerMessage));
        builder.Services.AddKeyedSingleton<IEventStore>(WmoLaw.Definition.Service, (_, _) =>
            new CrashingStore(settings.StoreFor(WmoLaw.Definition.Service).Create(), crashes));
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapLawService(WmoLaw.Definition, app.MapGroup(HostingExtensions.BasePath));
        return await RunningHost.StartAsync(app);
    }

    private static async Task Start(RunningHost wmo, string bsn)
    {
        var response = await wmo.Client.PostAsJsonAsync("/api/v1/provisions",
            new { bsn, gemeente = "0344", productcategorie = "01", begindatum = "2025-01-01" }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    /// <summary>
    /// The first publishes never finish, whatever their cancellation says: as a publish whose confirm the broker lost
    /// when it restarted (rabbitmq-dotnet-client#1930).
    /// </summary>
    private sealed class LostConfirms(int count) : IPublishObserver
    {
        private int _held;
        public int Held => Math.Min(_held, count);

        public Task PrePublish<T>(PublishContext<T> context) where T : class =>
            Interlocked.Increment(ref _held) <= count ? new TaskCompletionSource().Task : Task.CompletedTask;

        public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;
        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }

    /// <summary>A broker that answers no publish until told to (whatever the publish's cancellation says).</summary>
    private sealed class Counted<T>(Action seen) : IConsumeMessageObserver<T> where T : class
    {
        public Task PreConsume(ConsumeContext<T> context)
        {
            seen();
            return Task.CompletedTask;
        }

        public Task PostConsume(ConsumeContext<T> context) => Task.CompletedTask;

        public Task ConsumeFault(ConsumeContext<T> context, Exception exception) => Task.CompletedTask;
    }

    private sealed class SlowBroker : IPublishObserver
    {
        private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public System.Collections.Concurrent.ConcurrentDictionary<Guid, bool> Held { get; } = new();

        public void Answer() => _answer.TrySetResult();

        public Task PrePublish<T>(PublishContext<T> context) where T : class
        {
            Held.TryAdd(context.MessageId!.Value, true);
            return _answer.Task;
        }

        public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;
        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }

    private sealed class CheckpointCrashes(int everyNth)
    {
        private int _calls;
        public int Count { get; private set; }

        public void MaybeCrash()
        {
            if (everyNth == 0 || Interlocked.Increment(ref _calls) % everyNth != 0) return;
            Count++;
            throw new IOException("Simulated crash after the broker confirmed, before the checkpoint was written.");
        }
    }

    private sealed class CrashingStore(IEventStore inner, CheckpointCrashes crashes) : DelegatingEventStore(inner)
    {
        public override Task SaveCheckpointAsync(string name, LogPosition position, CancellationToken ct = default)
        {
            crashes.MaybeCrash();
            return base.SaveCheckpointAsync(name, position, ct);
        }
    }
}
