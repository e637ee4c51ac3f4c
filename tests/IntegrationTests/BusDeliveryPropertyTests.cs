using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SocialDomain.Contracts;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Projections;
using SocialDomain.ServiceDefaults.Access;
using SocialDomain.Views;
using SocialDomain.Wmo;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// Redelivery and reordering on the real broker change no view: households whose events travel in any order, some of
/// them twice, show exactly the view of their events folded once, in order.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class BusDeliveryPropertyTests : IAsyncLifetime
{
    private const int Households = 20;
    private static readonly Gemeentecode Utrecht = Gemeentecode.Parse("0344");
    private static readonly DateOnly Peildatum = new(2025, 6, 1);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestDatabase _database = null!;
    private RunningHost _projection = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync();
        await Distributed.PurgeProjectionQueuesAsync(TestContext.Current.CancellationToken);
        _projection = await RunningHost.StartAsync(ProjectionsService.Build(RunningHost.Args, RunningHost.With(Distributed.Settings(_database.ConnectionString))));
    }

    public async ValueTask DisposeAsync()
    {
        await _projection.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Any_order_and_any_repetition_on_the_bus_gives_the_view_of_the_events_folded_once()
    {
        var persons = RealStackTests.TestPersons.Skip(2_000).GetEnumerator();
        var scenarios = Enumerable.Range(0, Households).Select(_ => History(persons)).ToList();
        // One delivery for all households together: every event at a random place, a third of them twice.
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        var deliveries = scenarios.SelectMany(s => s.Household.Cast<IIntegrationEvent>().Concat(s.Provisions))
            .SelectMany(e => random.Next(3) == 0 ? new[] { e, e } : [e])
            .OrderBy(_ => random.Next()).ToList();

        foreach (var batch in deliveries.Chunk(25))
            await Task.WhenAll(batch.Select(Publish));

        var inbox = _projection.Services.GetRequiredService<IInbox>();
        var provisions = scenarios.Sum(s => s.Provisions.Length);
        (await Eventually.Get(() => inbox.CountAsync(Ct), n => n >= provisions, TimeSpan.FromSeconds(60))).ShouldBe(provisions, $"seed {seed}");
        deliveries.Count.ShouldBeGreaterThan(scenarios.Sum(s => s.Household.Length + s.Provisions.Length), "some events travel twice");
        foreach (var (household, events) in scenarios.Select(s => (s.Household[0].HouseholdId, s)))
        {
            var expected = Expected(events.Household, events.Provisions);
            var actual = await Eventually.Get(() => View(household), view => JsonNode.DeepEquals(view, expected), TimeSpan.FromSeconds(30));
            actual.ToJsonString().ShouldBe(expected.ToJsonString(), $"seed {seed}");
        }
    }

    private JsonNode Expected(IHouseholdEvent[] household, IProvisionEvent[] provisions)
    {
        var json = _projection.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var view = HouseholdResponse.From(HouseholdViews.Build(household, provisions, Peildatum), ProvisionScope.Everything);
        return JsonSerializer.SerializeToNode(view, json)!;
    }

    private async Task<JsonNode> View(Guid household) =>
        JsonNode.Parse(await _projection.Client.GetStringAsync($"/api/v1/households/{household}?date={Peildatum:yyyy-MM-dd}", Ct))!;

    private Task Publish(IIntegrationEvent e) =>
        _projection.Services.GetRequiredService<IBus>().Publish(e, e.GetType(), context => context.MessageId = e.EventId, Ct);

    /// <summary>A household of three with a regisseur, and their provisions under three laws, one of them ended.</summary>
    private static (IHouseholdEvent[] Household, IProvisionEvent[] Provisions) History(IEnumerator<string> persons)
    {
        Bsn Next() => persons.MoveNext() ? Bsn.Parse(persons.Current) : throw new InvalidOperationException("Out of test persons.");
        var (id, ouder, kind, broer) = (Guid.NewGuid(), Next(), Next(), Next());
        var stream = $"household-{id}";
        var at = new DateTimeOffset(2025, 1, 15, 9, 0, 0, TimeSpan.Zero);
        var (bijstand, jeugd, wmo) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        IHouseholdEvent[] household =
        [
            new HouseholdMemberJoined(Guid.NewGuid(), stream, 1, at, Utrecht, id, ouder, HouseholdRole.Ouder, new(2010, 1, 1), null, new(1980, 3, 1)),
            new HouseholdMemberJoined(Guid.NewGuid(), stream, 2, at, Utrecht, id, kind, HouseholdRole.Kind, new(2010, 1, 1), null, new(2012, 5, 1)),
            new HouseholdMemberJoined(Guid.NewGuid(), stream, 3, at, Utrecht, id, broer, HouseholdRole.Kind, new(2010, 1, 1), null, new(2014, 7, 1)),
            new RegisseurAssigned(Guid.NewGuid(), stream, 4, at, Utrecht, id, "regisseur-anna", "Anna", new(2024, 1, 1)),
            new HouseholdMemberLeft(Guid.NewGuid(), stream, 5, at, Utrecht, id, broer, new(2025, 3, 31)),
        ];
        IProvisionEvent[] provisions =
        [
            new ProvisionStarted(Guid.NewGuid(), $"provision-{bijstand}", 1, at, Utrecht, ParticipatiewetLaw.Law, bijstand, ouder, "01", null, null, new(2024, 1, 1), null),
            new ProvisionStarted(Guid.NewGuid(), $"provision-{jeugd}", 1, at, Utrecht, JeugdwetLaw.Law, jeugd, kind, "45", null, null, new(2024, 1, 1), null),
            new ProvisionEnded(Guid.NewGuid(), $"provision-{jeugd}", 2, at, Utrecht, JeugdwetLaw.Law, jeugd, kind, new(2024, 1, 1), new(2025, 4, 30), "31"),
            new ProvisionStarted(Guid.NewGuid(), $"provision-{wmo}", 1, at, Utrecht, WmoLaw.Law, wmo, broer, "02", null, null, new(2024, 1, 1), null),
        ];
        return (household, provisions);
    }
}
