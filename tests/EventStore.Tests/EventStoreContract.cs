using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace SocialDomain.EventStore.Tests;

/// <summary>
/// What every <see cref="IEventStore"/> adapter promises. A concrete class only supplies store instances on a database
/// of its own for each test (xunit creates the class anew for every test).
/// </summary>
public abstract class EventStoreContract : IAsyncLifetime
{
    /// <summary>How long a reader waits for events it knows were committed (PostgreSQL hides them while older transactions run).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly List<IEventStore> _stores = [];

    /// <summary>A new, not yet initialized store on this test's own database: every call gives another instance on the same one.</summary>
    protected abstract IEventStore CreateStore();

    /// <summary>Removes this test's database; every store on it has been disposed by then.</summary>
    protected abstract ValueTask DeleteDatabaseAsync();

    /// <summary>
    /// Makes some append transactions pause while they are open (after taking their log positions), so that concurrent
    /// writers interleave inside each other's transactions. Nothing to do where writers are serialised.
    /// </summary>
    protected virtual Task PauseInsideSomeAppendTransactionsAsync() => Task.CompletedTask;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
            if (store is IAsyncDisposable disposable)
                await disposable.DisposeAsync();
        await DeleteDatabaseAsync();
        GC.SuppressFinalize(this);
    }

    protected IEventStore NewStore()
    {
        var store = CreateStore();
        lock (_stores) _stores.Add(store);
        return store;
    }

    protected async Task<IEventStore> NewInitializedStoreAsync()
    {
        var store = NewStore();
        await store.InitializeAsync(Ct);
        return store;
    }

    // ---- Streams -------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Appended_events_read_back_from_their_stream_with_type_data_metadata_ids_versions_1_to_n_and_creation_time()
    {
        var store = await NewInitializedStoreAsync();
        var stream = NewStreamId("case");
        var opened = new EventData(Guid.NewGuid(), "CaseOpened",
            """{"caseId":"c-1","applicant":{"name":"Zoë 'Ö' \"quoted\"","age":42},"tags":["urgent","wmo"],"amount":12.5,"note":null}""",
            """{"source":"tests","correlationId":"corr-1","causationId":null,"actor":"clerk-7"}""");
        var assigned = new EventData(Guid.NewGuid(), "CaseAssigned", """{"caseId":"c-1","to":"team-b"}""", """{"source":"tests"}""");
        var closed = new EventData(Guid.NewGuid(), "CaseClosed", """{"caseId":"c-1","reason":"done","steps":[1,2,3]}""", """{"source":"tests"}""");
        var before = DateTimeOffset.UtcNow;

        await store.AppendAsync(stream, 0, [opened, assigned], Ct);
        await store.AppendAsync(NewStreamId("other"), 0, [AnEvent()], Ct);
        await store.AppendAsync(stream, 2, [closed], Ct);

        var after = DateTimeOffset.UtcNow;
        var events = await store.ReadStreamAsync(stream, Ct);
        EventData[] appended = [opened, assigned, closed];
        events.Select(e => e.EventId).ShouldBe(appended.Select(e => e.EventId));
        events.Select(e => e.Version).ShouldBe(new[] { 1L, 2L, 3L });
        foreach (var (stored, original) in events.Zip(appended))
        {
            stored.StreamId.ShouldBe(stream);
            stored.Type.ShouldBe(original.Type);
            ShouldBeSameJson(stored.Data, original.Data);
            ShouldBeSameJson(stored.Metadata, original.Metadata);
            stored.CreatedAt.ShouldBeInRange(before.AddSeconds(-2), after.AddSeconds(2));
        }
        ShouldBeStrictlyIncreasing(events.Select(e => e.Position));
    }

    [Fact]
    public async Task Reading_a_stream_that_does_not_exist_returns_no_events()
    {
        var store = await NewInitializedStoreAsync();
        await store.AppendAsync(NewStreamId(), 0, [AnEvent()], Ct);

        (await store.ReadStreamAsync(NewStreamId(), Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Several_streams_read_in_one_call_each_in_version_order_and_missing_ones_left_out()
    {
        var store = await NewInitializedStoreAsync();
        string first = NewStreamId(), second = NewStreamId(), missing = NewStreamId();
        EventData[] toFirst = [AnEvent(), AnEvent(), AnEvent()], toSecond = [AnEvent()];
        await store.AppendAsync([new(first, 0, toFirst), new(second, 0, toSecond)], Ct);
        await store.AppendAsync(NewStreamId("other"), 0, [AnEvent()], Ct);

        var streams = await store.ReadStreamsAsync([first, second, missing], Ct);

        streams.Keys.ShouldBe([first, second], ignoreOrder: true);
        streams[first].Select(e => e.EventId).ShouldBe(toFirst.Select(e => e.EventId));
        streams[first].Select(e => e.Version).ShouldBe([1L, 2L, 3L]);
        streams[second].ShouldHaveSingleItem().EventId.ShouldBe(toSecond[0].EventId);
    }

    // ---- Tags ----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Streams_are_found_by_the_tags_their_appends_gave_them_with_all_their_events()
    {
        var store = await NewInitializedStoreAsync();
        string tag = $"client:{Guid.NewGuid():N}", other = $"client:{Guid.NewGuid():N}";
        string first = NewStreamId(), second = NewStreamId(), untagged = NewStreamId();
        await store.AppendAsync([new(first, 0, [AnEvent()], [tag]), new(second, 0, [AnEvent(), AnEvent()], [tag, other]), new(untagged, 0, [AnEvent()])], Ct);
        var later = AnEvent();
        // A later append of the stream, with the tag again: no conflict, and the stream is found with every event.
        await store.AppendAsync([new(first, 1, [later], [tag])], Ct);

        var tagged = await store.ReadTaggedStreamsAsync(tag, Ct);
        tagged.Keys.ShouldBe([first, second], ignoreOrder: true);
        tagged[first].Select(e => e.Version).ShouldBe([1L, 2L]);
        tagged[first][^1].EventId.ShouldBe(later.EventId);
        tagged[second].Count.ShouldBe(2);
        (await store.ReadTaggedStreamsAsync(other, Ct)).Keys.ShouldBe([second]);
        (await store.ReadTaggedStreamsAsync($"client:{Guid.NewGuid():N}", Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_append_that_fails_leaves_no_tag_behind()
    {
        var store = await NewInitializedStoreAsync();
        var stream = NewStreamId();
        await store.AppendAsync(stream, 0, [AnEvent()], Ct);
        string behind = $"t:{Guid.NewGuid():N}", taken = $"t:{Guid.NewGuid():N}", duplicate = $"t:{Guid.NewGuid():N}";
        var fresh = NewStreamId();

        // Expecting more events than the stream has; a version already taken; an event id already stored. Each time the
        // tagged new stream of the same append must not be tagged either.
        await Should.ThrowAsync<WrongExpectedVersionException>(() => store.AppendAsync([new(fresh, 0, [AnEvent()], [behind]), new(stream, 5, [AnEvent()], [behind])], Ct));
        await Should.ThrowAsync<WrongExpectedVersionException>(() => store.AppendAsync([new(fresh, 0, [AnEvent()], [taken]), new(stream, 0, [AnEvent()], [taken])], Ct));
        var stored = (await store.ReadStreamAsync(stream, Ct))[0];
        await Should.ThrowAsync<DuplicateEventException>(() => store.AppendAsync([new(fresh, 0,
            [new EventData(stored.EventId, stored.Type, stored.Data, stored.Metadata)], [duplicate])], Ct));

        foreach (var tag in new[] { behind, taken, duplicate }) (await store.ReadTaggedStreamsAsync(tag, Ct)).ShouldBeEmpty(tag);
        (await store.ReadStreamAsync(fresh, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_empty_tag_is_refused()
    {
        var store = await NewInitializedStoreAsync();
        await Should.ThrowAsync<ArgumentException>(() => store.AppendAsync([new(NewStreamId(), 0, [AnEvent()], [""])], Ct));
    }

    [Fact]
    public async Task An_append_without_events_or_at_a_negative_expected_version_is_refused()
    {
        var store = await NewInitializedStoreAsync();
        var stream = NewStreamId();

        await Should.ThrowAsync<ArgumentException>(() => store.AppendAsync(stream, 0, [], Ct));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.AppendAsync(stream, -1, [AnEvent()], Ct));
        (await store.ReadStreamAsync(stream, Ct)).ShouldBeEmpty();
    }

    // ---- Expected versions ---------------------------------------------------------------------------------------

    [Theory]
    [InlineData(2, 0)]
    [InlineData(2, 1)]
    public async Task Appending_at_a_version_that_is_already_taken_raises_a_concurrency_error_and_stores_nothing(int existing, long expectedVersion) =>
        await AppendingAtAWrongVersionFails(existing, expectedVersion);

    [Theory]
    [InlineData(2, 3)]
    [InlineData(2, 7)]
    [InlineData(0, 1)]
    public async Task Appending_beyond_the_end_of_a_stream_would_leave_a_hole_and_raises_a_concurrency_error_storing_nothing(int existing, long expectedVersion) =>
        await AppendingAtAWrongVersionFails(existing, expectedVersion);

    private async Task AppendingAtAWrongVersionFails(int existing, long expectedVersion)
    {
        var store = await NewInitializedStoreAsync();
        var stream = NewStreamId();
        var kept = await SeedAsync(store, stream, existing);
        EventData[] rejected = [AnEvent(), AnEvent()];

        var error = await Should.ThrowAsync<WrongExpectedVersionException>(() => store.AppendAsync(stream, expectedVersion, rejected, Ct));

        error.StreamId.ShouldBe(stream);
        error.ExpectedVersion.ShouldBe(expectedVersion);
        (await store.ReadStreamAsync(stream, Ct)).Select(e => e.EventId).ShouldBe(kept);
        // Nothing of the rejected append was kept: its event ids are still free.
        await store.AppendAsync(stream, existing, rejected, Ct);
        (await store.ReadStreamAsync(stream, Ct)).Select(e => e.EventId).ShouldBe(kept.Concat(rejected.Select(e => e.EventId)));
    }

    // One event alone takes a statement of its own on PostgreSQL (plain values instead of arrays): the same rules.
    [Theory]
    [InlineData(2, 1, "taken")]
    [InlineData(2, 0, "taken")]
    [InlineData(2, 3, "hole")]
    [InlineData(0, 1, "hole")]
    public async Task One_tagged_event_at_a_wrong_version_raises_a_concurrency_error_and_stores_neither_event_nor_tag(int existing, long expectedVersion, string wrongWay)
    {
        var store = await NewInitializedStoreAsync();
        var stream = NewStreamId(wrongWay);
        var kept = await SeedAsync(store, stream, existing);
        var tag = $"t:{Guid.NewGuid():N}";
        var rejected = AnEvent();

        var error = await Should.ThrowAsync<WrongExpectedVersionException>(() => store.AppendAsync([new(stream, expectedVersion, [rejected], [tag])], Ct));

        error.StreamId.ShouldBe(stream);
        error.ExpectedVersion.ShouldBe(expectedVersion);
        (await store.ReadStreamAsync(stream, Ct)).Select(e => e.EventId).ShouldBe(kept);
        (await store.ReadTaggedStreamsAsync(tag, Ct)).ShouldBeEmpty();
        await store.AppendAsync([new(stream, existing, [rejected], [tag])], Ct);
        (await store.ReadStreamAsync(stream, Ct))[^1].EventId.ShouldBe(rejected.EventId);
        (await store.ReadTaggedStreamsAsync(tag, Ct)).Keys.ShouldBe([stream]);
    }

    [Fact]
    public async Task An_append_to_several_streams_stores_all_of_their_events_in_one_commit()
    {
        var store = await NewInitializedStoreAsync();
        var (first, second, third) = (NewStreamId("a"), NewStreamId("b"), NewStreamId("c"));
        var seeded = await SeedAsync(store, second, 2);
        EventData[] toFirst = [AnEvent(), AnEvent()], toSecond = [AnEvent()], toThird = [AnEvent(), AnEvent(), AnEvent()];

        await store.AppendAsync([new(first, 0, toFirst), new(second, 2, toSecond), new(third, 0, toThird)], Ct);

        (await store.ReadStreamAsync(first, Ct)).Select(e => (e.EventId, e.Version)).ShouldBe(toFirst.Select((e, i) => (e.EventId, i + 1L)));
        (await store.ReadStreamAsync(second, Ct)).Select(e => e.EventId).ShouldBe(seeded.Append(toSecond[0].EventId));
        (await store.ReadStreamAsync(third, Ct)).Select(e => (e.EventId, e.Version)).ShouldBe(toThird.Select((e, i) => (e.EventId, i + 1L)));
        var log = await FollowLogAsync(store, LogPosition.Start, 100, 8);
        log.Select(e => e.EventId).ShouldBe(seeded.Concat(new[] { toFirst, toSecond, toThird }.SelectMany(e => e).Select(e => e.EventId)));
    }

    [Theory]
    [InlineData(0, "taken")]
    [InlineData(1, "taken")]
    [InlineData(2, "taken")]
    [InlineData(0, "hole")]
    [InlineData(1, "hole")]
    [InlineData(2, "hole")]
    public async Task An_append_to_several_streams_where_one_is_at_a_wrong_version_stores_nothing_at_all(int wrongStream, string wrongWay)
    {
        var store = await NewInitializedStoreAsync();
        string[] streams = [NewStreamId("a"), NewStreamId("b"), NewStreamId("c")];
        var seeded = new List<Guid[]>();
        for (var i = 0; i < streams.Length; i++) seeded.Add(await SeedAsync(store, streams[i], i + 1));
        var appends = streams.Select((stream, i) =>
        {
            var current = i + 1L;
            var expected = i != wrongStream ? current : wrongWay == "taken" ? current - 1 : current + 1;
            return new StreamAppend(stream, expected, [AnEvent(), AnEvent()]);
        }).ToArray();

        var error = await Should.ThrowAsync<WrongExpectedVersionException>(() => store.AppendAsync(appends, Ct));

        error.StreamId.ShouldBe(streams[wrongStream]);
        error.ExpectedVersion.ShouldBe(appends[wrongStream].ExpectedVersion);
        for (var i = 0; i < streams.Length; i++)
            (await store.ReadStreamAsync(streams[i], Ct)).Select(e => e.EventId).ShouldBe(seeded[i], $"stream {i}");
        // With the wrong stream corrected the very same events go in: nothing of the failed append was kept.
        appends[wrongStream] = appends[wrongStream] with { ExpectedVersion = wrongStream + 1 };
        await store.AppendAsync(appends, Ct);
        for (var i = 0; i < streams.Length; i++)
            (await store.ReadStreamAsync(streams[i], Ct)).Count.ShouldBe(i + 3, $"stream {i}");
    }

    [Theory]
    [InlineData("one store instance")]
    [InlineData("two store instances")]
    public async Task Of_two_concurrent_appends_at_the_same_expected_version_exactly_one_wins(string appenders)
    {
        var first = await NewInitializedStoreAsync();
        var second = appenders == "one store instance" ? first : await NewInitializedStoreAsync();
        var stream = NewStreamId();

        for (var version = 0L; version < 20; version++)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            EventData a = AnEvent(), b = AnEvent();
            var attempts = new[] { Attempt(first, a, version), Attempt(second, b, version) };
            gate.SetResult();
            var errors = await Task.WhenAll(attempts);

            errors.Count(e => e is null).ShouldBe(1, $"exactly one append at version {version} succeeds");
            var loser = errors.Single(e => e is not null)!;
            loser.ShouldBeOfType<WrongExpectedVersionException>().StreamId.ShouldBe(stream);
            var events = await first.ReadStreamAsync(stream, Ct);
            events.Count.ShouldBe((int)version + 1);
            events[^1].EventId.ShouldBe(errors[0] is null ? a.EventId : b.EventId);

            async Task<Exception?> Attempt(IEventStore store, EventData e, long expected)
            {
                await gate.Task;
                try
                {
                    await Task.Run(() => store.AppendAsync(stream, expected, [e], Ct), Ct);
                    return null;
                }
                catch (Exception ex)
                {
                    return ex;
                }
            }
        }
    }

    // ---- Large appends: from PostgresEventStore.CopyFrom events on, PostgreSQL takes them in by COPY -------------------

    /// <summary>
    /// A municipality's bulk load in one append: new tagged streams, and existing streams appended to, which have the
    /// tag already (with <paramref name="seedTag"/>) or not.
    /// </summary>
    private static async Task<(StreamAppend[] Appends, Dictionary<string, Guid[]> Seeded)> LargeAppendAsync(IEventStore store, string tag, string? seedTag = null)
    {
        var seeded = new Dictionary<string, Guid[]>();
        var appends = new List<StreamAppend>();
        for (var i = 0; i < 5; i++)
        {
            var existing = NewStreamId($"old{i}");
            EventData[] events = [AnEvent(), AnEvent()];
            await store.AppendAsync([new StreamAppend(existing, 0, events, seedTag is null ? null : [seedTag])], Ct);
            seeded[existing] = [.. events.Select(e => e.EventId)];
            appends.Add(new StreamAppend(existing, 2, [AnEvent()], [tag]));
        }
        while (appends.Sum(a => a.Events.Count) < PostgresEventStore.CopyFrom + 10)
            appends.Add(new StreamAppend(NewStreamId($"new{appends.Count}"), 0, [AnEvent(), AnEvent()], [tag]));
        return ([.. appends], seeded);
    }

    [Fact]
    public async Task A_large_append_stores_every_event_at_its_version_with_its_tags_in_one_commit_also_tags_a_stream_has_already()
    {
        var store = await NewInitializedStoreAsync();
        var tag = $"t:{Guid.NewGuid():N}";
        var (appends, seeded) = await LargeAppendAsync(store, tag, seedTag: tag);

        await store.AppendAsync(appends, Ct);

        var streams = await store.ReadStreamsAsync([.. appends.Select(a => a.StreamId)], Ct);
        foreach (var append in appends)
        {
            var before = seeded.GetValueOrDefault(append.StreamId) ?? [];
            streams[append.StreamId].Select(e => (e.EventId, e.Version))
                .ShouldBe(before.Concat(append.Events.Select(e => e.EventId)).Select((id, i) => (id, i + 1L)), append.StreamId);
        }
        (await store.ReadTaggedStreamsAsync(tag, Ct)).Keys.ShouldBe(appends.Select(a => a.StreamId), ignoreOrder: true);
        var total = seeded.Values.Sum(s => s.Length) + appends.Sum(a => a.Events.Count);
        var log = await FollowLogAsync(store, LogPosition.Start, 5_000, total);
        log.Select(e => e.EventId).ShouldBe(seeded.Values.SelectMany(s => s).Concat(appends.SelectMany(a => a.Events).Select(e => e.EventId)));
    }

    [Theory]
    [InlineData("taken")]
    [InlineData("hole")]
    [InlineData("duplicate event id")]
    public async Task A_large_append_with_one_wrong_stream_stores_no_event_and_no_tag(string wrongWay)
    {
        var store = await NewInitializedStoreAsync();
        var tag = $"t:{Guid.NewGuid():N}";
        var (appends, seeded) = await LargeAppendAsync(store, tag);
        // An existing stream (the first five) at a version already taken or past its end; a new stream with an event id already stored.
        var wrong = wrongWay == "duplicate event id" ? appends.Length / 2 : 2;
        var stored = (await store.ReadStreamAsync(appends[0].StreamId, Ct))[0];
        appends[wrong] = wrongWay switch
        {
            "taken" => appends[wrong] with { ExpectedVersion = 1 },
            "hole" => appends[wrong] with { ExpectedVersion = 3 },
            _ => appends[wrong] with { Events = [new EventData(stored.EventId, stored.Type, stored.Data, stored.Metadata)] },
        };
        var streamsBefore = appends.Select(a => a.StreamId).Where(id => !seeded.ContainsKey(id)).ToList();

        if (wrongWay == "duplicate event id")
            await Should.ThrowAsync<DuplicateEventException>(() => store.AppendAsync(appends, Ct));
        else
        {
            var error = await Should.ThrowAsync<WrongExpectedVersionException>(() => store.AppendAsync(appends, Ct));
            error.StreamId.ShouldBe(appends[wrong].StreamId);
            error.ExpectedVersion.ShouldBe(appends[wrong].ExpectedVersion);
        }

        (await store.ReadTaggedStreamsAsync(tag, Ct)).ShouldBeEmpty();
        (await store.ReadStreamsAsync(streamsBefore, Ct)).ShouldBeEmpty();
        foreach (var (stream, events) in seeded) (await store.ReadStreamAsync(stream, Ct)).Select(e => e.EventId).ShouldBe(events, stream);
    }

    [Fact]
    public async Task Of_two_concurrent_large_appends_that_share_a_new_stream_exactly_one_is_stored()
    {
        var first = await NewInitializedStoreAsync();
        var second = await NewInitializedStoreAsync();
        var (a, _) = await LargeAppendAsync(first, $"t:{Guid.NewGuid():N}");
        var (b, _) = await LargeAppendAsync(first, $"t:{Guid.NewGuid():N}");
        var shared = NewStreamId("shared");
        a[^1] = a[^1] with { StreamId = shared };
        b[^1] = b[^1] with { StreamId = shared };

        var results = await Task.WhenAll(Attempt(first, a), Attempt(second, b));

        results.Count(e => e is null).ShouldBe(1);
        results.Single(e => e is not null).ShouldBeOfType<WrongExpectedVersionException>().StreamId.ShouldBe(shared);
        var (won, lost) = results[0] is null ? (a, b) : (b, a);
        (await first.ReadStreamAsync(shared, Ct)).Select(e => e.EventId).ShouldBe(won[^1].Events.Select(e => e.EventId));
        (await first.ReadStreamsAsync([.. lost.Where(x => x.ExpectedVersion == 0 && x.StreamId != shared).Select(x => x.StreamId)], Ct)).ShouldBeEmpty();

        static async Task<Exception?> Attempt(IEventStore store, StreamAppend[] appends)
        {
            try
            {
                await Task.Run(() => store.AppendAsync(appends, Ct), Ct);
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        }
    }

    // ---- Event ids -----------------------------------------------------------------------------------------------

    [Fact]
    public async Task Appending_an_event_id_that_is_already_stored_raises_a_duplicate_event_error_and_stores_nothing()
    {
        var store = await NewInitializedStoreAsync();
        var stored = AnEvent();
        await store.AppendAsync(NewStreamId(), 0, [stored], Ct);
        var stream = NewStreamId();
        var fresh = AnEvent();

        await Should.ThrowAsync<DuplicateEventException>(() => store.AppendAsync(stream, 0, [fresh, stored with { Type = "Other" }], Ct));

        (await store.ReadStreamAsync(stream, Ct)).ShouldBeEmpty();
        await store.AppendAsync(stream, 0, [fresh], Ct);
    }

    [Fact]
    public async Task An_append_that_repeats_an_event_id_raises_a_duplicate_event_error_and_stores_nothing()
    {
        var store = await NewInitializedStoreAsync();
        var (first, second) = (NewStreamId(), NewStreamId());
        var twice = AnEvent();

        await Should.ThrowAsync<DuplicateEventException>(() => store.AppendAsync([new(first, 0, [twice]), new(second, 0, [AnEvent(), twice])], Ct));

        (await store.ReadStreamAsync(first, Ct)).ShouldBeEmpty();
        (await store.ReadStreamAsync(second, Ct)).ShouldBeEmpty();
    }

    // ---- The global log ------------------------------------------------------------------------------------------

    [Fact]
    public async Task Reading_an_empty_log_returns_nothing()
    {
        var store = await NewInitializedStoreAsync();

        (await store.ReadAllAsync(LogPosition.Start, 10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_log_holds_every_event_of_every_stream_in_the_order_they_were_appended()
    {
        var store = await NewInitializedStoreAsync();
        var expected = await AppendRoundRobinAsync(store, streams: 3, commits: 12);

        var log = await FollowLogAsync(store, LogPosition.Start, 1000, expected.Count);

        log.Select(e => e.EventId).ShouldBe(expected);
        ShouldBeStrictlyIncreasing(log.Select(e => e.Position));
        foreach (var group in log.GroupBy(e => e.StreamId))
        {
            var stream = await store.ReadStreamAsync(group.Key, Ct);
            group.Select(e => (e.EventId, e.Version, e.Position)).ShouldBe(stream.Select(e => (e.EventId, e.Version, e.Position)));
        }
    }

    [Fact]
    public async Task Reading_the_log_in_pages_of_at_most_max_events_from_the_last_position_returns_every_event_once()
    {
        var store = await NewInitializedStoreAsync();
        var expected = await AppendRoundRobinAsync(store, streams: 4, commits: 13);

        var seen = new List<StoredEvent>();
        var position = LogPosition.Start;
        var deadline = DateTime.UtcNow + Patience;
        while (seen.Count < expected.Count && DateTime.UtcNow < deadline)
        {
            var page = await store.ReadAllAsync(position, 4, Ct);
            page.Count.ShouldBeLessThanOrEqualTo(4);
            if (page.Count == 0)
            {
                await Task.Delay(10, Ct);
                continue;
            }
            seen.AddRange(page);
            position = page[^1].Position;
        }

        seen.Select(e => e.EventId).ShouldBe(expected);
        ShouldBeStrictlyIncreasing(seen.Select(e => e.Position));
        (await store.ReadAllAsync(position, 4, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Reading_the_log_after_a_position_returns_only_the_events_after_it()
    {
        var store = await NewInitializedStoreAsync();
        var expected = await AppendRoundRobinAsync(store, streams: 2, commits: 5);
        var log = await FollowLogAsync(store, LogPosition.Start, 100, expected.Count);

        for (var i = 0; i < log.Count; i++)
            (await store.ReadAllAsync(log[i].Position, 100, Ct)).Select(e => e.EventId).ShouldBe(log.Skip(i + 1).Select(e => e.EventId));
        (await store.ReadAllAsync(log[2].Position, 3, Ct)).Select(e => e.EventId).ShouldBe(log.Skip(3).Take(3).Select(e => e.EventId));
    }

    // ---- Checkpoints ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task A_checkpoint_that_was_never_saved_is_the_start_of_the_log()
    {
        var store = await NewInitializedStoreAsync();

        (await store.ReadCheckpointAsync("never-saved", Ct)).ShouldBe(LogPosition.Start);
    }

    [Fact]
    public async Task A_saved_checkpoint_reads_back_and_a_later_save_replaces_it()
    {
        var store = await NewInitializedStoreAsync();
        await AppendRoundRobinAsync(store, streams: 1, commits: 3);
        var log = await FollowLogAsync(store, LogPosition.Start, 100, 3);

        await store.SaveCheckpointAsync("projection", log[0].Position, Ct);
        await store.SaveCheckpointAsync("other", log[2].Position, Ct);
        (await store.ReadCheckpointAsync("projection", Ct)).ShouldBe(log[0].Position);

        await store.SaveCheckpointAsync("projection", log[1].Position, Ct);
        (await store.ReadCheckpointAsync("projection", Ct)).ShouldBe(log[1].Position);
        (await store.ReadCheckpointAsync("other", Ct)).ShouldBe(log[2].Position);
        (await NewStore().ReadCheckpointAsync("projection", Ct)).ShouldBe(log[1].Position, "another instance on the same database");

        var arbitrary = new LogPosition(long.MaxValue - 1, long.MaxValue - 2);
        await store.SaveCheckpointAsync("projection", arbitrary, Ct);
        (await store.ReadCheckpointAsync("projection", Ct)).ShouldBe(arbitrary);
    }

    [Fact]
    public async Task A_checkpoint_only_moves_forward_whichever_instance_saves_a_lower_one()
    {
        var store = await NewInitializedStoreAsync();
        var other = NewStore();
        var later = new LogPosition(6, 1);

        await store.SaveCheckpointAsync("relay", new LogPosition(5, 100), Ct);
        await store.SaveCheckpointAsync("relay", later, Ct);
        await other.SaveCheckpointAsync("relay", new LogPosition(5, 200), Ct);
        await store.SaveCheckpointAsync("relay", new LogPosition(6, 0), Ct);
        await other.SaveCheckpointAsync("relay", LogPosition.Start, Ct);

        (await store.ReadCheckpointAsync("relay", Ct)).ShouldBe(later, "a lower position (by transaction, then sequence) never overwrites a higher one");
        await other.SaveCheckpointAsync("relay", new LogPosition(6, 2), Ct);
        (await store.ReadCheckpointAsync("relay", Ct)).ShouldBe(new LogPosition(6, 2));
    }

    [Fact]
    public async Task Concurrent_saves_of_one_checkpoint_leave_the_highest()
    {
        var store = await NewInitializedStoreAsync();
        var other = NewStore();
        var positions = Enumerable.Range(1, 200).Select(i => new LogPosition(i / 10, i)).ToList();

        await Task.WhenAll(positions.Select((p, i) => Task.Run(() => (i % 2 == 0 ? store : other).SaveCheckpointAsync("relay", p, Ct))));

        (await store.ReadCheckpointAsync("relay", Ct)).ShouldBe(positions.Max());
    }

    // ---- Initialization ------------------------------------------------------------------------------------------

    [Fact]
    public async Task Initializing_again_keeps_every_event_and_checkpoint()
    {
        var store = await NewInitializedStoreAsync();
        var expected = await AppendRoundRobinAsync(store, streams: 2, commits: 3);
        var log = await FollowLogAsync(store, LogPosition.Start, 100, expected.Count);
        await store.SaveCheckpointAsync("projection", log[^1].Position, Ct);

        await store.InitializeAsync(Ct);
        var again = await NewInitializedStoreAsync();

        (await FollowLogAsync(again, LogPosition.Start, 100, expected.Count)).Select(e => e.EventId).ShouldBe(expected);
        (await again.ReadCheckpointAsync("projection", Ct)).ShouldBe(log[^1].Position);
    }

    [Fact]
    public async Task Initializing_a_new_database_concurrently_from_several_instances_succeeds()
    {
        var stores = Enumerable.Range(0, 8).Select(_ => NewStore()).ToArray();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var initializing = stores.Select(store => Task.Run(async () =>
        {
            await gate.Task;
            await store.InitializeAsync(Ct);
        }, Ct)).ToArray();
        gate.SetResult();
        await Task.WhenAll(initializing);

        var ids = new List<Guid>();
        foreach (var store in stores)
        {
            var e = AnEvent();
            await store.AppendAsync(NewStreamId(), 0, [e], Ct);
            ids.Add(e.EventId);
        }
        (await FollowLogAsync(stores[0], LogPosition.Start, 100, ids.Count)).Select(e => e.EventId).ShouldBe(ids);
    }

    // ---- The ordering gap ----------------------------------------------------------------------------------------

    /// <summary>
    /// The promise a projection relies on: following the log from the last position seen never misses nor repeats an
    /// event, even while many writers commit out of the order in which they took their log positions.
    /// </summary>
    [Fact]
    public async Task A_reader_following_the_log_while_many_writers_append_concurrently_sees_every_event_exactly_once_in_increasing_order()
    {
        const int writers = 16, commitsPerWriter = 200, max = 50;
        var store = await NewInitializedStoreAsync();
        await PauseInsideSomeAppendTransactionsAsync();
        var appended = new ConcurrentDictionary<Guid, byte>();
        var writing = Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => WriteAsync(w), Ct)));

        var seen = new List<StoredEvent>();
        var notIncreasing = new List<string>();
        var position = LogPosition.Start;
        var reads = 0;
        // A tight loop, only pausing a millisecond when it is at the end of the log (so it does not starve the writers).
        while (!writing.IsCompleted)
            if (await FollowOnce() == 0)
                await Task.Delay(1, Ct);
        await writing;
        var deadline = DateTime.UtcNow + Patience;
        while (seen.Count < appended.Count && DateTime.UtcNow < deadline)
            if (await FollowOnce() == 0)
                await Task.Delay(10, Ct);
        await FollowOnce();

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{appended.Count} events appended, {seen.Count} seen in {reads} reads; " +
            $"{seen.Zip(seen.Skip(1)).Count(p => p.Second.Position.Sequence < p.First.Position.Sequence)} times the log order went back in sequence.");
        notIncreasing.ShouldBeEmpty("positions the reader saw must strictly increase");
        seen.GroupBy(e => e.EventId).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty("events the reader saw more than once");
        var seenIds = seen.Select(e => e.EventId).ToHashSet();
        appended.Keys.Where(id => !seenIds.Contains(id)).ShouldBeEmpty("appended events the reader missed");
        seenIds.Where(id => !appended.ContainsKey(id)).ShouldBeEmpty("events the reader saw that were never appended");
        seen.Count.ShouldBe(appended.Count);

        async Task<int> FollowOnce()
        {
            reads++;
            var page = await store.ReadAllAsync(position, max, Ct);
            page.Count.ShouldBeLessThanOrEqualTo(max);
            foreach (var e in page)
            {
                if (e.Position <= position) notIncreasing.Add($"{e.Position} after {position}");
                position = e.Position;
                seen.Add(e);
            }
            return page.Count;
        }

        async Task WriteAsync(int writer)
        {
            var random = new Random(writer);
            var streams = Enumerable.Range(0, 4).Select(i => NewStreamId($"writer{writer}-{i}")).ToArray();
            var versions = new long[streams.Length];
            for (var commit = 0; commit < commitsPerWriter; commit++)
            {
                var kind = random.NextDouble();
                var first = random.Next(streams.Length);
                var appends = kind switch
                {
                    < 0.5 => [Next(first, 1)],
                    < 0.8 => [Next(first, random.Next(2, 5))],
                    _ => new[] { Next(first, random.Next(1, 3)), Next((first + 1 + random.Next(streams.Length - 1)) % streams.Length, random.Next(1, 3)) },
                };
                if (random.NextDouble() < 0.2) await Task.Delay(random.Next(1, 3), Ct);
                await store.AppendAsync(appends, Ct);
                foreach (var append in appends)
                {
                    versions[Array.IndexOf(streams, append.StreamId)] += append.Events.Count;
                    foreach (var e in append.Events) appended.TryAdd(e.EventId, 0);
                }
            }

            StreamAppend Next(int stream, int count) =>
                new(streams[stream], versions[stream], Enumerable.Range(0, count).Select(_ => AnEvent()).ToArray());
        }
    }

    // ---- Helpers -------------------------------------------------------------------------------------------------

    protected static string NewStreamId(string prefix = "stream") => $"{prefix}-{Guid.NewGuid():N}";

    private static int _counter;

    protected static EventData AnEvent(string type = "SomethingHappened") =>
        new(Guid.NewGuid(), type, $$"""{"n":{{Interlocked.Increment(ref _counter)}}}""", """{"source":"tests"}""");

    /// <summary>Appends <paramref name="count"/> events one commit at a time to a new stream; returns their ids.</summary>
    private static async Task<Guid[]> SeedAsync(IEventStore store, string stream, int count)
    {
        var ids = new Guid[count];
        for (var i = 0; i < count; i++)
        {
            var e = AnEvent();
            await store.AppendAsync(stream, i, [e], Ct);
            ids[i] = e.EventId;
        }
        return ids;
    }

    /// <summary>Appends commits of one to three events to the streams in turn; returns the event ids in append order.</summary>
    private static async Task<List<Guid>> AppendRoundRobinAsync(IEventStore store, int streams, int commits)
    {
        var ids = new List<Guid>();
        var names = Enumerable.Range(0, streams).Select(_ => NewStreamId()).ToArray();
        var versions = new long[streams];
        for (var commit = 0; commit < commits; commit++)
        {
            var stream = commit % streams;
            var events = Enumerable.Range(0, commit % 3 + 1).Select(_ => AnEvent()).ToArray();
            await store.AppendAsync(names[stream], versions[stream], events, Ct);
            versions[stream] += events.Length;
            ids.AddRange(events.Select(e => e.EventId));
        }
        return ids;
    }

    /// <summary>
    /// Follows the log from <paramref name="after"/> like a projection until it has <paramref name="expected"/> events
    /// (or patience runs out: then the caller's assertion reports what is missing).
    /// </summary>
    protected static async Task<List<StoredEvent>> FollowLogAsync(IEventStore store, LogPosition after, int max, int expected)
    {
        var events = new List<StoredEvent>();
        var deadline = DateTime.UtcNow + Patience;
        while (events.Count < expected)
        {
            var page = await store.ReadAllAsync(after, max, Ct);
            if (page.Count == 0)
            {
                if (DateTime.UtcNow > deadline) break;
                await Task.Delay(10, Ct);
                continue;
            }
            events.AddRange(page);
            after = page[^1].Position;
        }
        return events;
    }

    private static void ShouldBeSameJson(string actual, string expected) =>
        JsonNode.DeepEquals(JsonNode.Parse(actual), JsonNode.Parse(expected)).ShouldBeTrue($"{actual} should be the same JSON as {expected}");

    private static void ShouldBeStrictlyIncreasing(IEnumerable<LogPosition> positions)
    {
        var list = positions.ToList();
        for (var i = 1; i < list.Count; i++)
            list[i].ShouldBeGreaterThan(list[i - 1], $"position {i} of {list.Count}");
    }
}
