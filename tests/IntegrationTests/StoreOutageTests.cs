using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using SocialDomain.Provisions;
using SocialDomain.Wmo;

namespace SocialDomain.IntegrationTests;

/// <summary>A law service whose database is away answers 503 with Retry-After, and takes the same request once it is back.</summary>
public sealed class StoreOutageTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestDatabase _database = null!;
    private TcpProxy _proxy = null!;
    private RunningHost _wmo = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync();
        var direct = new NpgsqlConnectionStringBuilder(_database.ConnectionString);
        _proxy = new TcpProxy(direct.Host!, direct.Port);
        _wmo = await RunningHost.StartAsync(LawService.Build(RunningHost.Args, WmoLaw.Definition, RunningHost.With(new Dictionary<string, string?>
        {
            ["Store:Provider"] = "Postgres",
            ["Bus:Transport"] = "InMemory",
            ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Host = "127.0.0.1", Port = _proxy.Port }.ConnectionString,
        })));
    }

    public async ValueTask DisposeAsync()
    {
        await _wmo.DisposeAsync();
        await _proxy.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_write_while_the_database_is_away_answers_503_with_retry_after_and_succeeds_when_it_is_back()
    {
        var start = new { bsn = "999990019", gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01" };

        _proxy.Cut();
        var during = await _wmo.Client.PostAsJsonAsync("/api/v1/provisions", start, Ct);
        _proxy.Restore();
        var after = await _wmo.Client.PostAsJsonAsync("/api/v1/provisions", start, Ct);

        (await EmbeddedPlatformTests.ShouldBeProblem(during, HttpStatusCode.ServiceUnavailable)).GetProperty("traceId").GetString().ShouldNotBeNullOrEmpty();
        during.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(5));
        after.StatusCode.ShouldBe(HttpStatusCode.Created, await after.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Readiness_says_the_store_is_away_while_it_is_and_ready_again_when_it_is_back()
    {
        _proxy.Cut();
        var during = await _wmo.Anonymous().GetAsync("/health/ready", Ct);
        _proxy.Restore();
        var after = await Eventually.Get(() => _wmo.Anonymous().GetAsync("/health/ready", Ct), r => r.IsSuccessStatusCode, TimeSpan.FromSeconds(30));

        during.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var store = (await during.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("checks").GetProperty("wmo-store");
        store.GetProperty("status").GetString().ShouldBe("Unhealthy");
        store.GetProperty("description").GetString().ShouldBe("The store does not answer.");
        (await after.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("checks").GetProperty("wmo-store").GetProperty("status").GetString().ShouldBe("Healthy");
    }
}
