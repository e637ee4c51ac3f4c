using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Relay;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// A history request that is taken again, after the broker's consumer timeout or a stopped instance ended the first
/// attempt, goes on where that attempt stopped instead of sending the whole log again (docs/relay.md).
/// </summary>
public sealed class HistoryResumeTests : EmbeddedPlatformTests
{
    private const string Subscriber = "history-resume-tests";

    [Fact]
    public async Task A_history_request_taken_again_goes_on_after_the_batches_an_earlier_attempt_sent()
    {
        var records = RealStackTests.TestPersons.Skip(78_000).Take(4_000)
            .Select(bsn => new { soort = "start", bsn, gemeente = "0363", productcategorie = "02", begindatum = "2025-01-01" }).ToArray();
        var batch = await Client.PostAsJsonAsync("/api/v1/wmo/provisions/batch", new { records }, Ct);
        batch.StatusCode.ShouldBe(HttpStatusCode.OK, await batch.Content.ReadAsStringAsync(Ct));
        var stored = await StoredEvents("wmo");
        var relay = Services.GetRequiredKeyedService<EventRelay>("wmo");
        var store = Services.GetRequiredKeyedService<IEventStore>("wmo");
        await Eventually.Get(() => store.ReadCheckpointAsync(relay.Name, Ct), p => p >= stored[^1].Position);

        var received = new ConcurrentDictionary<Guid, int>();
        var subscriber = Services.GetRequiredService<IBus>().ConnectReceiveEndpoint(Subscriber, e => e.Handler<ProvisionStarted>(c =>
        {
            received.AddOrUpdate(c.Message.EventId, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }));
        await subscriber.Ready;
        var request = new HistoryRequested(Subscriber, [new ReplayRoute(Subscriber, [nameof(ProvisionStarted)])], null);
        var id = NewId.NextGuid();

        // The first attempt ends as soon as it has recorded any progress, as a closed channel would end it.
        using var firstAttempt = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var stopper = Task.Run(async () =>
        {
            await Eventually.Get(() => store.ReadCheckpointAsync(relay.HistoryProgressName(id), Ct), p => p > LogPosition.Start);
            await firstAttempt.CancelAsync();
        }, Ct);
        try
        {
            await relay.ReplayHistory(request, id, firstAttempt.Token);
        }
        catch (OperationCanceledException) when (firstAttempt.IsCancellationRequested)
        {
        }
        await stopper;
        var resumed = await relay.ReplayHistory(request, id, Ct);

        resumed.ShouldBeLessThanOrEqualTo(stored.Count - 500, "the batches the first attempt had sent are not sent again");
        await Eventually.Get(() => Task.FromResult(received.Count), n => n >= stored.Count);
        received.Keys.ToHashSet().SetEquals(stored.Select(e => e.EventId)).ShouldBeTrue("every event of the log arrived");

        (await relay.ReplayHistory(request, NewId.NextGuid(), Ct)).ShouldBe(stored.Count, "another request gets the whole log");
        await subscriber.StopAsync(Ct);
    }
}
