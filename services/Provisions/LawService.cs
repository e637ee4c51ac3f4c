using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocialDomain.EventStore;
using SocialDomain.Relay;
using SocialDomain.ServiceDefaults;

namespace SocialDomain.Provisions;

/// <summary>Registers and maps one law service; a host may carry several (the embedded host carries all three).</summary>
public static class LawService
{
    /// <summary>Builds the stand-alone service of one law: its own store, its relay, the bus, the API under /api/v1.</summary>
    public static WebApplication Build(string[] args, LawDefinition law, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var settings = builder.AddServiceDefaults(PlatformSettings.Distributed);
        builder.AddPlatformBus(settings, _ => { });
        builder.AddLawService(law, settings);
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapLawService(law, app.MapGroup(HostingExtensions.BasePath));
        return app;
    }

    public static void AddLawService(this WebApplicationBuilder builder, LawDefinition law, PlatformSettings settings, RelayOptions? relay = null)
    {
        var key = law.Service;
        builder.Services.AddKeyedSingleton<IEventStore>(key, (_, _) => settings.StoreFor(law.Service).Create());
        builder.Services.AddKeyedSingleton(key, (sp, _) =>
            new ProvisionService(law, sp.GetRequiredKeyedService<IEventStore>(key), sp.GetRequiredService<TimeProvider>()));
        // Registered as plain IHostedService instances: AddHostedService would keep only one relay per host.
        builder.Services.AddSingleton<IHostedService>(sp => new StoreInitializer(sp.GetRequiredKeyedService<IEventStore>(key)));
        builder.Services.AddKeyedSingleton(key, (sp, _) => new EventRelay($"{law.Service}-relay",
            sp.GetRequiredKeyedService<IEventStore>(key), ProvisionService.Published, sp.GetRequiredService<MassTransit.IBus>(),
            relay ?? new RelayOptions(), sp.GetRequiredService<ILogger<EventRelay>>()));
        builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredKeyedService<EventRelay>(key));
    }

    public static void MapLawService(this IEndpointRouteBuilder app, LawDefinition law, RouteGroupBuilder group)
    {
        var key = law.Service;
        ProvisionService Service(HttpContext http) => http.RequestServices.GetRequiredKeyedService<ProvisionService>(key);
        var api = group.MapGroup("").WithTags(law.Naam).WithProblems();

        api.MapPost("/provisions", async (HttpContext http, CancellationToken ct) =>
            {
                var request = await JsonBody.Read<StartProvisionRequest>(http.Request, Json(http));
                var outcome = await ProcessOne(Service(http), request.ToCommand(), http, ct);
                var provision = await Service(http).Get(outcome.ProvisionId!.Value, ct);
                if (provision is null) return Results.NoContent();
                var response = provision.ToResponse(law, outcome.Warnings);
                return request.StatusAanlevering is null or (int)StatusAanlevering.Eerste
                    ? Results.Created($"{http.Request.PathBase}{http.Request.Path}/{provision.First.ProvisionId}", response)
                    : Results.Ok(response);
            })
            .WithName($"{key}-start-provision")
            .WithSummary($"Start a provision under the {law.Naam} (or withdraw a start: statusAanlevering 3)")
            .Accepts<StartProvisionRequest>("application/json")
            .Produces<ProvisionResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/provisions/{id:guid}/end", async (Guid id, HttpContext http, CancellationToken ct) =>
            {
                var request = await JsonBody.Read<EndProvisionRequest>(http.Request, Json(http));
                var current = await Service(http).Get(id, ct) ?? throw NoStart();
                var period = current.Actual ?? current.Perioden[^1];
                var start = period.Start;
                var command = new StopCommand(new ProvisionKey(start.Bsn.Value, start.Gemeente.Value, start.Productcategorie,
                    start.ProductCode, start.ToewijzingNummer, period.Begindatum), request.Einddatum, request.RedenBeeindiging);
                await ProcessOne(Service(http), command, http, ct);
                return Results.Ok((await Service(http).Get(id, ct))!.ToResponse(law));
            })
            .WithName($"{key}-end-provision")
            .WithSummary($"End a provision under the {law.Naam}")
            .Accepts<EndProvisionRequest>("application/json")
            .Produces<ProvisionResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/provisions/batch", async (HttpContext http, CancellationToken ct) =>
            {
                var request = await JsonBody.Read<BatchRequest>(http.Request, Json(http));
                if (request.Records is not { Count: > 0 } records) throw ApiProblem.Invalid("records", "At least one record is required.");
                var commands = records.Select((r, i) => r.ToCommand() ?? throw ApiProblem.Invalid($"records[{i}].soort", "Soort is 'start' or 'stop'.")).ToList();
                var outcomes = await Process(Service(http), commands, allOrNothing: true, http, ct);
                var refused = outcomes.Where(o => !o.Accepted).ToList();
                if (refused.Count > 0) throw BatchRefused(refused);
                return Results.Ok(new BatchResponse(outcomes.Count, [.. outcomes.Select(o => o.ProvisionId)],
                    [.. outcomes.SelectMany(o => o.Warnings.Select(w => new BatchWarning(o.Index, w)))]));
            })
            .WithName($"{key}-provisions-batch")
            .WithSummary("Starts and stops in bulk, in one transaction: all are stored, or none when any is refused")
            .Accepts<BatchRequest>("application/json")
            .Produces<BatchResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/provisions/{id:guid}", async (Guid id, HttpContext http, CancellationToken ct) =>
                await Service(http).Get(id, ct) is { } provision ? Results.Ok(provision.ToResponse(law)) : throw NotFound())
            .WithName($"{key}-get-provision")
            .WithSummary($"One provision under the {law.Naam}")
            .Produces<ProvisionResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/provisions/{id:guid}/history", async (Guid id, HttpContext http, CancellationToken ct) =>
            {
                var (provision, events) = await Service(http).History(id, ct);
                if (events.Count == 0) throw NotFound();
                return Results.Ok(new ProvisionHistoryResponse(provision?.ToResponse(law), [.. events
                    .Where(e => ProvisionService.Published.Knows(e.Type))
                    .Select(e =>
                    {
                        var metadata = EventSerializer.Metadata(e);
                        return new HistoryEntry(e.EventId, e.Version, e.Type, e.CreatedAt, metadata.Source, metadata.Actor,
                            metadata.CorrelationId, System.Text.Json.JsonDocument.Parse(e.Data).RootElement);
                    })]));
            })
            .WithName($"{key}-provision-history")
            .WithSummary("A provision with every event recorded for it: what, when, by whom")
            .Produces<ProvisionHistoryResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/clients/{bsn}/provisions", async (string bsn, int? page, int? pageSize, HttpContext http, CancellationToken ct) =>
            {
                var errors = new FieldErrors();
                if (!Contracts.Bsn.TryParse(bsn, out var client, out var bsnError)) errors.Add("bsn", bsnError);
                if (page < 1) errors.Add("page", "Pages count from 1.");
                if (pageSize is < 1 or > 100) errors.Add("pageSize", "A page holds 1 to 100 items.");
                errors.ThrowIfAny();
                var (number, size) = (page ?? 1, pageSize ?? 20);
                var all = await Service(http).ForClient(client, ct);
                var path = $"{http.Request.PathBase}{http.Request.Path}";
                string Link(int p) => $"{path}?page={p}&pageSize={size}";
                return Results.Ok(new Paged<ProvisionResponse>(
                    [.. all.Skip((number - 1) * size).Take(size).Select(p => p.ToResponse(law))], number, size, all.Count,
                    new PageLinks(Link(number), number * size < all.Count ? Link(number + 1) : null, number > 1 ? Link(number - 1) : null)));
            })
            .WithName($"{key}-client-provisions")
            .WithSummary($"The provisions of one client under the {law.Naam}, newest first, paged")
            .Produces<Paged<ProvisionResponse>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static async Task<CommandOutcome> ProcessOne(ProvisionService service, ProvisionCommand command, HttpContext http, CancellationToken ct)
    {
        var outcome = (await Process(service, [command], allOrNothing: true, http, ct))[0];
        return outcome.Accepted ? outcome : throw Problem(outcome);
    }

    private static async Task<IReadOnlyList<CommandOutcome>> Process(ProvisionService service, IReadOnlyList<ProvisionCommand> commands,
        bool allOrNothing, HttpContext http, CancellationToken ct)
    {
        try
        {
            return await service.Process(commands, allOrNothing, MetadataOf(http, service.Law), ct);
        }
        catch (ConcurrentChangeException ex)
        {
            throw new ApiProblem(StatusCodes.Status409Conflict, "Concurrent change", ex.Message);
        }
    }

    /// <summary>A refused record as a problem: field errors are a 400, a rule of the iStandaarden a 409 with its retourcode.</summary>
    private static ApiProblem Problem(CommandOutcome outcome) => outcome.Retourcode switch
    {
        CommandOutcome.Afgekeurd => ApiProblem.Invalid(outcome.Errors, outcome.Retourcode),
        "9069" or "9063" when outcome.ProvisionId is null =>
            new ApiProblem(StatusCodes.Status404NotFound, "No such provision", outcome.Message!, retourcode: outcome.Retourcode),
        _ => new ApiProblem(StatusCodes.Status409Conflict, Retourcodes.Title(outcome.Retourcode), outcome.Message!, retourcode: outcome.Retourcode),
    };

    private static ApiProblem BatchRefused(IEnumerable<CommandOutcome> refused)
    {
        var list = refused.ToList();
        var errors = new Dictionary<string, string[]>();
        foreach (var outcome in list)
        {
            if (outcome.Errors.Count > 0)
                foreach (var (field, messages) in outcome.Errors) errors[$"records[{outcome.Index}].{field}"] = messages;
            else errors[$"records[{outcome.Index}]"] = [$"{outcome.Retourcode}: {outcome.Message}"];
        }
        var invalid = list.Any(o => o.Retourcode == CommandOutcome.Afgekeurd);
        return new ApiProblem(invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict, "Batch refused",
            $"{list.Count} record(s) refused; nothing was stored. See errors, keyed by record index.", errors);
    }

    private static ApiProblem NoStart() =>
        new(StatusCodes.Status404NotFound, "No such provision", "There is no start with this key.", retourcode: "9069");

    private static ApiProblem NotFound() =>
        new(StatusCodes.Status404NotFound, "No such provision", "There is no provision with this id.");

    private static System.Text.Json.JsonSerializerOptions Json(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

    /// <summary>Who sent it: the X-Afzender header (an AGB code or system name) until access control names the caller.</summary>
    private static EventMetadata MetadataOf(HttpContext http, LawDefinition law) =>
        new(law.Service, http.Request.Headers["X-Correlation-ID"].FirstOrDefault() ?? http.TraceIdentifier,
            Actor: http.Request.Headers["X-Afzender"].FirstOrDefault());

    private sealed class StoreInitializer(IEventStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
