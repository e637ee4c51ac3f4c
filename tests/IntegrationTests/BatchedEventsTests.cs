using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Projections;
using SocialDomain.ServiceDefaults.Delivery;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// Every household test again, with the relays sending several events per message (<c>Relay:EventsPerMessage</c>):
/// the views must come out the same. And what the projection does with a batch it is sent, and how a batch is traced.
/// </summary>
public sealed class HouseholdTestsWithEventsInBatches : HouseholdTests
{
    private readonly ConcurrentBag<Type> _consumed = [];

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Relay:EventsPerMessage"] = "20" });

    [Fact]
    public async Task The_relays_send_batches_and_no_event_travels_alone()
    {
        Services.GetRequiredService<IBus>().ConnectConsumeObserver(new Observer(_consumed));
        await AGezinWithJeugdhulpAndBijstand();

        var inbox = Services.GetRequiredService<IInbox>();
        (await Eventually.Get(() => inbox.CountAsync(Ct), n => n >= 2)).ShouldBe(2);
        await Eventually.Get(() => Task.FromResult(_consumed.Count(t => t == typeof(IntegrationEventBatch))), n => n >= 2);
        _consumed.ShouldAllBe(t => t == typeof(IntegrationEventBatch), "provision and household events alike travel in batches");
    }

    [Fact]
    public async Task A_batch_with_one_broken_event_is_refused_whole_and_changes_nothing()
    {
        var recorder = Services.GetRequiredService<InboxRecorder>();
        var good = Started("999990020");
        var broken = Data(Started("999990032"));
        broken["streamId"] = "";

        var refused = await Should.ThrowAsync<InvalidMessageException>(() => recorder.RecordAsync(new IntegrationEventBatch("wmo",
            [Batched(good), new BatchedEvent(Guid.Parse(broken["eventId"]!.GetValue<string>()), nameof(ProvisionStarted), Json(broken))]), Ct));

        refused.Message.ShouldContain("streamId is missing");
        (await Services.GetRequiredService<IInbox>().CountAsync(Ct)).ShouldBe(0, "the good event of the batch is not recorded either");
    }

    [Fact]
    public async Task An_event_whose_data_do_not_carry_its_id_is_refused()
    {
        var recorder = Services.GetRequiredService<InboxRecorder>();
        var e = Started("999990020");

        await Should.ThrowAsync<InvalidMessageException>(() => recorder.RecordAsync(new IntegrationEventBatch("wmo",
            [Batched(e) with { EventId = Guid.NewGuid() }]), Ct));

        (await Services.GetRequiredService<IInbox>().CountAsync(Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task A_batch_sent_again_is_applied_once_and_a_type_the_projection_does_not_take_is_passed_over()
    {
        var recorder = Services.GetRequiredService<InboxRecorder>();
        var metrics = Services.GetRequiredService<ProjectionMetrics>();
        var events = new[] { Started("999990020"), Started("999990032"), Started("999990044") };
        var batch = new IntegrationEventBatch("wmo",
            [.. events.Select(Batched), new BatchedEvent(Guid.NewGuid(), "ToekomstigEvent", JsonSerializer.SerializeToElement(new { iets = 1 }))]);

        await recorder.RecordAsync(batch, Ct);
        await recorder.RecordAsync(batch, Ct);

        (await Services.GetRequiredService<IInbox>().CountAsync(Ct)).ShouldBe(3);
        metrics.AppliedCount.ShouldBe(3);
        metrics.DuplicateCount.ShouldBe(3);
        (await Stacking("999990032", "2025-06-01")).GetProperty("combinatie").GetString().ShouldBe("Alleen Wmo");
    }

    private static ProvisionStarted Started(string bsn)
    {
        var provision = Guid.NewGuid();
        return new ProvisionStarted(Guid.NewGuid(), $"provision-{provision:N}", 0, DateTimeOffset.UtcNow, Gemeentecode.Parse("0344"),
            SocialDomain.Wmo.WmoLaw.Law, provision, Bsn.Parse(bsn), "02", null, null, new DateOnly(2025, 1, 1), null);
    }

    private static JsonObject Data(ProvisionStarted e) => JsonSerializer.SerializeToNode(e, EventSerializer.Json)!.AsObject();

    private static JsonElement Json(JsonNode node) => JsonSerializer.SerializeToElement(node);

    private static BatchedEvent Batched(ProvisionStarted e) => new(e.EventId, nameof(ProvisionStarted), Json(Data(e)));

    private sealed class Observer(ConcurrentBag<Type> consumed) : IConsumeObserver
    {
        public Task PreConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (context.Message is IntegrationEventBatch or IIntegrationEvent) consumed.Add(typeof(T));
            return Task.CompletedTask;
        }

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}

/// <summary>
/// How a batch is traced. Not beside other tests: every host in the test process records the spans of every host (the
/// listeners are process-wide) and the beheer page keeps the last <see cref="ServiceDefaults.RecentTelemetry.SpansKept"/>,
/// so beside parallel tests a trace can be pushed out before it is asked for.
/// </summary>
[Collection(TracesCollection.Name)]
public sealed class BatchedEventTraceTests : EmbeddedPlatformTests
{
    private readonly TelemetryCapture _capture = new();

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Relay:EventsPerMessage"] = "20" });
        _capture.AddTo(builder);
    }

    [Fact]
    public async Task The_relays_publish_and_the_projections_record_link_to_the_request_that_stored_the_event()
    {
        var request = ActivityTraceId.CreateRandom();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/wmo/provisions")
        {
            Content = JsonContent.Create(new { bsn = "999990020", gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01" }),
        };
        post.Headers.Add("traceparent", $"00-{request.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        (await Client.SendAsync(post, Ct)).EnsureSuccessStatusCode();

        bool LinksToRequest(Activity span) => span.Links.Any(l => l.Context.TraceId == request);
        var record = await Eventually.Get(() => Task.FromResult(_capture.Spans.Where(s => s.DisplayName == "projection record" && LinksToRequest(s)).ToList()),
            spans => spans.Count > 0);
        record.ShouldHaveSingleItem().TraceId.ShouldNotBe(request, "the record belongs to the batch's message, and links to the request");
        _capture.Spans.Where(s => s.DisplayName == "relay publish" && LinksToRequest(s)).ShouldHaveSingleItem()
            .GetTagItem("sdp.events").ShouldBe(1);

        // The beheerder asking for the request's trace also gets the message's, which carried the event to the view.
        Func<JsonElement, bool> carriedToTheView = t => t.GetProperty("traceId").GetString() == record[0].TraceId.ToHexString()
            && t.GetProperty("spans").EnumerateArray().Any(s => s.GetProperty("name").GetString() == "projection record");
        var traces = (await Eventually.Get(() => Client.GetFromJsonAsync<JsonElement>($"/api/v1/beheer/telemetry/traces?traceId={request.ToHexString()}", Ct),
            t => t.GetProperty("traces").EnumerateArray().Any(carriedToTheView))).GetProperty("traces").EnumerateArray().ToList();
        traces.Count.ShouldBeGreaterThanOrEqualTo(2);
        traces.ShouldContain(t => carriedToTheView(t));
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracesCollection
{
    public const string Name = "Traces";
}
