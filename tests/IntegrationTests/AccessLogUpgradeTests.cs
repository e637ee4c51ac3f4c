using Microsoft.Data.Sqlite;
using SocialDomain.EventStore;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>An access log written before refusals were logged gains the outcome column on start, its rows kept as answered reads.</summary>
public sealed class AccessLogUpgradeTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"sdp-access-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task A_sqlite_access_log_without_the_outcome_column_is_upgraded_in_place()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var conn = new SqliteConnection($"Data Source={_file}"))
        {
            await conn.OpenAsync(ct);
            await using var cmd = conn.CreateCommand();
            // The table as the previous release created it.
            cmd.CommandText = """
                create table access_log (
                    id integer primary key autoincrement,
                    at text not null, user_id text not null, role text not null, service text not null,
                    resource text not null, bsn text, household_id text, doelbinding text);
                insert into access_log (at, user_id, role, service, resource, bsn)
                values ('2026-01-01T00:00:00.0000000+00:00', 'regisseur-anna', 'regisseur', 'projections', 'persons/stacking', '999990019');
                """;
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var log = AccessLogs.Create(new EventStoreSettings(StoreProvider.Sqlite, $"Data Source={_file}", "access"));

        await log.InitializeAsync(ct);
        await log.InitializeAsync(ct);
        await log.AppendAsync(new AccessEntry(DateTimeOffset.UtcNow, "regisseur-bert", "regisseur", "projections", "persons/stacking",
            "999990019", null, null, Uitkomsten.NietGevonden), ct);

        var (items, total) = await log.QueryAsync("999990019", null, null, 0, 10, ct);
        total.ShouldBe(2);
        items.Select(e => (e.UserId, e.Uitkomst)).ShouldBe([("regisseur-bert", Uitkomsten.NietGevonden), ("regisseur-anna", Uitkomsten.Toegestaan)]);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }
}
