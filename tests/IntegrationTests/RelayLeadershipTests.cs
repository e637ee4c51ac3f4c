using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SocialDomain.EventStore;
using SocialDomain.Projections;
using SocialDomain.Provisions;
using SocialDomain.Relay;
using SocialDomain.Wmo;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// Two instances of the Wmo service on one PostgreSQL store and the real broker: one relay publishes, the other stands
/// by, and takes over within the bound when the leader stops or its lock connection is cut (docs/relay.md, "Leadership").
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RelayLeadershipTests : IAsyncLifetime
{
    /// <summary>
    /// A standby tries every 500 ms (the default interval): the lock is free the moment the leader's session ends, so
    /// it leads within about one interval, plus reading the checkpoint. 5 s leaves room for a loaded machine.
    /// </summary>
    private static readonly TimeSpan TakeoverBound = TimeSpan.FromSeconds(5);

    private static readonly string Service = WmoLaw.Definition.Service;
    private TestDatabase _database = null!;
    private RunningHost _projection = null!;
    private readonly List<RunningHost> _instances = [];
    private int _person;

    public async ValueTask InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync();
        _projection = await RunningHost.StartAsync(ProjectionsService.Build(RunningHost.Args, RunningHost.With(Distributed.Settings(_database.ConnectionString))));
        for (var i = 0; i < 2; i++)
            _instances.Add(await RunningHost.StartAsync(LawService.Build(RunningHost.Args, WmoLaw.Definition, RunningHost.With(Distributed.Settings(_database.ConnectionString)))));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
        await _projection.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task One_instance_relays_while_the_other_stands_by_and_events_posted_to_both_arrive_once()
    {
        var (leader, standby) = await Roles();
        foreach (var i in Enumerable.Range(0, 20)) await Start(_instances[i % 2]);

        await EveryStoredEventAppliedOnce();
        var log = await _instances[0].Services.GetRequiredKeyedService<IEventStore>(Service).ReadAllAsync(LogPosition.Start, 1000, Ct);
        (await Eventually.Get(() => Task.FromResult(Relay(leader).Published), n => n >= log.Count)).ShouldBe(log.Count, "the leader passed the whole log once");
        Relay(standby).Published.ShouldBe(0, "a standby never publishes");
        Relay(standby).Leads.ShouldBeFalse();
        (await RelayHealth(leader)).ShouldBe(("Healthy", true));
        (await RelayHealth(standby)).ShouldBe(("Healthy", false), "a standby is healthy, not degraded");

        // Only the leader keeps the parked streams in its rounds, so only it retries them.
        var refused = await standby.Client.PostAsync($"/api/v1/beheer/relay/{Service}/parked/retry", null, Ct);
        (await EmbeddedPlatformTests.ShouldBeProblem(refused, HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("another instance");
        (await leader.Client.PostAsync($"/api/v1/beheer/relay/{Service}/parked/retry", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task When_the_leading_instance_stops_the_other_takes_over_within_the_bound_and_nothing_is_lost()
    {
        var (leader, standby) = await Roles();
        await using var load = new Load(this);

        await Task.Delay(1000, Ct);
        var stopped = Stopwatch.StartNew();
        await leader.DisposeAsync();
        _instances.Remove(leader);
        var takeover = await TakeOver(standby, stopped);
        await Task.Delay(1000, Ct);
        await load.StopAsync();

        Log($"Takeover after the leader stopped: {takeover.TotalMilliseconds:F0} ms (from the start of its shutdown); {load.Accepted} starts accepted");
        takeover.ShouldBeLessThan(TakeoverBound);
        await EveryStoredEventAppliedOnce();
    }

    [Fact]
    public async Task When_the_leaders_lock_connection_is_terminated_it_stops_publishing_and_the_other_takes_over()
    {
        var (leader, standby) = await Roles();
        await using var load = new Load(this);

        await Task.Delay(1000, Ct);
        var cut = Stopwatch.StartNew();
        await TerminateLockSession();
        var takeover = await TakeOver(standby, cut);
        // It learns of the cut at its next round or within half an interval, and lets the round in flight finish.
        await Eventually.Get(() => Task.FromResult(Relay(leader).Leads), leads => !leads, TakeoverBound);
        var stopped = cut.Elapsed;
        Relay(leader).Leads.ShouldBeFalse("the instance whose lock session ended no longer leads");
        var publishedByFormerLeader = Relay(leader).Published;
        await Task.Delay(1500, Ct);
        await load.StopAsync();

        Log($"After the lock session was terminated: the former leader stopped within {stopped.TotalMilliseconds:F0} ms, " +
            $"the other led after {takeover.TotalMilliseconds:F0} ms; {load.Accepted} starts accepted");
        takeover.ShouldBeLessThan(TakeoverBound);
        await EveryStoredEventAppliedOnce();
        Relay(leader).Published.ShouldBe(publishedByFormerLeader, "the former leader publishes nothing once the other leads");
        Relay(leader).Leads.ShouldBeFalse("it stands by: the lock is held by the other instance");
        (await RelayHealth(leader)).ShouldBe(("Healthy", false));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EventRelay Relay(RunningHost host) => host.Services.GetRequiredKeyedService<EventRelay>(Service);

    private async Task<(RunningHost Leader, RunningHost Standby)> Roles()
    {
        await Eventually.Get(() => Task.FromResult(_instances.Count(i => Relay(i).Leads)), n => n == 1);
        // Long enough for a second leader to show itself, were the lock not exclusive.
        await Task.Delay(1200, Ct);
        _instances.Count(i => Relay(i).Leads).ShouldBe(1, "exactly one instance leads");
        var leader = _instances.Single(i => Relay(i).Leads);
        return (leader, _instances.Single(i => i != leader));
    }

    private static async Task<TimeSpan> TakeOver(RunningHost standby, Stopwatch since)
    {
        while (!Relay(standby).Leads && since.Elapsed < TakeoverBound * 4) await Task.Delay(10, Ct);
        return since.Elapsed;
    }

    /// <summary>Ends the leader's lock session from the server side, as a DBA or a failing network would.</summary>
    private async Task TerminateLockSession()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""
            select pg_terminate_backend(a.pid) from pg_stat_activity a
            where a.datname = current_database() and a.application_name = $1
              and exists (select 1 from pg_locks l where l.pid = a.pid and l.locktype = 'advisory' and l.granted)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = $"sdp-relay-leadership {Service}.{EventRelay.NameFor(Service)}" });
        var terminated = new List<bool>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct)) terminated.Add(reader.GetBoolean(0));
        terminated.ShouldBe([true], "one session holds the lead");
    }

    /// <summary>
    /// Every ProvisionStarted in the store is in the projection's inbox, which records an event id once, and the inbox
    /// holds nothing else for these persons. Only this test's persons are looked at: the queue is shared by name with
    /// the other tests of the run, and a message one of them left behind may arrive here.
    /// </summary>
    private async Task EveryStoredEventAppliedOnce()
    {
        var store = _instances[0].Services.GetRequiredKeyedService<IEventStore>(Service);
        var stored = (await store.ReadAllAsync(LogPosition.Start, 100_000, Ct)).Where(e => e.Type == "ProvisionStarted")
            .Select(e => (Contracts.ProvisionStarted)ProvisionService.Published.Deserialize(e)).ToList();
        stored.ShouldNotBeEmpty();
        var inbox = _projection.Services.GetRequiredService<IInbox>();
        async Task<List<Guid>> Received()
        {
            var received = new List<Guid>();
            foreach (var bsn in stored.Select(e => e.Bsn).Distinct()) received.AddRange((await inbox.ReadPersonAsync(bsn, Ct)).Select(e => e.EventId));
            return received;
        }
        var expected = stored.Select(e => e.EventId).Order().ToList();
        (await Eventually.Get(Received, r => r.Count >= expected.Count, TimeSpan.FromSeconds(30))).Order().ToList().ShouldBe(expected);
        await Task.Delay(500, Ct);
        (await Received()).Order().ToList().ShouldBe(expected, "nothing applied twice");
    }

    private static async Task<(string Status, bool Leads)> RelayHealth(RunningHost host)
    {
        var health = await host.Anonymous().GetFromJsonAsync<JsonElement>("/health/ready", Ct);
        var check = health.GetProperty("checks").GetProperty($"{Service}-relay");
        return (check.GetProperty("status").GetString()!, check.GetProperty("data").GetProperty("leads").GetBoolean());
    }

    private async Task<bool> Start(RunningHost instance)
    {
        var bsn = RealStackTests.TestPersons.ElementAt(3000 + Interlocked.Increment(ref _person));
        var response = await instance.Client.PostAsJsonAsync("/api/v1/provisions",
            new { bsn, gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01" }, Ct);
        return response.StatusCode == HttpStatusCode.Created;
    }

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    /// <summary>Starts posted to both instances in turn until stopped; a stopped instance refuses them (its client is gone).</summary>
    private sealed class Load : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _posting;
        private int _accepted;

        public Load(RelayLeadershipTests test)
        {
            var instances = test._instances.ToArray();
            _posting = Task.Run(async () =>
            {
                for (var i = 0; !_stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        if (await test.Start(instances[i % instances.Length])) Interlocked.Increment(ref _accepted);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ObjectDisposedException)
                    {
                    }
                    await Task.Delay(5);
                }
            });
        }

        public int Accepted => _accepted;

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _posting;
            Accepted.ShouldBeGreaterThan(10, "the load posted too little to mean anything");
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested) await StopAsync();
        }
    }
}
