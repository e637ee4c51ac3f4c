using System.Text;
using Microsoft.Data.Sqlite;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Projections;
using SocialDomain.Views;
using SocialDomain.Wmo;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// The projection's persisted views on both stores: kept right by events arriving concurrently through several
/// instances, in any order and more than once; paged by cursor; moved on by the date; rebuilt from the inbox.
/// </summary>
public class PersistedViewTests
{
    private static readonly Gemeentecode Utrecht = Gemeentecode.Parse("0344");
    private static readonly Law[] Wetten = [JeugdwetLaw.Law, WmoLaw.Law, ParticipatiewetLaw.Law];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Stores => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Events_arriving_through_three_instances_at_once_leave_the_views_as_a_fold_from_scratch(string store)
    {
        await using var views = await Store.Create(store);
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
        var instances = Enumerable.Range(0, 3).Select(_ => views.Inbox(clock)).ToArray();
        await instances[0].InitializeAsync(Ct);
        var (household, provisions) = Population(new Random(7), households: 40);

        // Every event once through some instance, a third of them again through another, all shuffled and at once.
        var random = new Random(11);
        var deliveries = household.Select(e => (Event: (object)e, Copies: random.Next(3) == 0 ? 2 : 1))
            .Concat(provisions.Select(e => (Event: (object)e, Copies: random.Next(3) == 0 ? 2 : 1)))
            .SelectMany(d => Enumerable.Repeat(d.Event, d.Copies)).OrderBy(_ => random.Next()).ToList();
        var newEvents = 0;
        await Parallel.ForEachAsync(deliveries.Select((e, i) => (e, i)), new ParallelOptions { MaxDegreeOfParallelism = 24, CancellationToken = Ct },
            async (delivery, ct) =>
            {
                var inbox = instances[delivery.i % instances.Length];
                var added = delivery.e switch
                {
                    IHouseholdEvent h => await Retry(() => inbox.RecordHouseholdAsync(h, ct)),
                    IProvisionEvent p => await Retry(() => inbox.RecordAsync(p, ct)),
                    _ => throw new InvalidOperationException(),
                };
                if (added) Interlocked.Increment(ref newEvents);
            });

        newEvents.ShouldBe(household.Length + provisions.Length, "each event is new exactly once");
        (await instances[1].ProgressAsync(Ct))!.Applied.ShouldBe(newEvents);
        var applied = await Snapshot(instances[2]);
        applied.Count.ShouldBe(40);

        await TotalsAreExact(instances[1]);
        var ids = household.Select(e => e.HouseholdId).Distinct().ToList();
        var persons = household.OfType<HouseholdMemberJoined>().Select(j => j.Bsn).Distinct().ToList();
        var states = await States(instances[1], ids);
        var timelines = await Timelines(instances[1], persons);

        var rebuilt = await instances[0].RebuildAsync(Ct);
        rebuilt.Events.ShouldBe(newEvents);
        (await Snapshot(instances[0])).ShouldBe(applied);
        (await States(instances[2], ids)).ShouldBe(states);
        (await Timelines(instances[2], persons)).ShouldBe(timelines);
        await TotalsAreExact(instances[2]);
        foreach (var inbox in instances) await Dispose(inbox);
    }

    [Fact]
    public async Task A_rebuild_folding_many_batches_gives_every_household_what_a_fold_of_its_own_events_gives()
    {
        // Enough households and provisions for several of the rebuild's batches, so a household or provision at a batch's
        // edge, or a timeline folded in one batch and used by a household in another, would show.
        var (household, provisions) = Population(new Random(5), households: 1_300);
        var today = new DateOnly(2026, 1, 10);
        var options = new SignalOptions();
        var views = new KeptViews();

        var (events, households) = await ViewMaintenance.RebuildAsync(views, provisions.OrderBy(e => e.ProvisionId).ToAsyncEnumerable(),
            household.OrderBy(e => e.HouseholdId).ToAsyncEnumerable(), today, options);

        events.ShouldBe(household.Length + provisions.Length);
        households.ShouldBe(1_300);
        var timelines = ProvisionFold.Fold(provisions);
        timelines.Count.ShouldBeGreaterThan(4_000, "more timelines than one batch holds");
        views.Timelines.Select(r => Encoding.UTF8.GetString(r.Json)).Order()
            .ShouldBe(timelines.Select(t => System.Text.Json.JsonSerializer.Serialize(t, EventSerializer.Json)).Order());
        var byPerson = timelines.ToLookup(t => t.Bsn);
        var expected = household.GroupBy(e => e.HouseholdId).ToDictionary(g => g.Key, g =>
        {
            var state = new HouseholdState([.. g], [.. g.OfType<HouseholdMemberJoined>().SelectMany(j => byPerson[j.Bsn])]);
            return (Entry: HouseholdListEntry.Of(state.Events, state.Timelines, today, options), State: state);
        });
        views.Entries.Count.ShouldBe(expected.Count);
        foreach (var row in views.Entries)
        {
            var (entry, state) = expected[row.Entry.HouseholdId];
            Encoding.UTF8.GetString(row.Json).ShouldBe(System.Text.Json.JsonSerializer.Serialize(entry, EventSerializer.Json));
            Canonical(HouseholdState.FromJson(Encoding.UTF8.GetString(row.State))).ShouldBe(Canonical(state));
        }
        views.Counts.ShouldBe(expected.Values.GroupBy(e => e.Entry.Key).ToDictionary(g => g.Key, g => (long)g.Count()), ignoreOrder: true);
        views.Applied.ShouldBe(events);
    }

    /// <summary>What a rebuild writes, kept in memory.</summary>
    private sealed class KeptViews : IViewRebuild
    {
        public List<TimelineRow> Timelines { get; } = [];
        public List<EntryRow> Entries { get; } = [];
        public Dictionary<ListKey, long> Counts { get; } = [];
        public long Applied { get; private set; }

        public async Task WriteTimelinesAsync(IAsyncEnumerable<TimelineRow> timelines)
        {
            await foreach (var row in timelines) Timelines.Add(row);
        }

        public async Task WriteEntriesAsync(IAsyncEnumerable<EntryRow> entries)
        {
            await foreach (var row in entries) Entries.Add(row);
        }

        public Task AddCountsAsync(IReadOnlyDictionary<ListKey, long> counts)
        {
            foreach (var (key, n) in counts) Counts[key] = n;
            return Task.CompletedTask;
        }

        public Task ResetProgressAsync(long applied)
        {
            Applied = applied;
            return Task.CompletedTask;
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_totals_stay_exact_through_leaves_retractions_new_provisions_a_date_that_passes_and_a_rebuild(string store)
    {
        await using var views = await Store.Create(store);
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
        var instances = Enumerable.Range(0, 3).Select(_ => views.Inbox(clock)).ToArray();
        await instances[0].InitializeAsync(Ct);
        var (household, provisions) = Population(new Random(13), households: 50);
        foreach (var e in household) await instances[0].RecordHouseholdAsync(e, Ct);
        foreach (var e in provisions) await instances[0].RecordAsync(e, Ct);
        await TotalsAreExact(instances[0]);

        // Through three instances at once: a member of every third household leaves, every fourth provision is retracted, and
        // every fifth member gets a provision under another law.
        var random = new Random(17);
        var joined = household.OfType<HouseholdMemberJoined>().ToList();
        var changes = new List<object>();
        changes.AddRange(joined.Where((_, i) => i % 3 == 0).Select(j =>
            new HouseholdMemberLeft(Guid.NewGuid(), j.StreamId, 100 + j.StreamVersion, DateTimeOffset.UnixEpoch, Utrecht, j.HouseholdId, j.Bsn, new(2025, 12, 31))));
        changes.AddRange(provisions.OfType<ProvisionStarted>().Where((_, i) => i % 4 == 0).Select(p =>
            new ProvisionRetracted(Guid.NewGuid(), p.StreamId, 10, DateTimeOffset.UnixEpoch, Utrecht, p.Law, p.ProvisionId, p.Bsn, p.EventId)));
        changes.AddRange(joined.Where((_, i) => i % 5 == 0).Select(j =>
            Started(Wetten[random.Next(Wetten.Length)], Guid.NewGuid(), j.Bsn, new DateOnly(2025, 6, 1).AddDays(random.Next(300)))));
        await Parallel.ForEachAsync(changes.OrderBy(_ => random.Next()).Select((e, i) => (e, i)),
            new ParallelOptions { MaxDegreeOfParallelism = 12, CancellationToken = Ct }, async (change, ct) =>
            {
                var inbox = instances[change.i % instances.Length];
                _ = change.e switch
                {
                    IHouseholdEvent h => await Retry(() => inbox.RecordHouseholdAsync(h, ct)),
                    IProvisionEvent p => await Retry(() => inbox.RecordAsync(p, ct)),
                    _ => throw new InvalidOperationException(),
                };
            });
        await TotalsAreExact(instances[1]);

        // A year and a half on: provisions have ended and children have turned 18 without any event; a list read recomputes them.
        var before = await Snapshot(instances[2]);
        clock.Now = new DateTimeOffset(2027, 7, 1, 12, 0, 0, TimeSpan.Zero);
        await TotalsAreExact(instances[2]);
        (await Snapshot(instances[2])).ShouldNotBe(before, "the date changed entries");

        await instances[0].RebuildAsync(Ct);
        await TotalsAreExact(instances[0]);
        foreach (var inbox in instances) await Dispose(inbox);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Pages_after_a_cursor_walk_the_list_once_in_its_order_and_filters_narrow_it(string store)
    {
        await using var views = await Store.Create(store);
        var inbox = views.Inbox(new FixedClock(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero)));
        await inbox.InitializeAsync(Ct);
        var (household, provisions) = Population(new Random(3), households: 60);
        foreach (var e in household) await inbox.RecordHouseholdAsync(e, Ct);
        foreach (var e in provisions) await inbox.RecordAsync(e, Ct);

        var all = await Walk(inbox, new HouseholdListQuery(Utrecht, null, false, null, null, 0, 7));
        all.Count.ShouldBe(60);
        all.Select(e => e.HouseholdId).Distinct().Count().ShouldBe(60);
        Ids(all).ShouldBe(Ids(all.OrderByDescending(e => e.Signalen.Count).ThenByDescending(e => e.HouseholdId.ToString())));
        all.Count(e => e.Signalen.Count > 0).ShouldBeGreaterThan(0, "the population has households with signals");
        all.Count(e => e.Gestapeld).ShouldBeInRange(1, 59, "and some stacked, some not");

        Ids(await Walk(inbox, new HouseholdListQuery(Utrecht, true, false, null, null, 0, 5))).ShouldBe(Ids(all.Where(e => e.Gestapeld)));
        Ids(await Walk(inbox, new HouseholdListQuery(Utrecht, null, true, null, null, 0, 5))).ShouldBe(Ids(all.Where(e => e.Signalen.Count > 0)));
        Ids(await Walk(inbox, new HouseholdListQuery(Utrecht, null, false, "WK034402", null, 0, 5))).ShouldBe(Ids(all.Where(e => e.Wijk == "WK034402")));
        var offset = await inbox.ListAsync(new HouseholdListQuery(Utrecht, null, false, null, null, 14, 7), Ct);
        Ids(offset.Entries).ShouldBe(Ids(all.Skip(14).Take(7)), "a page by number is the same slice");
        offset.Total.ShouldBe(60);
        (await inbox.ListAsync(new HouseholdListQuery(Gemeentecode.Parse("0363"), null, false, null, null, 0, 7), Ct)).Total.ShouldBe(0);
        await Dispose(inbox);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_entry_moves_on_when_a_provision_ends_without_any_event(string store)
    {
        await using var views = await Store.Create(store);
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
        var inbox = views.Inbox(clock);
        await inbox.InitializeAsync(Ct);
        var id = Guid.NewGuid();
        var (ouder, kind) = (Bsn.Parse("111222333"), Bsn.Parse("999990019"));
        await inbox.RecordHouseholdAsync(Joined(id, ouder, 1, null), Ct);
        await inbox.RecordHouseholdAsync(Joined(id, kind, 2, null), Ct);
        await inbox.RecordAsync(Started(WmoLaw.Law, Guid.NewGuid(), ouder, new(2025, 1, 1)), Ct);
        var jeugd = Guid.NewGuid();
        await inbox.RecordAsync(Started(JeugdwetLaw.Law, jeugd, kind, new(2025, 1, 1)), Ct);
        await inbox.RecordAsync(Ended(JeugdwetLaw.Law, jeugd, kind, new(2025, 1, 1), new(2026, 1, 31)), Ct);

        var query = new HouseholdListQuery(Utrecht, null, false, null, null, 0, 10);
        var before = (await inbox.ListAsync(query, Ct)).Entries.ShouldHaveSingleItem();
        before.Gestapeld.ShouldBeTrue();
        before.GeldigTot.ShouldBe(new DateOnly(2026, 2, 1));

        clock.Now = new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.Zero);
        (await inbox.ListAsync(query, Ct)).Entries.ShouldHaveSingleItem().Gestapeld.ShouldBeTrue("the last day still counts");
        clock.Now = new DateTimeOffset(2026, 2, 1, 8, 0, 0, TimeSpan.Zero);
        var after = (await inbox.ListAsync(query, Ct)).Entries.ShouldHaveSingleItem();
        after.Gestapeld.ShouldBeFalse();
        after.Combinatie.ShouldBe(HouseholdViews.Build(await inbox.ReadHouseholdAsync(id, Ct), await inbox.TimelinesAsync([ouder, kind], Ct),
            new DateOnly(2026, 2, 1)).Combinatie);
        (await inbox.ListAsync(query with { Gestapeld = true }, Ct)).Total.ShouldBe(0);
        await Dispose(inbox);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_consent_that_has_expired_is_gone_from_the_relations_the_policy_decides_on(string store)
    {
        await using var views = await Store.Create(store);
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
        var inbox = views.Inbox(clock);
        await inbox.InitializeAsync(Ct);
        var id = Guid.NewGuid();
        var ouder = Bsn.Parse("111222333");
        await inbox.RecordHouseholdAsync(Joined(id, ouder, 1, null), Ct);
        await inbox.RecordHouseholdAsync(new ConsentGiven(Guid.NewGuid(), $"household-{id}", 2, DateTimeOffset.UnixEpoch, Utrecht, id, Guid.NewGuid(), ouder,
            "bert", [WmoLaw.Law], new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31)), Ct);

        (await inbox.EntriesAsync([id], Ct)).ShouldHaveSingleItem().Relations.ScopeOf("bert").Shows(ouder, WmoLaw.Law).ShouldBeTrue();
        clock.Now = new DateTimeOffset(2026, 2, 1, 0, 30, 0, TimeSpan.Zero);
        (await inbox.EntriesAsync([id], Ct)).ShouldHaveSingleItem().Relations.ScopeOf("bert").Shows(ouder, WmoLaw.Law)
            .ShouldBeFalse("the entry is recomputed before anyone decides on it");
        (await inbox.EntriesAsync([], Ct)).ShouldBeEmpty();
        await Dispose(inbox);
    }

    [Fact]
    public async Task During_a_rebuild_the_old_views_answer_and_a_new_event_waits_for_the_new_ones()
    {
        await using var views = await Store.Create("postgres");
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
        var (rebuilder, other) = (views.Inbox(clock), views.Inbox(clock));
        await rebuilder.InitializeAsync(Ct);
        var (household, provisions) = Population(new Random(19), households: 20);
        foreach (var e in household) await other.RecordHouseholdAsync(e, Ct);
        foreach (var e in provisions) await other.RecordAsync(e, Ct);
        var query = new HouseholdListQuery(Utrecht, null, false, null, null, 0, 5);

        // A reader of what the rebuild must clear away first (a leftover of an interrupted one) holds it just after it locked the inbox.
        await using var reader = new Npgsql.NpgsqlConnection(views.ConnectionString);
        await reader.OpenAsync(Ct);
        await using var reading = await reader.BeginTransactionAsync(Ct);
        await using (var leftover = new Npgsql.NpgsqlCommand("""
            create schema projections_rebuild; create table projections_rebuild.household_list (household_id uuid);
            """, reader, reading))
            await leftover.ExecuteNonQueryAsync(Ct);
        await reading.CommitAsync(Ct);
        await using var holding = await reader.BeginTransactionAsync(Ct);
        await using (var read = new Npgsql.NpgsqlCommand("select count(*) from projections_rebuild.household_list", reader, holding))
            await read.ExecuteScalarAsync(Ct);
        var rebuild = rebuilder.RebuildAsync(Ct);
        await Eventually.Get(() => views.Scalar<bool>("""
            select exists (select from pg_locks where not granted and database = (select oid from pg_database where datname = current_database()))
            """), waiting => waiting);
        rebuild.IsCompleted.ShouldBeFalse();

        (await other.ListAsync(query, Ct)).Total.ShouldBe(20, "the old views answer");
        var joined = Joined(Guid.NewGuid(), Bsn.Parse("999990019"), 1, WijkCode.Parse("WK034401"));
        var late = other.RecordHouseholdAsync(joined, Ct);
        await Task.Delay(500, Ct);
        late.IsCompleted.ShouldBeFalse("a new event waits while the inbox is being read");

        await holding.CommitAsync(Ct);
        await rebuild;
        (await late).ShouldBeTrue();
        (await other.ListAsync(query, Ct)).Total.ShouldBe(21, "the event the rebuild kept waiting is in the new views");
        (await other.HouseholdStateAsync(joined.HouseholdId, Ct))!.Events.ShouldHaveSingleItem().EventId.ShouldBe(joined.EventId);
        await TotalsAreExact(other);
        await Dispose(rebuilder);
        await Dispose(other);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Views_built_by_another_version_of_the_folds_are_rebuilt_on_start(string store)
    {
        await using var views = await Store.Create(store);
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
        var inbox = views.Inbox(clock);
        (await inbox.InitializeAsync(Ct)).ShouldBeTrue("a new store is built once");
        (await inbox.InitializeAsync(Ct)).ShouldBeFalse("and not again");
        var (household, provisions) = Population(new Random(5), households: 10);
        foreach (var e in household) await inbox.RecordHouseholdAsync(e, Ct);
        foreach (var e in provisions) await inbox.RecordAsync(e, Ct);
        var built = await Snapshot(inbox);

        await views.Execute("update view_progress set version = 0, applied = 0");
        await views.Execute("delete from household_list");
        var restarted = views.Inbox(clock);
        (await restarted.InitializeAsync(Ct)).ShouldBeTrue();
        (await Snapshot(restarted)).ShouldBe(built);
        (await restarted.ProgressAsync(Ct)).ShouldBe(new ViewProgress(ViewMaintenance.Version, household.Length + provisions.Length,
            (await restarted.ProgressAsync(Ct))!.UpdatedAt));
        await Dispose(inbox);
        await Dispose(restarted);
    }

    private static List<Guid> Ids(IEnumerable<HouseholdListEntry> entries) => [.. entries.Select(e => e.HouseholdId)];

    private static async Task<List<HouseholdListEntry>> Walk(IInbox inbox, HouseholdListQuery query)
    {
        var entries = new List<HouseholdListEntry>();
        while (true)
        {
            var page = await inbox.ListAsync(query, Ct);
            entries.AddRange(page.Entries);
            if (page.Entries.Count < query.Take) return entries;
            query = query with { Na = new HouseholdListCursor(page.Entries[^1].Signalen.Count, page.Entries[^1].HouseholdId) };
        }
    }

    /// <summary>The total of the first page of every filter is the number of entries a walk through the whole list finds.</summary>
    private static async Task TotalsAreExact(IInbox inbox)
    {
        HouseholdListQuery[] filters =
        [
            new(Utrecht, null, false, null, null, 0, 3), new(Utrecht, true, false, null, null, 0, 3), new(Utrecht, null, true, null, null, 0, 3),
            new(Utrecht, null, false, "WK034401", null, 0, 3), new(Utrecht, true, true, "WK034402", null, 0, 3), new(Utrecht, true, false, "WK034403", null, 0, 3),
        ];
        foreach (var filter in filters)
        {
            var total = (await inbox.ListAsync(filter, Ct)).Total;
            // A walk by cursor reads the entries themselves; its pages carry no total.
            total.ShouldBe((await Walk(inbox, filter)).Count, $"gestapeld {filter.Gestapeld}, signalen {filter.AlleenSignalen}, wijk {filter.Wijk}");
        }
        (await inbox.ListAsync(filters[0], Ct)).Total!.Value.ShouldBeGreaterThan(0);
    }

    private static async Task<List<string>> Snapshot(IInbox inbox) =>
        [.. (await Walk(inbox, new HouseholdListQuery(Utrecht, null, false, null, null, 0, 100)))
            .Select(e => System.Text.Json.JsonSerializer.Serialize(e, EventSerializer.Json))];

    /// <summary>Each household's view state, its events and timelines each in one order (the stores keep them in any).</summary>
    private static async Task<List<string>> States(IInbox inbox, IEnumerable<Guid> households)
    {
        var states = new List<string>();
        foreach (var id in households)
            states.Add(Canonical((await inbox.HouseholdStateAsync(id, Ct)).ShouldNotBeNull()));
        return states;
    }

    private static string Canonical(HouseholdState state) => System.Text.Json.JsonSerializer.Serialize(new
    {
        Events = state.Events.OrderBy(e => e.EventId).Select(e => System.Text.Json.JsonSerializer.Serialize(e, e.GetType(), EventSerializer.Json)),
        Timelines = state.Timelines.OrderBy(t => t.ProvisionId).Select(t => System.Text.Json.JsonSerializer.Serialize(t, EventSerializer.Json)),
    });

    private static async Task<List<string>> Timelines(IInbox inbox, IReadOnlyCollection<Bsn> persons) =>
        [.. (await inbox.TimelinesAsync(persons, Ct)).OrderBy(t => t.ProvisionId).Select(t => System.Text.Json.JsonSerializer.Serialize(t, EventSerializer.Json))];

    /// <summary>Two instances may deadlock on the same keys; the store refuses one, and its consumer tries again (StoreGate).</summary>
    private static async Task<bool> Retry(Func<Task<bool>> record)
    {
        for (var attempt = 0; ; attempt++)
            try
            {
                return await record();
            }
            catch (Exception ex) when (attempt < 20 && ServiceDefaults.Delivery.Failures.IsTransient(ex))
            {
                await Task.Delay(20 * attempt, Ct);
            }
    }

    /// <summary>
    /// Households of one to four members in three wijken; each member has zero to three provisions under random laws,
    /// some ended; children turn 18 around the clock's date, so signals come and go.
    /// </summary>
    private static (IHouseholdEvent[] Household, IProvisionEvent[] Provisions) Population(Random random, int households)
    {
        var household = new List<IHouseholdEvent>();
        var provisions = new List<IProvisionEvent>();
        var bsn = 100000000;
        for (var h = 0; h < households; h++)
        {
            var id = new Guid(random.Next(), (short)random.Next(short.MaxValue), (short)random.Next(short.MaxValue), [.. Enumerable.Range(0, 8).Select(_ => (byte)random.Next(256))]);
            var wijk = WijkCode.Parse($"WK03440{random.Next(1, 4)}");
            var members = random.Next(1, 5);
            for (var m = 0; m < members; m++)
            {
                var person = NextBsn(ref bsn);
                household.Add(Joined(id, person, m + 1, wijk) with { Geboortedatum = new DateOnly(2008, 1, 1).AddDays(random.Next(0, 800)) });
                for (var p = random.Next(4); p > 0; p--)
                {
                    var provision = Guid.NewGuid();
                    var law = Wetten[random.Next(Wetten.Length)];
                    var begin = new DateOnly(2024, 1, 1).AddDays(random.Next(700));
                    provisions.Add(Started(law, provision, person, begin));
                    if (random.Next(3) == 0) provisions.Add(Ended(law, provision, person, begin, begin.AddDays(random.Next(30, 400))));
                }
            }
        }
        return ([.. household], [.. provisions]);
    }

    private static Bsn NextBsn(ref int candidate)
    {
        while (true)
            if (Bsn.TryParse((++candidate).ToString(System.Globalization.CultureInfo.InvariantCulture), out var bsn, out _)) return bsn;
    }

    private static HouseholdMemberJoined Joined(Guid household, Bsn person, long version, WijkCode? wijk) =>
        new(Guid.NewGuid(), $"household-{household}", version, DateTimeOffset.UnixEpoch, Utrecht, household, person, HouseholdRole.Kind,
            new DateOnly(2020, 1, 1), wijk, null);

    private static ProvisionStarted Started(Law law, Guid provision, Bsn person, DateOnly begin) =>
        new(Guid.NewGuid(), $"provision-{provision}", 1, DateTimeOffset.UnixEpoch, Utrecht, law, provision, person, Productcategorie(law), null, null, begin, null);

    private static ProvisionEnded Ended(Law law, Guid provision, Bsn person, DateOnly begin, DateOnly end) =>
        new(Guid.NewGuid(), $"provision-{provision}", 2, DateTimeOffset.UnixEpoch, Utrecht, law, provision, person, begin, end, "01");

    private static string Productcategorie(Law law) => law == ParticipatiewetLaw.Law ? "PW01" : law == JeugdwetLaw.Law ? "45" : "02";

    private static async Task Dispose(IInbox inbox)
    {
        if (inbox is IAsyncDisposable disposable) await disposable.DisposeAsync();
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    /// <summary>A store of the projection's own: a SQLite file or a PostgreSQL database, gone afterwards.</summary>
    private sealed class Store : IAsyncDisposable
    {
        private readonly TestDatabase? _database;
        private readonly string? _file;
        private readonly EventStoreSettings _settings;

        private Store(EventStoreSettings settings, TestDatabase? database, string? file) => (_settings, _database, _file) = (settings, database, file);

        public static async Task<Store> Create(string kind)
        {
            if (kind == "sqlite")
            {
                var file = Path.Combine(Path.GetTempPath(), $"sdp-views-{Guid.NewGuid():N}.db");
                return new Store(new EventStoreSettings(StoreProvider.Sqlite, $"Data Source={file}", "projections"), null, file);
            }
            var database = await TestInfrastructure.CreateDatabaseAsync();
            return new Store(new EventStoreSettings(StoreProvider.Postgres, database.ConnectionString, "projections"), database, null);
        }

        public IInbox Inbox(TimeProvider clock) => Inboxes.Create(_settings, clock);

        public string ConnectionString => _settings.ConnectionString;

        public async Task<T> Scalar<T>(string sql)
        {
            await using var conn = new Npgsql.NpgsqlConnection(_settings.ConnectionString);
            await conn.OpenAsync(Ct);
            await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
            return (T)(await cmd.ExecuteScalarAsync(Ct))!;
        }

        public async Task Execute(string sql)
        {
            if (_database is not null)
            {
                await using var conn = new Npgsql.NpgsqlConnection(_database.ConnectionString);
                await conn.OpenAsync(Ct);
                await using var cmd = new Npgsql.NpgsqlCommand($"set search_path to projections; {sql}", conn);
                await cmd.ExecuteNonQueryAsync(Ct);
                return;
            }
            await using var sqlite = new SqliteConnection(_settings.ConnectionString);
            await sqlite.OpenAsync(Ct);
            await using var command = sqlite.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(Ct);
        }

        public async ValueTask DisposeAsync()
        {
            if (_database is not null) await _database.DisposeAsync();
            if (_file is null) return;
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_file + suffix);
        }
    }
}
