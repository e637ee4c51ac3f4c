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

    /// <summary>
    /// Where the events not applied are, per store: past its relay's checkpoint (not yet published) or before it
    /// (published and confirmed, so held or lost by the broker or a consumer). For a failure report.
    /// </summary>
    public static async Task<string> LocateLostAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=5;Command Timeout=30");
        await connection.OpenAsync();
        var lines = new List<string>();
        foreach (var schema in new[] { "participatiewet", "wmo", "jeugdwet", "households" })
        {
            await using var command = new NpgsqlCommand($"""
                with c as (select coalesce((select (transaction_id, position) from {schema}.checkpoints limit 1), (0::bigint, 0::bigint)) as at),
                lost as (
                    select e.transaction_id, e.position from {schema}.events e
                    where e.type = any($1) and not exists (select 1 from projections.provision_events p where p.event_id = e.event_id)
                      and not exists (select 1 from projections.household_events h where h.event_id = e.event_id))
                select (select count(*) from lost),
                       (select count(*) from lost, c where (lost.transaction_id, lost.position) > c.at),
                       (select at::text from c),
                       (select max(position) from {schema}.events),
                       (select count(*) from {schema}.parked_events)
                """, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = IntegrationEvents });
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            lines.Add($"{schema}: {reader.GetInt64(0)} not applied, {reader.GetInt64(1)} of them past the relay checkpoint {reader.GetString(2)} " +
                      $"(last position {(reader.IsDBNull(3) ? "none" : reader.GetInt64(3))}, {reader.GetInt64(4)} parked)");
        }
        return string.Join('\n', lines);
    }

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
