using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;
using SocialDomain.Contracts;
using SocialDomain.ServiceDefaults.Delivery;

namespace SocialDomain.UnitTests;

/// <summary>Which failures a consumer waits out and which send a message to the error queue; what every event must carry.</summary>
public sealed class DeliveryRulesTests
{
    public static TheoryData<string, Exception, bool> Failed => new()
    {
        { "connection refused", new NpgsqlException("refused", new SocketException((int)SocketError.ConnectionRefused)), true },
        { "connection dropped", new NpgsqlException("broken", new IOException("reset")), true },
        { "a command timed out", new NpgsqlException("timeout", new TimeoutException()), true },
        { "a socket error on its own", new SocketException((int)SocketError.ConnectionReset), true },
        { "the server shuts down", Postgres("57P01"), true },
        { "the server starts up", Postgres("57P03"), true },
        { "too many connections", Postgres("53300"), true },
        { "a connection failure", Postgres("08006"), true },
        { "a serialization failure", Postgres("40001"), true },
        { "SQLite busy", new SqliteException("busy", 5), true },
        { "a transient failure wrapped", new InvalidOperationException("outer", new TimeoutException()), true },
        { "a row that breaks a constraint", Postgres("23502"), false },
        { "a character jsonb refuses", Postgres("22P05"), false },
        { "a malformed message", new InvalidMessageException("no bsn"), false },
        { "a bug", new NullReferenceException(), false },
        { "shutting down", new OperationCanceledException(), false },
        { "SQLite constraint", new SqliteException("constraint", 19), false },
    };

    [Theory]
    [MemberData(nameof(Failed))]
    public void A_failure_is_waited_out_only_when_it_passes_by_itself(string what, Exception failure, bool transient) =>
        Failures.IsTransient(failure).ShouldBe(transient, what);

    private static PostgresException Postgres(string sqlState) => new("message", "ERROR", "ERROR", sqlState);

    [Fact]
    public void An_event_without_bsn_or_ids_breaks_the_contract_and_a_complete_one_does_not()
    {
        var complete = new ProvisionStarted(Guid.NewGuid(), "wmo-provision-1", 1, DateTimeOffset.UtcNow, Gemeentecode.Parse("0344"),
            new Law("Wmo"), Guid.NewGuid(), Bsn.Parse("999990019"), "02", null, null, new DateOnly(2025, 1, 1), null);

        IntegrationEventContract.Violations(complete).ShouldBeEmpty();
        IntegrationEventContract.Violations(complete with { Bsn = default }).ShouldBe(["bsn is missing"]);
        IntegrationEventContract.Violations(complete with { EventId = Guid.Empty, ProvisionId = Guid.Empty, Gemeente = default })
            .ShouldBe(["eventId is missing", "gemeente is missing", "provisionId is missing"], ignoreOrder: true);
        IntegrationEventContract.Violations(new HouseholdMemberLeft(Guid.NewGuid(), "household-1", 2, DateTimeOffset.UtcNow,
            Gemeentecode.Parse("0344"), Guid.NewGuid(), default, new DateOnly(2025, 1, 1))).ShouldBe(["bsn is missing"]);
        Should.Throw<InvalidMessageException>(() => InvalidMessageException.ThrowIfBroken(complete with { Bsn = default }));
    }
}
