using SocialDomain.EventStore;
using SocialDomain.Provisions;
using SocialDomain.Wmo;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// A large request is first decided as if none of its provisions were stored, without reading their streams
/// (<see cref="ProvisionService.AssumeNewFrom"/>); wherever that guess is wrong the outcome is the one a read would
/// have given, on both stores.
/// </summary>
public sealed class AssumedNewTests : IAsyncLifetime
{
    private static readonly string Client = RealStackTests.TestPersons.ElementAt(79_500);
    private static readonly EventMetadata Metadata = new("assumed-new-tests");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _sqlite = Path.Combine(Path.GetTempPath(), $"assumed-new-{Guid.NewGuid():N}.db");
    private TestDatabase? _postgres;

    public static TheoryData<string> Stores => ["sqlite", "postgres"];

    [Theory, MemberData(nameof(Stores))]
    public async Task A_large_batch_of_new_provisions_is_stored_without_reading_its_streams(string kind)
    {
        var (service, store) = await Service(kind);

        var outcomes = await service.Process(Starts(0, ProvisionService.AssumeNewFrom), allOrNothing: true, Metadata, Ct);

        outcomes.ShouldAllBe(o => o.Accepted);
        store.StreamReads.ShouldBe(0);
        (await store.ReadAllAsync(LogPosition.Start, 5_000, Ct)).Count.ShouldBe(ProvisionService.AssumeNewFrom);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_start_in_a_large_batch_that_continues_a_stored_provision_is_decided_on_what_is_stored(string kind)
    {
        var (service, store) = await Service(kind);
        var restarted = Start(7, new DateOnly(2025, 6, 1));
        await Accept(service, [Start(7, new DateOnly(2025, 1, 1))]);
        await Accept(service, [new StopCommand(Start(7, new DateOnly(2025, 1, 1)).Key, new DateOnly(2025, 3, 31), "20")]);
        store.StreamReads = 0;

        var outcomes = await service.Process([.. Starts(1_000, ProvisionService.AssumeNewFrom - 1), restarted], allOrNothing: true, Metadata, Ct);

        outcomes.ShouldAllBe(o => o.Accepted);
        store.StreamReads.ShouldBe(1);
        var stream = await store.ReadStreamAsync($"provision-{outcomes[^1].ProvisionId}", Ct);
        stream.Select(e => e.Type).ShouldBe(["ProvisionStarted", "ProvisionEnded", "ProvisionStarted"]);
        (await store.ReadAllAsync(LogPosition.Start, 5_000, Ct)).Count.ShouldBe(2 + ProvisionService.AssumeNewFrom);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_large_batch_that_repeats_a_stored_start_stores_nothing_and_names_that_record(string kind)
    {
        var (service, store) = await Service(kind);
        await Accept(service, [Start(3, new DateOnly(2025, 1, 1))]);

        var records = Starts(0, ProvisionService.AssumeNewFrom);
        var outcomes = await service.Process(records, allOrNothing: true, Metadata, Ct);

        outcomes.Where(o => !o.Accepted).Select(o => (o.Index, o.Retourcode)).ShouldBe([(3, "9326")]);
        (await store.ReadAllAsync(LogPosition.Start, 5_000, Ct)).Count.ShouldBe(1);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_large_message_stores_what_is_new_and_refuses_the_record_already_stored(string kind)
    {
        var (service, store) = await Service(kind);
        await Accept(service, [Start(3, new DateOnly(2025, 1, 1))]);

        var outcomes = await service.Process(Starts(0, ProvisionService.AssumeNewFrom), allOrNothing: false, Metadata, Ct);

        outcomes.Where(o => !o.Accepted).Select(o => (o.Index, o.Retourcode)).ShouldBe([(3, "9326")]);
        (await store.ReadAllAsync(LogPosition.Start, 5_000, Ct)).Count.ShouldBe(ProvisionService.AssumeNewFrom);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_large_batch_with_a_stop_of_a_stored_provision_is_read_before_it_is_decided(string kind)
    {
        var (service, store) = await Service(kind);
        await Accept(service, [Start(1_500, new DateOnly(2025, 1, 1))]);
        store.StreamReads = 0;

        var stop = new StopCommand(Start(1_500, new DateOnly(2025, 1, 1)).Key, new DateOnly(2025, 3, 31), "31");
        var outcomes = await service.Process([.. Starts(0, ProvisionService.AssumeNewFrom), stop], allOrNothing: true, Metadata, Ct);

        outcomes.ShouldAllBe(o => o.Accepted);
        store.StreamReads.ShouldBe(1);
        (await store.ReadAllAsync(LogPosition.Start, 5_000, Ct)).Count.ShouldBe(2 + ProvisionService.AssumeNewFrom);
    }

    private static async Task Accept(ProvisionService service, IReadOnlyList<ProvisionCommand> commands) =>
        (await service.Process(commands, allOrNothing: true, Metadata, Ct)).ShouldAllBe(o => o.Accepted);

    private static List<ProvisionCommand> Starts(int first, int count) =>
        [.. Enumerable.Range(first, count).Select(n => Start(n, new DateOnly(2025, 1, 1)))];

    private static StartCommand Start(int toewijzing, DateOnly begindatum) =>
        new(new ProvisionKey(Client, "0344", "02", null, $"T{toewijzing}", begindatum), null);

    private async Task<(ProvisionService Service, CountingStore Store)> Service(string kind)
    {
        IEventStore inner;
        if (kind == "sqlite") inner = new SqliteEventStore($"Data Source={_sqlite}");
        else
        {
            _postgres = await TestInfrastructure.CreateDatabaseAsync();
            inner = new PostgresEventStore(_postgres.ConnectionString, "wmo");
        }
        await inner.InitializeAsync(Ct);
        var store = new CountingStore(inner);
        return (new ProvisionService(WmoLaw.Definition, store, TimeProvider.System), store);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_sqlite) + "*")) File.Delete(file);
    }

    /// <summary>The store, counting the reads of streams the service makes to decide.</summary>
    private sealed class CountingStore(IEventStore inner) : DelegatingEventStore(inner)
    {
        public int StreamReads;

        public override Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadStreamsAsync(IReadOnlyCollection<string> streamIds,
            CancellationToken ct = default)
        {
            Interlocked.Increment(ref StreamReads);
            return base.ReadStreamsAsync(streamIds, ct);
        }
    }
}
