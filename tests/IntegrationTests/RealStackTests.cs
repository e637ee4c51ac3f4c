using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Projections;
using SocialDomain.Provisions;
using SocialDomain.Wmo;
using SocialDomain.Contracts;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// The three law services and the projection as separate hosts, each with its own bus connection, on the real
/// PostgreSQL and RabbitMQ. They share only the broker and the database server, as in production.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RealStackTests : IAsyncLifetime
{
    private static readonly LawDefinition[] Laws = [ParticipatiewetLaw.Definition, WmoLaw.Definition, JeugdwetLaw.Definition];
    private static readonly DateOnly Begin = new(2025, 1, 1);
    private static readonly DateOnly Einddatum = new(2025, 3, 31);

    private TestDatabase _database = null!;
    private readonly Dictionary<string, RunningHost> _lawServices = new();
    private RunningHost? _projection;
    private RunningHost _households = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync();
        await Distributed.PurgeProjectionQueuesAsync(TestContext.Current.CancellationToken);
        foreach (var law in Laws)
            _lawServices[law.Service] = await RunningHost.StartAsync(LawService.Build(RunningHost.Args, law, RunningHost.With(Settings())));
        _households = await RunningHost.StartAsync(Households.HouseholdsService.Build(RunningHost.Args, RunningHost.With(Settings())));
        _projection = await StartProjection();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _lawServices.Values) await host.DisposeAsync();
        await _households.DisposeAsync();
        if (_projection is not null) await _projection.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Starts_and_ends_posted_to_all_three_services_reach_the_projection_once_even_across_a_projection_restart()
    {
        var persons = TestPersons.Take(36).ToList();
        var plan = persons.Select((bsn, i) => (Bsn: bsn, Laws: Laws.Where((_, l) => ((i % 7) + 1 & (1 << l)) != 0).ToList(), EndsWmo: i % 2 == 0)).ToList();
        var expectedEvents = 0;

        // First half while the projection runs, the rest while it is down, then it comes back.
        foreach (var (person, index) in plan.Select((p, i) => (p, i)))
        {
            if (index == plan.Count / 2)
            {
                await _projection!.DisposeAsync();
                _projection = null;
            }
            foreach (var law in person.Laws)
            {
                var id = await Start(law, person.Bsn);
                expectedEvents++;
                if (law == WmoLaw.Definition && person.EndsWmo)
                {
                    await End(law, id);
                    expectedEvents++;
                }
            }
        }
        _projection = await StartProjection();

        var inbox = _projection.Services.GetRequiredService<IInbox>();
        var recorded = await Eventually.Get(() => inbox.CountAsync(TestContext.Current.CancellationToken), n => n >= expectedEvents, TimeSpan.FromSeconds(60));
        recorded.ShouldBe(expectedEvents);

        foreach (var person in plan)
        {
            var expected = Combination(person.Laws);
            (await Stacking(person.Bsn, Begin.AddDays(40))).ShouldBe(expected, $"person {plan.IndexOf(person)} during");
            var afterEnd = person.EndsWmo ? person.Laws.Where(l => l != WmoLaw.Definition).ToList() : person.Laws;
            (await Stacking(person.Bsn, Einddatum.AddDays(1))).ShouldBe(Combination(afterEnd), $"person {plan.IndexOf(person)} after the Wmo end");
        }

        // Nothing arrives twice afterwards either: the relays have nothing left to send.
        await Task.Delay(500, TestContext.Current.CancellationToken);
        (await inbox.CountAsync(TestContext.Current.CancellationToken)).ShouldBe(expectedEvents);
    }

    [Fact]
    public async Task A_household_from_the_households_service_and_provisions_from_two_laws_meet_in_the_projection()
    {
        var household = Guid.NewGuid();
        var (ouder, kind) = (TestPersons.ElementAt(500), TestPersons.ElementAt(501));
        foreach (var (bsn, rol) in new[] { (ouder, "Ouder"), (kind, "Kind") })
            (await _households.Client.PostAsJsonAsync($"/api/v1/households/{household}/members",
                new { bsn, gemeente = "0344", rol, van = "2020-01-01", wijk = "WK034402" }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        (await _households.Client.PostAsJsonAsync($"/api/v1/households/{household}/regisseur",
            new { regisseurId = "regisseur-anna", naam = "Anna", van = "2025-01-01" }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        await Start(JeugdwetLaw.Definition, kind);
        await Start(ParticipatiewetLaw.Definition, ouder);

        var regisseur = _projection!.As(ServiceDefaults.Access.Roles.Regisseur, "0344", "regisseur-anna");
        var view = await Eventually.Get(() => regisseur.GetFromJsonAsync<JsonElement>($"/api/v1/households/{household}?date=2025-06-01",
            TestContext.Current.CancellationToken), v => v.GetProperty("combinatie").GetString() == "Jeugd en P-wet", TimeSpan.FromSeconds(30));

        view.GetProperty("combinatie").GetString().ShouldBe("Jeugd en P-wet");
        view.GetProperty("wijk").GetString().ShouldBe("WK034402");
        view.GetProperty("leden").GetArrayLength().ShouldBe(2);
    }

    private Dictionary<string, string?> Settings() => Distributed.Settings(_database.ConnectionString);

    private async Task<RunningHost> StartProjection() =>
        await RunningHost.StartAsync(ProjectionsService.Build(RunningHost.Args, RunningHost.With(Settings())));

    private async Task<Guid> Start(LawDefinition law, string bsn)
    {
        var categorie = law.Productcategorieen.Keys.First();
        var response = await _lawServices[law.Service].Client.PostAsJsonAsync("/api/v1/provisions",
            new { bsn, gemeente = "0344", productcategorie = categorie, begindatum = Begin }, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("provisionId").GetGuid();
    }

    private async Task End(LawDefinition law, Guid id)
    {
        var response = await _lawServices[law.Service].Client.PostAsJsonAsync($"/api/v1/provisions/{id}/end",
            new { einddatum = Einddatum, redenBeeindiging = "02" }, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private async Task<string> Stacking(string bsn, DateOnly date)
    {
        var response = await _projection!.Client.PostAsJsonAsync("/api/v1/persons/stacking/zoeken", new { bsn, date },
            TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("combinatie").GetString()!;
    }

    private static string Combination(IEnumerable<LawDefinition> laws) =>
        laws.Aggregate(Contracts.LawSet.None, (set, law) => set | Contracts.LawSets.ToSet(law.Law)).CbsLabel();

    /// <summary>Test BSNs: 999xxxxxx numbers that pass the 11-proef.</summary>
    public static IEnumerable<string> TestPersons =>
        Enumerable.Range(0, 1_000_000).Select(n => $"999{n:D6}").Where(b => Contracts.Bsn.TryParse(b, out _, out _));
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RabbitMqCollection
{
    /// <summary>Tests on the broker share its queues, so they take turns.</summary>
    public const string Name = "RabbitMQ";
}
