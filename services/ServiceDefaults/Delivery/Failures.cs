using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SocialDomain.ServiceDefaults.Delivery;

/// <summary>A message that breaks the contract of its type: it can never be applied, so retrying it is pointless.</summary>
public sealed class InvalidMessageException(string message) : Exception(message)
{
    public static void ThrowIfBroken(SocialDomain.Contracts.IIntegrationEvent e)
    {
        var violations = SocialDomain.Contracts.IntegrationEventContract.Violations(e);
        if (violations.Count > 0)
            throw new InvalidMessageException($"{e.GetType().Name} {e.EventId} breaks the contract: {string.Join("; ", violations)}.");
    }
}

/// <summary>
/// The one place that tells a failure that passes by itself (the store or the broker cannot be reached for a while)
/// from one that does not (the message, or the code). Consumers wait out the first kind and dead-letter only the
/// second: docs/reliability.md.
/// </summary>
public static class Failures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        InvalidMessageException or OperationCanceledException => false,
        PostgresException postgres => postgres.IsTransient || IsUnavailable(postgres.SqlState),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is { } inner && IsTransient(inner),
        // SQLITE_BUSY and SQLITE_LOCKED: another connection holds the file for now.
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        SocketException or TimeoutException or IOException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsTransient),
        _ => exception.InnerException is { } cause && IsTransient(cause),
    };

    /// <summary>
    /// The server is there but not taking work: a connection problem (class 08), shutting down or starting up (57P01
    /// to 57P03), or out of connections or resources (class 53). Npgsql counts only some of these as transient.
    /// </summary>
    private static bool IsUnavailable(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState is "57P01" or "57P02" or "57P03";
}
