using Npgsql;

namespace SocialDomain.FaultTests;

/// <summary>
/// What the views must hold, computed independently from the stores: every integration event in the three law
/// services' and the Households service's event tables (each written only for an accepted request; events internal
/// to a service, such as its client index, are never published), against what the projection applied (its inbox,
/// one row per event id it folded into its views).
/// </summary>
public sealed record Ledger(long Stored, long StoredTwice, long Applied, long Lost, long Unknown, long AppliedTwice)
{
    private static readonly string[] IntegrationEvents = [.. typeof(SocialDomain.Contracts.IIntegrationEvent).Assembly.GetTypes()
        .Where(t => t.IsClass && typeof(SocialDomain.Contracts.IIntegrationEvent).IsAssignableFrom(t)).Select(t => t.Name)];

    public static async Task<Ledger> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=5;Command Timeout=30");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            with stored as (
                select event_id from (
                    select event_id, type from participatiewet.events union all select event_id, type from wmo.events
                    union all select event_id, type from jeugdwet.events union all select event_id, type from households.events) e
                where type = any($1)),
            applied as (
                select event_id from projections.provision_events union all select event_id from projections.household_events)
            select (select count(*) from stored),
                   (select count(*) - count(distinct event_id) from stored),
                   (select count(*) from applied),
                   (select count(*) from (select event_id from stored except select event_id from applied) lost),
                   (select count(*) from (select event_id from applied except select event_id from stored) unknown),
                   (select count(*) - count(distinct event_id) from applied)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = IntegrationEvents });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Ledger(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
    }

    public bool CaughtUp => Lost == 0;

    /// <summary>Waits until the projection applied every stored event, or the limit passed; how long it took (null: not within the limit).</summary>
    public static async Task<(Ledger, TimeSpan?)> WaitUntilCaughtUpAsync(string connectionString, TimeSpan limit)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            Ledger? ledger = null;
            try { ledger = await ReadAsync(connectionString); }
            catch (Exception e) when (e is NpgsqlException or TimeoutException) { }
            if (ledger is { CaughtUp: true }) return (ledger, watch.Elapsed);
            if (watch.Elapsed > limit) return (ledger ?? await ReadAsync(connectionString), null);
            await Task.Delay(250);
        }
    }
}
