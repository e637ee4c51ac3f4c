using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SocialDomain.Contracts;
using SocialDomain.Embedded;
using SocialDomain.EventStore;
using SocialDomain.Projections;
using SocialDomain.Provisions;
using SocialDomain.Relay;

namespace SocialDomain.IntegrationTests;

/// <summary>A fresh embedded platform (SQLite files in a temporary folder, the in-memory bus) for each test.</summary>
public abstract class EmbeddedPlatformTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "sdp-" + Guid.NewGuid().ToString("N"));
    private RunningHost _host = null!;

    protected RunningHost Host => _host;
    protected string DataDirectory => _dataDirectory;
    protected HttpClient Client => _host.Client;
    protected IServiceProvider Services => _host.Services;

    public async ValueTask InitializeAsync() =>
        _host = await RunningHost.StartAsync(EmbeddedHost.Build(RunningHost.Args, builder =>
        {
            RunningHost.With(new Dictionary<string, string?> { ["Store:DataDirectory"] = _dataDirectory })(builder);
            Configure(builder);
        }, laws: HostedLaws));

    /// <summary>The laws the host carries; the platform's when not overridden.</summary>
    protected virtual IReadOnlyList<LawDefinition>? HostedLaws => null;

    /// <summary>A test class's own additions to the host, such as a log capture.</summary>
    protected virtual void Configure(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
    {
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected async Task<Guid> Start(string law, object body)
    {
        var response = await Client.PostAsJsonAsync($"/api/v1/{law}/provisions", body, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("provisionId").GetGuid();
    }

    protected async Task<JsonElement> Stacking(string bsn, string date)
    {
        var response = await Client.PostAsJsonAsync("/api/v1/persons/stacking/zoeken", new { bsn, date }, Ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    /// <summary>The beheerder's search of the access log, newest first.</summary>
    protected async Task<JsonElement> AccessLog(object search)
    {
        var response = await Client.PostAsJsonAsync("/api/v1/access-log/zoeken", search, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    public static async Task<JsonElement> ShouldBeProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrEmpty();
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrEmpty();
        return problem;
    }

    /// <summary>The provision events in a law's store (not its internal client index).</summary>
    protected async Task<IReadOnlyList<StoredEvent>> StoredEvents(string law) =>
        [.. (await AllStored(law)).Where(e => ProvisionService.Published.Knows(e.Type))];

    protected Task<IReadOnlyList<StoredEvent>> AllStored(string law) =>
        Services.GetRequiredKeyedService<IEventStore>(law).ReadAllAsync(LogPosition.Start, 100_000, Ct);

    /// <summary>
    /// Waits until the projection's inbox holds every provision event the law stored for this person, so a view
    /// read next reflects all of them. Waiting for the view itself to look right can pass before the event it is
    /// about arrives: "no provision" is also what the view shows before anything arrived.
    /// </summary>
    protected async Task Projected(string law, string bsn)
    {
        var person = Bsn.Parse(bsn);
        var stored = (await StoredEvents(law)).Select(e => (IProvisionEvent)ProvisionService.Published.Deserialize(e))
            .Where(e => e.Bsn == person).Select(e => e.EventId).ToHashSet();
        stored.ShouldNotBeEmpty($"{law} stored nothing for {bsn}");
        var inbox = Services.GetRequiredService<IInbox>();
        var received = await Eventually.Get(async () => (await inbox.ReadPersonAsync(person, Ct)).Select(e => e.EventId).ToHashSet(),
            r => r.IsSupersetOf(stored));
        stored.Except(received).ShouldBeEmpty($"events of {law} for {bsn} that never reached the projection");
    }

    protected async Task NothingStoredOrPublished(string law)
    {
        (await AllStored(law)).ShouldBeEmpty();
        await Task.Delay(100, Ct);
        Services.GetRequiredKeyedService<EventRelay>(law).Published.ShouldBe(0);
        (await Services.GetRequiredService<IInbox>().CountAsync(Ct)).ShouldBe(0);
    }
}
