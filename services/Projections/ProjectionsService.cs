using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.HttpResults;
using SocialDomain.Contracts;
using SocialDomain.Platform;
using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Access;
using SocialDomain.ServiceDefaults.Delivery;
using SocialDomain.Views;

namespace SocialDomain.Projections;

/// <summary>The projection service: consumes the integration events of all laws and answers the views.</summary>
public static class ProjectionsService
{
    public const string Name = "projections";
    public const string ProvisionEventsQueue = $"{Name}-provision-events";
    public const string HouseholdEventsQueue = $"{Name}-household-events";

    /// <summary>The projection's queues on the broker, one per consumer.</summary>
    public static readonly IReadOnlyList<string> Queues = [ProvisionEventsQueue, HouseholdEventsQueue];

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        PlatformLaws.Register();
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var settings = builder.AddServiceDefaults(PlatformSettings.Distributed);
        builder.AddPlatformAccess(settings, Name);
        builder.AddPlatformBus(settings, x => x.AddProjectionConsumers());
        builder.AddProjections(settings);
        var app = builder.Build();
        app.MapServiceDefaults();
        var api = app.MapGroup(HostingExtensions.BasePath);
        app.MapProjections(api);
        api.MapAccessLog();
        return app;
    }

    public static void AddProjectionConsumers(this IBusRegistrationConfigurator bus)
    {
        // Many messages in flight let the inbox commit them in groups (see GroupCommit). Batches of events share the
        // provision events' queue: a batch may hold household events too, which the same recorder takes. Household
        // events may be applied in any order: the views order a household's events by their stream version.
        static Action<IEndpointRegistrationConfigurator> Endpoint(string queue) => e =>
        {
            e.Name = queue;
            e.PrefetchCount = 512;
            e.ConcurrentMessageLimit = 512;
        };
        bus.AddConsumer<ProvisionEventsConsumer>().Endpoint(Endpoint(ProvisionEventsQueue));
        bus.AddConsumer<IntegrationEventBatchConsumer>().Endpoint(Endpoint(ProvisionEventsQueue));
        bus.AddConsumer<HouseholdEventsConsumer>().Endpoint(Endpoint(HouseholdEventsQueue));
        bus.AddConfigureEndpointsCallback((context, name, cfg) =>
        {
            // A store outage never reaches this retry: the StoreGate waits it out. What does is a failure of the message
            // or of the code; a few quick tries get past a race, then the message goes to the error queue for a person
            // to look at (docs/reliability.md). A message that breaks the contract goes there at once.
            cfg.UseMessageRetry(r =>
            {
                r.Ignore<InvalidMessageException>();
                r.Intervals(200, 1000, 3000);
            });
        });
    }

    public static void AddProjections(this WebApplicationBuilder builder, PlatformSettings settings)
    {
        var signalOptions = builder.Configuration.GetSection("Signalen").Get<SignalOptions>() ?? new SignalOptions();
        builder.Services.AddSingleton(signalOptions);
        builder.Services.AddSingleton(sp => Inboxes.Create(settings.StoreFor(Name), sp.GetRequiredService<TimeProvider>(), signalOptions));
        builder.Services.AddSingleton<ProjectionMetrics>();
        builder.Services.AddSingleton<InboxRecorder>();
        builder.Services.AddSingleton(sp => new StoreGate(sp.GetRequiredService<IInbox>().PingAsync, sp.GetRequiredService<ILogger<StoreGate>>(),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IHostedService>(sp => new EventSourcing.Initializer(sp.GetRequiredService<IInbox>().InitializeAsync));
        // After the initializer: hosted services start in order, so the views exist by then.
        builder.Services.AddHostedService<ViewRefresher>();
        HistoryCatchUp.Register(builder.Services, settings.StoreFor(Name), builder.Configuration);
        var health = builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("projection-store",
            sp => new StoreCheck(sp.GetRequiredService<StoreGate>(), sp.GetRequiredService<IInbox>().PingAsync), HealthStatus.Unhealthy, ["ready"]));
        if (settings.Bus != BusTransport.RabbitMq) return;
        builder.Services.AddSingleton(new BrokerQueues(settings.RabbitMq));
        health.Add(new HealthCheckRegistration("projection-queues", sp => new QueueCheck(sp.GetRequiredService<BrokerQueues>(), Queues,
            builder.Configuration.GetValue("Health:ConsumerLagDegraded", 10_000L)), HealthStatus.Unhealthy, ["ready"]));
    }

    public static void MapProjections(this IEndpointRouteBuilder app, RouteGroupBuilder group)
    {
        group.MapHouseholdViews();
        group.MapErrorQueues(Queues);
        group.MapViewAdministration();
        app.MapRegisseurPage();
        group.MapPost("/persons/stacking/zoeken", async (HttpContext http, IInbox inbox, TimeProvider clock, CancellationToken ct) =>
            {
                var request = await JsonBody.Read<StackingSearch>(http.Request, EventStore.EventSerializer.Json);
                var errors = new FieldErrors();
                if (!Bsn.TryParse(request.Bsn, out var person, out var bsnError)) errors.Add("bsn", bsnError);
                var date = errors.Datum("date", request.Date);
                errors.ThrowIfAny();
                return await Stacking(http, inbox, person, date ?? Inboxes.Today(clock), ct);
            })
            .WithProblems()
            .RecordsRefusedReads()
            .WithTags("Stapeling")
            .WithName("person-stacking-search")
            .WithSummary("A person's active provisions per law on a date (default today), and the law combination; the BSN travels in the body, not the URL")
            .WithDescription("De actieve voorzieningen van een persoon per wet op een datum (standaard vandaag) en de combinatie van wetten; alleen wat de vrager mag zien. Het BSN staat in de body, niet in de URL.")
            .Accepts<StackingSearch>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/persons/{bsn}/stacking", async (string bsn, string? date, HttpContext http, IInbox inbox, TimeProvider clock, CancellationToken ct) =>
            {
                var errors = new FieldErrors();
                if (!Bsn.TryParse(bsn, out var person, out var bsnError)) errors.Add("bsn", bsnError);
                var peildatum = Inboxes.Today(clock);
                if (date is not null && !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out peildatum))
                    errors.Add("date", "A date is written as YYYY-MM-DD.");
                else if (Invoer.Datum(peildatum) is { } dateError) errors.Add("date", dateError);
                errors.ThrowIfAny();
                return await Stacking(http, inbox, person, peildatum, ct);
            })
            .WithProblems()
            .RecordsRefusedReads()
            .DeprecatedFor("person-stacking-search", Deprecation.BsnInUrl)
            .WithTags("Stapeling")
            .WithName("person-stacking")
            .WithSummary("Deprecated (a BSN in the URL): use POST /persons/stacking/zoeken")
            .WithDescription("Verouderd (een BSN in de URL): gebruik POST /persons/stacking/zoeken. Werkt tot 2027-06-04.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public sealed record StackingSearch(string? Bsn, DateOnly? Date);

    private static async Task<Ok<PersonStackingResponse>> Stacking(HttpContext http, IInbox inbox, Bsn person, DateOnly peildatum, CancellationToken ct)
    {
        http.Reads("persons/stacking", person.Value);
        var households = (await inbox.EntriesAsync(await inbox.HouseholdsOfAsync(person, ct), ct)).Select(e => e.Relations).ToList();
        var visible = http.Authorize(AccessAction.ReadPersonStacking, new AccessTarget.Person(person, households)).Scope;

        // Provisions outside the caller's scope stay out of the stacking itself, so the combination does not give them away.
        var provisions = (await inbox.TimelinesAsync([person], ct)).Where(p => visible.Shows(p.Bsn, p.Law));
        var stacking = PersonStacking.At(provisions, peildatum);
        await http.RecordAccess("persons/stacking", person.Value);
        return TypedResults.Ok(PersonStackingResponse.From(person, stacking));
    }
}

public sealed record PersonStackingResponse(
    string Bsn,
    DateOnly Date,
    string Combinatie,
    bool Gestapeld,
    IReadOnlyList<string> Laws,
    IReadOnlyDictionary<string, IReadOnlyList<ActiveProvisionResponse>> ProvisionsPerLaw)
{
    public static PersonStackingResponse From(Bsn bsn, PersonStacking stacking) => new(
        bsn.Value,
        stacking.Peildatum,
        stacking.Combinatie,
        stacking.Gestapeld,
        // Every law shown, including one this build does not know; only the combination leaves that out.
        [.. stacking.Active.Select(p => p.Law.ToString()).Distinct()],
        stacking.Active.GroupBy(p => p.Law).ToDictionary(g => g.Key.ToString(),
            g => (IReadOnlyList<ActiveProvisionResponse>)[.. g.Select(ActiveProvisionResponse.From(stacking.Peildatum))]));
}

public sealed record ActiveProvisionResponse(
    Guid ProvisionId,
    string Gemeente,
    string Productcategorie,
    string ProductcategorieNaam,
    string? ToewijzingNummer,
    DateOnly Begindatum,
    DateOnly? Einddatum)
{
    public static Func<ProvisionTimeline, ActiveProvisionResponse> From(DateOnly peildatum) => t =>
    {
        var period = t.Perioden.First(p => p.Covers(peildatum));
        return new ActiveProvisionResponse(t.ProvisionId, t.Gemeente.Value, t.Productcategorie,
            Contracts.Productcategorie.NaamOf(t.Law, t.Productcategorie), t.ToewijzingNummer, period.Begindatum, period.Einddatum);
    };
}
