using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SocialDomain.Contracts;
using SocialDomain.Embedded;
using SocialDomain.Projections;
using SocialDomain.Relay;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// The embedded host's in-memory bus loses what it holds when the host stops, after the relays checkpointed it: the
/// next start must still bring every stored event into the views.
/// </summary>
public sealed class EmbeddedRestartTests : IAsyncDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "sdp-" + Guid.NewGuid().ToString("N"));
    private static readonly string Bsn = RealStackTests.TestPersons.ElementAt(78_101);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_the_bus_held_when_the_host_stopped_reach_the_views_after_the_next_start()
    {
        Guid provision;
        // Stopped, not disposed, before the second starts: MassTransit keeps the first bus's logger factory in a static.
        await using var first = await Start();
        {
            using var notApplied = first.Services.GetRequiredService<IBus>().ConnectConsumeObserver(new ProvisionsNotApplied());
            var response = await first.Client.PostAsJsonAsync("/api/v1/wmo/provisions",
                new { bsn = Bsn, gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01" }, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
            provision = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("provisionId").GetGuid();
            var relay = first.Services.GetRequiredKeyedService<EventRelay>("wmo");
            await Eventually.Get(() => Task.FromResult(relay.Published), n => n >= 1);
            (await first.Services.GetRequiredService<IInbox>().CountAsync(Ct)).ShouldBe(0, "the first host applied nothing");
            await first.App.StopAsync(Ct);
        }

        await using var second = await Start();
        var inbox = second.Services.GetRequiredService<IInbox>();
        (await Eventually.Get(() => inbox.CountAsync(Ct), n => n >= 1)).ShouldBe(1);
        var stacking = await Eventually.Get(async () =>
        {
            var answer = await second.Client.PostAsJsonAsync("/api/v1/persons/stacking/zoeken", new { bsn = Bsn, date = "2025-06-01" }, Ct);
            return await answer.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        }, s => s.TryGetProperty("combinatie", out var c) && c.GetString() == "Alleen Wmo");
        stacking.GetProperty("provisionsPerLaw").GetProperty("Wmo").EnumerateArray().ShouldHaveSingleItem()
            .GetProperty("provisionId").GetGuid().ShouldBe(provision);
    }

    private Task<RunningHost> Start() =>
        RunningHost.StartAsync(EmbeddedHost.Build(RunningHost.Args,
            RunningHost.With(new Dictionary<string, string?> { ["Store:DataDirectory"] = _dataDirectory })));

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>The projection of the first host never applies a provision: each one is still on the bus when it stops.</summary>
    private sealed class ProvisionsNotApplied : IConsumeObserver
    {
        public Task PreConsume<T>(ConsumeContext<T> context) where T : class =>
            context.Message is IProvisionEvent ? throw new InvalidOperationException("not applied in this test") : Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
