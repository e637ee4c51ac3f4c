using System.Net.Http.Json;
using System.Text.Json;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Projections;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// The regisseur's worklist is the gemeente list of the households it coordinates: over HTTP on the embedded host,
/// and as a filter of the persisted list on both stores (pages and total count only those).
/// </summary>
public sealed class RegisseurWorklistTests : EmbeddedPlatformTests
{
    private static readonly Gemeentecode Utrecht = Gemeentecode.Parse("0344");

    [Fact]
    public async Task A_regisseurs_list_holds_the_households_it_coordinates_and_a_teamleiders_all()
    {
        var (anna1, anna2, bert, geen) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        string[] personen = ["111222333", "999990019", "123456782", "999990020"];
        foreach (var (id, bsn) in new[] { anna1, anna2, bert, geen }.Zip(personen))
            (await Client.PostAsJsonAsync($"/api/v1/households/{id}/members", new { bsn, gemeente = "0344", rol = "Ouder", van = "2020-01-01" }, Ct)).EnsureSuccessStatusCode();
        foreach (var (id, regisseur) in new[] { (anna1, "regisseur-anna"), (anna2, "regisseur-anna"), (bert, "regisseur-bert") })
            (await Client.PostAsJsonAsync($"/api/v1/households/{id}/regisseur", new { regisseurId = regisseur, naam = regisseur, van = "2025-01-01" }, Ct)).EnsureSuccessStatusCode();
        // Bert may look at one of Anna's households through a consent: that opens the member's provisions, not his list.
        (await Client.PostAsJsonAsync($"/api/v1/households/{anna1}/consents",
            new { gegevenDoor = "111222333", ontvanger = "regisseur-bert", wetten = new[] { "Wmo" }, van = "2025-01-01" }, Ct)).EnsureSuccessStatusCode();
        var teamleider = Host.As(Roles.Teamleider, "0344", "teamleider-dirk");
        await Eventually.Get(() => teamleider.GetFromJsonAsync<JsonElement>("/api/v1/gemeenten/0344/households", Ct),
            l => l.GetProperty("items").EnumerateArray().Count(h => h.GetProperty("regisseur").ValueKind == JsonValueKind.String) == 3);

        var anna = await List(Host.As(Roles.Regisseur, "0344", "regisseur-anna"), "pageSize=1");
        anna.Total.ShouldBe(2);
        anna.Ids.ShouldHaveSingleItem();
        (await List(Host.As(Roles.Regisseur, "0344", "regisseur-anna"), $"pageSize=1&cursor={anna.Next}")).Ids
            .Concat(anna.Ids).Order().ShouldBe(new[] { anna1, anna2 }.Order());
        (await List(Host.As(Roles.Regisseur, "0344", "regisseur-bert"), "")).Ids.ShouldBe([bert]);
        (await List(Host.As(Roles.Regisseur, "0344", "regisseur-carla"), "")).Total.ShouldBe(0);
        (await List(teamleider, "")).Ids.Order().ShouldBe(new[] { anna1, anna2, bert, geen }.Order());
    }

    [Theory]
    [MemberData(nameof(PersistedViewTests.Stores), MemberType = typeof(PersistedViewTests))]
    public async Task The_list_filtered_to_a_regisseur_pages_and_counts_only_its_households(string store)
    {
        TestDatabase? database = null;
        var file = Path.Combine(Path.GetTempPath(), $"sdp-worklist-{Guid.NewGuid():N}.db");
        EventStoreSettings settings;
        if (store == "sqlite") settings = new EventStoreSettings(StoreProvider.Sqlite, $"Data Source={file}", "projections");
        else
        {
            database = await TestInfrastructure.CreateDatabaseAsync();
            settings = new EventStoreSettings(StoreProvider.Postgres, database.ConnectionString, "projections");
        }
        var inbox = Inboxes.Create(settings);
        try
        {
            await inbox.InitializeAsync(Ct);
            var mine = new List<Guid>();
            for (var i = 0; i < 12; i++)
            {
                var id = Guid.NewGuid();
                var stream = $"household-{id}";
                await inbox.RecordHouseholdAsync(new HouseholdMemberJoined(Guid.NewGuid(), stream, 1, DateTimeOffset.UnixEpoch, Utrecht, id,
                    Bsn.Parse("111222333"), HouseholdRole.Ouder, new DateOnly(2020, 1, 1), null, null), Ct);
                // Every third household is Anna's, from a date in the past; one of the others becomes hers only next year.
                var (regisseur, van) = i % 3 == 0 ? ("regisseur-anna", new DateOnly(2025, 1, 1))
                    : i == 1 ? ("regisseur-anna", DateOnly.FromDateTime(DateTime.Today).AddYears(1)) : ("regisseur-bert", new DateOnly(2025, 1, 1));
                await inbox.RecordHouseholdAsync(new RegisseurAssigned(Guid.NewGuid(), stream, 2, DateTimeOffset.UnixEpoch, Utrecht, id, regisseur, regisseur, van), Ct);
                if (i % 3 == 0) mine.Add(id);
            }

            var query = new HouseholdListQuery(Utrecht, null, false, null, null, 0, 3, "regisseur-anna");
            var first = await inbox.ListAsync(query, Ct);
            first.Total.ShouldBe(4);
            var seen = first.Entries.ToList();
            var next = await inbox.ListAsync(query with { Na = new HouseholdListCursor(seen[^1].Signalen.Count, seen[^1].HouseholdId) }, Ct);
            seen.AddRange(next.Entries);
            seen.Select(e => e.HouseholdId).Order().ShouldBe(mine.Order());
            seen.ShouldAllBe(e => e.Relations.Regisseur == "regisseur-anna");
            (await inbox.ListAsync(query with { Regisseur = null, Take = 20 }, Ct)).Total.ShouldBe(12);
        }
        finally
        {
            if (inbox is IAsyncDisposable disposable) await disposable.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
            if (database is not null) await database.DisposeAsync();
        }
    }

    private async Task<(int? Total, List<Guid> Ids, string? Next)> List(HttpClient client, string query)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/gemeenten/0344/households?{query}", Ct);
        return (page.GetProperty("total").ValueKind == JsonValueKind.Number ? page.GetProperty("total").GetInt32() : null,
            [.. page.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("householdId").GetGuid())],
            page.GetProperty("nextCursor").GetString());
    }
}
