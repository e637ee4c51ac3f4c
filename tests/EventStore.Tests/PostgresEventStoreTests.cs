using Npgsql;

namespace SocialDomain.EventStore.Tests;

/// <summary>
/// The contract on PostgreSQL, plus deterministic proofs that the log order handles transactions that commit out of
/// the order in which they took their positions. Every test gets a fresh schema, dropped afterwards.
/// </summary>
public sealed class PostgresEventStoreTests : EventStoreContract
{
    private readonly string _connectionString = TestInfrastructure.Postgres;
    private readonly string _schema = ("t_" + Guid.NewGuid().ToString("N"))[..Math.Min(63, 34)];

    protected override IEventStore CreateStore() => new PostgresEventStore(_connectionString, _schema);

    protected override async ValueTask DeleteDatabaseAsync()
    {
        await using var conn = await OpenConnectionAsync(CancellationToken.None);
        await using var cmd = new NpgsqlCommand($"drop schema if exists {_schema} cascade", conn);
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>
    /// A statement trigger on the events table: after an append has inserted its rows (so holds its positions), some
    /// transactions sleep a few milliseconds before they go on to commit.
    /// </summary>
    protected override async Task PauseInsideSomeAppendTransactionsAsync()
    {
        await using var conn = await OpenConnectionAsync(Ct);
        await using var cmd = new NpgsqlCommand($"""
            create function {_schema}.pause_at_random() returns trigger language plpgsql as $$
            begin
                if random() < 0.3 then perform pg_sleep(random() * 0.004); end if;
                return null;
            end $$;
            create trigger pause_at_random after insert on {_schema}.events
                for each statement execute function {_schema}.pause_at_random();
            """, conn);
        await cmd.ExecuteNonQueryAsync(Ct);
    }

    [Fact]
    public async Task A_reader_does_not_pass_a_committed_event_while_a_lower_position_is_held_by_an_open_transaction()
    {
        var store = await NewInitializedStoreAsync();
        await using var held = await OpenConnectionAsync(Ct);
        await using var heldTransaction = await held.BeginTransactionAsync(Ct);
        var heldEvent = await InsertEventAsync(held, heldTransaction, NewStreamId("held"));
        var committedStream = NewStreamId("committed");
        await store.AppendAsync(committedStream, 0, [AnEvent()], Ct);
        var committed = (await store.ReadStreamAsync(committedStream, Ct)).Single();

        // The gap: a higher position is committed while a lower one may still commit.
        committed.Position.Sequence.ShouldBeGreaterThan(heldEvent.Sequence);
        (await store.ReadAllAsync(LogPosition.Start, 100, Ct)).ShouldBeEmpty(
            "a reader that got the committed event now would move past the position of the event still being written");

        await heldTransaction.CommitAsync(Ct);

        var log = await FollowLogAsync(store, LogPosition.Start, 1, 2);
        log.Select(e => e.EventId).ShouldBe(new[] { heldEvent.EventId, committed.EventId });
        log[0].Position.ShouldBe(new LogPosition(heldEvent.TransactionId, heldEvent.Sequence));
        log[1].Position.ShouldBe(committed.Position);
        (await store.ReadAllAsync(log[^1].Position, 100, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_reader_that_passed_a_higher_position_still_receives_a_lower_position_committed_after_it()
    {
        var store = await NewInitializedStoreAsync();
        // "older" gets its transaction id first, "younger" then takes the lower position: the one holding the
        // higher position (older) commits first, as in the class comment of PostgresEventStore.
        await using var older = await OpenConnectionAsync(Ct);
        await using var olderTransaction = await older.BeginTransactionAsync(Ct);
        await using (var xid = new NpgsqlCommand("select pg_current_xact_id()", older, olderTransaction))
            await xid.ExecuteScalarAsync(Ct);
        await using var younger = await OpenConnectionAsync(Ct);
        await using var youngerTransaction = await younger.BeginTransactionAsync(Ct);
        var lower = await InsertEventAsync(younger, youngerTransaction, NewStreamId("lower"));
        var higher = await InsertEventAsync(older, olderTransaction, NewStreamId("higher"));
        higher.Sequence.ShouldBeGreaterThan(lower.Sequence);
        higher.TransactionId.ShouldBeLessThan(lower.TransactionId);

        await olderTransaction.CommitAsync(Ct);
        var first = await FollowLogAsync(store, LogPosition.Start, 10, 1);
        first.Select(e => e.EventId).ShouldBe(new[] { higher.EventId });
        var reader = first[0].Position;

        await youngerTransaction.CommitAsync(Ct);
        var next = await FollowLogAsync(store, reader, 10, 1);
        next.Select(e => e.EventId).ShouldBe(new[] { lower.EventId });
        next[0].Position.Sequence.ShouldBeLessThan(reader.Sequence);
        next[0].Position.ShouldBeGreaterThan(reader);
        (await store.ReadAllAsync(next[0].Position, 10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public void A_schema_name_that_is_not_a_plain_identifier_is_refused()
    {
        Should.Throw<ArgumentException>(() => new PostgresEventStore(_connectionString, "x; drop schema public"));
        Should.Throw<ArgumentException>(() => new PostgresEventStore(_connectionString, "Upper"));
    }

    [Fact]
    public async Task Thousands_of_streams_read_in_one_call_with_a_stream_named_twice_read_once()
    {
        var store = await NewInitializedStoreAsync();
        var existing = Enumerable.Range(0, 300).Select(_ => NewStreamId()).ToArray();
        await store.AppendAsync([.. existing.Select(s => new StreamAppend(s, 0, [AnEvent(), AnEvent()]))], Ct);
        string[] asked = [.. existing, .. Enumerable.Range(0, 3000).Select(_ => NewStreamId()), existing[0], existing[^1]];

        var streams = await store.ReadStreamsAsync(asked, Ct);

        streams.Keys.ShouldBe(existing, ignoreOrder: true);
        streams.Values.ShouldAllBe(events => events.Select(e => e.Version).SequenceEqual(new[] { 1L, 2L }));
    }

    private async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct)
    {
        var conn = new NpgsqlConnection(_connectionString);
        await conn.OpenAsync(ct);
        return conn;
    }

    /// <summary>Inserts an event row the way the store does, inside the caller's transaction.</summary>
    private async Task<(Guid EventId, long TransactionId, long Sequence)> InsertEventAsync(
        NpgsqlConnection conn, NpgsqlTransaction transaction, string stream)
    {
        var eventId = Guid.NewGuid();
        await using var cmd = new NpgsqlCommand($"""
            insert into {_schema}.events (event_id, stream_id, version, type, data, metadata)
            values ($1, $2, 1, 'HeldOpen', $3::jsonb, $4::jsonb)
            returning transaction_id, position
            """, conn, transaction);
        cmd.Parameters.Add(new NpgsqlParameter { Value = eventId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = stream });
        cmd.Parameters.Add(new NpgsqlParameter { Value = """{"held":true}""" });
        cmd.Parameters.Add(new NpgsqlParameter { Value = """{"source":"tests"}""" });
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        (await reader.ReadAsync(Ct)).ShouldBeTrue();
        return (eventId, reader.GetInt64(0), reader.GetInt64(1));
    }
}
