using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocialDomain.EventStore;
using SocialDomain.Relay;
using SocialDomain.Contracts;
using SocialDomain.Provisions.IStandaarden;
using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.Provisions;

/// <summary>Registers and maps one law service; a host may carry several (the embedded host carries every law).</summary>
public static class LawService
{
    /// <summary>Builds the stand-alone service of one law: its own store, its relay, the bus, the API under /api/v1.</summary>
    public static WebApplication Build(string[] args, LawDefinition law, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var settings = builder.AddServiceDefaults(PlatformSettings.Distributed);
        builder.AddPlatformAccess(settings, law.Service);
        builder.AddPlatformBus(settings, _ => { });
        builder.AddLawService(law, settings);
        var app = builder.Build();
        app.MapServiceDefaults();
        var api = app.MapGroup(HostingExtensions.BasePath);
        app.MapLawService(law, api);
        api.MapAccessLog();
        return app;
    }

    public static void AddLawService(this WebApplicationBuilder builder, LawDefinition law, PlatformSettings settings, RelayOptions? relay = null)
    {
        Laws.Register(law.Description);
        var key = law.Service;
        builder.Services.AddEventSourcedService(key, settings.StoreFor(key), ProvisionService.Published, relay);
        builder.Services.AddKeyedSingleton(key, (sp, _) =>
            new ProvisionService(law, sp.GetRequiredKeyedService<IEventStore>(key), sp.GetRequiredService<TimeProvider>()));
    }

    public static void MapLawService(this IEndpointRouteBuilder app, LawDefinition law, RouteGroupBuilder group)
    {
        var key = law.Service;
        ProvisionService Service(HttpContext http) => http.RequestServices.GetRequiredKeyedService<ProvisionService>(key);
        group.MapRelayOperations(key);
        var api = group.MapGroup("").WithTags(law.Naam).WithProblems();

        api.MapPost("/provisions", async Task<Results<Created<ProvisionResponse>, Ok<ProvisionResponse>, NoContent>> (HttpContext http, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.PostProvisions, new AccessTarget.Platform());
                var request = await JsonBody.Read<StartProvisionRequest>(http.Request, Json(http));
                MayPostFor(http, request.Gemeente, "gemeente");
                var outcome = await ProcessOne(Service(http), request.ToCommand(), http, ct);
                var provision = await Service(http).Get(outcome.ProvisionId!.Value, ct);
                if (provision is null) return TypedResults.NoContent();
                var response = provision.ToResponse(law, outcome.Warnings);
                if (!request.IsNew) return TypedResults.Ok(response);
                return TypedResults.Created($"{http.Request.PathBase}{http.Request.Path}/{provision.First.ProvisionId}", response);
            })
            .WithName($"{key}-start-provision")
            .WithSummary($"Start a provision under the {law.Naam} (or withdraw a start: statusAanlevering 3)")
            .WithDescription($"Start een voorziening onder de {law.Naam}: antwoordt 201 met de voorziening en haar pad als Location. " +
                "Met statusAanlevering \"3\" trekt het de eerdere start met deze sleutel in (200; 404 wanneer er geen is), met \"9\" verandert er niets (200); 204 wanneer er na een intrekking geen voorziening meer is.")
            .Accepts<StartProvisionRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/provisions/{id:guid}/end", async (Guid id, HttpContext http, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.PostProvisions, new AccessTarget.Platform());
                var request = await JsonBody.Read<EndProvisionRequest>(http.Request, Json(http));
                var (found, events) = await Service(http).History(id, ct);
                // Ending a provision you may not see answers as if it did not exist.
                var current = found is not null && Allows(http, AccessAction.ReadProvisions, events) ? found : throw NoStart();
                MayPostFor(http, current.First.Gemeente.Value, "gemeente");
                var period = current.State.Actual ?? current.State.Perioden[^1];
                var start = current.State.StartOf(period);
                var command = new StopCommand(new ProvisionKey(start.Bsn.Value, start.Gemeente.Value, start.Productcategorie,
                    start.ProductCode, start.ToewijzingNummer, period.Begindatum), request.Einddatum, request.RedenBeeindiging);
                await ProcessOne(Service(http), command, http, ct);
                return TypedResults.Ok((await Service(http).Get(id, ct))!.ToResponse(law));
            })
            .WithName($"{key}-end-provision")
            .WithSummary($"End a provision under the {law.Naam}")
            .WithDescription($"Beëindigt een voorziening onder de {law.Naam}, aangewezen met haar id: de einddatum en de reden beëindiging.")
            .Accepts<EndProvisionRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/provisions/batch", async (HttpContext http, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.PostProvisions, new AccessTarget.Platform());
                var request = await JsonBody.Read<BatchRequest>(http.Request, Json(http));
                if (request.Records is not { Count: > 0 } records) throw ApiProblem.Invalid("records", "At least one record is required.");
                var commands = records.Select((r, i) => r.ToCommand() ?? throw ApiProblem.Invalid($"records[{i}].soort", "Soort is 'start' or 'stop'.")).ToList();
                for (var i = 0; i < records.Count; i++) MayPostFor(http, records[i].Gemeente, $"records[{i}].gemeente");
                var outcomes = await Process(Service(http), commands, allOrNothing: true, http, ct);
                var refused = outcomes.Where(o => !o.Accepted).ToList();
                if (refused.Count > 0) throw BatchRefused(refused);
                return TypedResults.Ok(new BatchResponse(outcomes.Count, [.. outcomes.Select(o => o.ProvisionId)],
                    [.. outcomes.SelectMany(o => o.Warnings.Select(w => new BatchWarning(o.Index, w)))]));
            })
            .WithName($"{key}-provisions-batch")
            .WithSummary("Starts and stops in bulk, in one transaction: all are stored, or none when any is refused")
            .WithDescription($"Starts en stops onder de {law.Naam} in bulk, in één transactie: alle worden opgeslagen, of geen enkele wanneer er één wordt geweigerd (errors noemt de records).")
            .Accepts<BatchRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/provisions/{id:guid}", async (Guid id, HttpContext http, CancellationToken ct) =>
            {
                http.Reads($"{law.Service}/provisions/{id}");
                http.Authorize(AccessAction.ReadProvisionHistory, new AccessTarget.Platform());
                var (found, events) = await Service(http).History(id, ct);
                var provision = found is not null && Allows(http, AccessAction.ReadProvisionHistory, events) ? found : throw NotFound();
                await http.RecordAccess($"{law.Service}/provisions/{id}", provision.First.Bsn.Value);
                return TypedResults.Ok(provision.ToResponse(law));
            })
            .RecordsRefusedReads()
            .WithName($"{key}-get-provision")
            .WithSummary($"One provision under the {law.Naam}")
            .WithDescription($"Eén voorziening onder de {law.Naam} met haar perioden; 404 ook wanneer de vrager haar niet mag zien.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/provisions/{id:guid}/history", async (Guid id, HttpContext http, CancellationToken ct) =>
            {
                http.Reads($"{law.Service}/provisions/{id}/history");
                http.Authorize(AccessAction.ReadProvisionHistory, new AccessTarget.Platform());
                var (provision, events) = await Service(http).History(id, ct);
                var first = events.Where(e => ProvisionService.Published.Knows(e.Type)).Select(e => ProvisionService.Published.Deserialize(e))
                    .OfType<ProvisionStarted>().FirstOrDefault();
                if (first is null || !Allows(http, AccessAction.ReadProvisionHistory, events)) throw NotFound();
                await http.RecordAccess($"{law.Service}/provisions/{id}/history", first.Bsn.Value);
                return TypedResults.Ok(new ProvisionHistoryResponse(provision?.ToResponse(law), [.. events
                    .Where(e => ProvisionService.Published.Knows(e.Type))
                    .Select(e =>
                    {
                        var metadata = EventSerializer.Metadata(e);
                        return new HistoryEntry(e.EventId, e.Version, e.Type, e.CreatedAt, metadata.Source, metadata.Actor,
                            metadata.ActorRole, metadata.Agb, metadata.Afzender, metadata.CorrelationId,
                            System.Text.Json.JsonDocument.Parse(e.Data).RootElement);
                    })]));
            })
            .RecordsRefusedReads()
            .WithName($"{key}-provision-history")
            .WithSummary("A provision with every event recorded for it: what, when, by whom")
            .WithDescription($"Een voorziening onder de {law.Naam} met elke gebeurtenis die ervoor is vastgelegd: wat, wanneer en door wie.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/clients/provisions/zoeken", async (HttpContext http, CancellationToken ct) =>
            {
                http.Reads($"{law.Service}/clients/provisions");
                http.Authorize(AccessAction.ReadProvisions, new AccessTarget.Platform());
                var request = await JsonBody.Read<ClientProvisionsSearch>(http.Request, Json(http));
                var errors = new FieldErrors();
                if (!Contracts.Bsn.TryParse(request.Bsn, out var client, out var bsnError)) errors.Add("bsn", bsnError);
                var paging = Paging.From(request.Page, request.PageSize, defaultSize: 20, maxSize: 100, errors);
                errors.ThrowIfAny();
                var all = await ClientProvisions(http, client, ct);
                return TypedResults.Ok(new ResultPage<ProvisionResponse>(
                    [.. all.Skip(paging.Skip).Take(paging.PageSize).Select(p => p.ToResponse(law))], paging.Page, paging.PageSize, all.Count));
            })
            .RecordsRefusedReads()
            .WithName($"{key}-client-provisions-search")
            .WithSummary($"The provisions of one client under the {law.Naam}, newest first, paged (page 1 to {Paging.MaxPage}, pageSize 1 to 100, default 20); the BSN travels in the body, not the URL")
            .WithDescription($"De voorzieningen van één cliënt onder de {law.Naam}, nieuwste eerst, per pagina. Het BSN staat in de body, niet in de URL.")
            .Accepts<ClientProvisionsSearch>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/clients/{bsn}/provisions", async (string bsn, int? page, int? pageSize, HttpContext http, CancellationToken ct) =>
            {
                http.Reads($"{law.Service}/clients/provisions");
                http.Authorize(AccessAction.ReadProvisions, new AccessTarget.Platform());
                var errors = new FieldErrors();
                if (!Contracts.Bsn.TryParse(bsn, out var client, out var bsnError)) errors.Add("bsn", bsnError);
                var paging = Paging.From(page, pageSize, defaultSize: 20, maxSize: 100, errors);
                errors.ThrowIfAny();
                var all = await ClientProvisions(http, client, ct);
                var (number, size) = (paging.Page, paging.PageSize);
                var path = $"{http.Request.PathBase}{http.Request.Path}";
                string Link(int p) => $"{path}?page={p}&pageSize={size}";
                return TypedResults.Ok(new Paged<ProvisionResponse>(
                    [.. all.Skip(paging.Skip).Take(size).Select(p => p.ToResponse(law))], number, size, all.Count,
                    new PageLinks(Link(number), number * size < all.Count && number < Paging.MaxPage ? Link(number + 1) : null,
                        number > 1 ? Link(number - 1) : null)));
            })
            .RecordsRefusedReads()
            .DeprecatedFor($"{key}-client-provisions-search", Deprecation.BsnInUrl)
            .WithName($"{key}-client-provisions")
            .WithSummary($"Deprecated (a BSN in the URL): use POST /clients/provisions/zoeken")
            .WithDescription("Verouderd (een BSN in de URL): gebruik POST /clients/provisions/zoeken. Werkt tot 2027-06-04.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        async Task<List<Provision>> ClientProvisions(HttpContext http, Bsn client, CancellationToken ct)
        {
            var caller = Caller.From(http);
            var all = (await Service(http).ForClient(client, ct))
                .Where(p => AccessPolicy.Decide(caller, AccessAction.ReadProvisions, p.Target).Allowed).Select(p => p.Provision).ToList();
            await http.RecordAccess($"{law.Service}/clients/provisions", client.Value);
            return all;
        }

        if (law.IStandaard is not { } standaard) return;

        api.MapPost("/berichten", async Task<RetourResult> (HttpContext http, CancellationToken ct) =>
            {
                if (http.Request.ContentType?.Split(';')[0].Trim() is not ("application/xml" or "text/xml"))
                    throw new ApiProblem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the message as application/xml.");
                IStandaardBericht bericht;
                try
                {
                    bericht = await IStandaardBericht.ParseAsync(http.Request.Body, standaard.Law, IStandaardBericht.DefaultMaxBytes, ct);
                }
                catch (BerichtAfgekeurd afgekeurd)
                {
                    throw new ApiProblem(StatusCodes.Status400BadRequest, "Message refused",
                        "The message is not a valid iStandaarden message; nothing was processed.",
                        new Dictionary<string, string[]> { ["bericht"] = [.. afgekeurd.Reasons] }, CommandOutcome.Afgekeurd);
                }
                http.Authorize(AccessAction.PostMessages, new AccessTarget.Message(
                    Gemeentecode.TryParse(bericht.Header.Ontvanger, out var ontvanger, out _) ? ontvanger : default, bericht.Header.Afzender));
                var metadata = http.Provenance(law.Service) with { Afzender = bericht.Header.Afzender };
                return await Process(Service(http), bericht.Commands, allOrNothing: false, http, metadata,
                    outcomes => Task.Run(() => new RetourResult(Retour.Render(bericht, outcomes)), ct), ct);
            })
            .WithName($"{key}-bericht")
            .WithSummary($"Process an {standaard.Omschrijving} message; answers with a retour listing a retourcode per product")
            .WithDescription($"Verwerkt een {standaard.Omschrijving}-bericht (application/xml) en antwoordt met een retourbericht met per product een retourcode.")
            .Accepts<string>("application/xml")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    /// <summary>Whether the caller posts for this gemeente; an invalid gemeente is left to the validation, which names it.</summary>
    private static void MayPostFor(HttpContext http, string? gemeente, string field)
    {
        if (!Gemeentecode.TryParse(gemeente, out var code, out _)) return;
        var decision = AccessPolicy.Decide(Caller.From(http), AccessAction.PostProvisions, new AccessTarget.InGemeente(code));
        if (!decision.Allowed)
            throw new ApiProblem(StatusCodes.Status403Forbidden, "Not your gemeente", $"Refused: {decision.Reason}.",
                new Dictionary<string, string[]> { [field] = [$"Gemeente {code} is not yours."] });
    }

    private static bool Allows(HttpContext http, AccessAction action, IReadOnlyList<StoredEvent> stream) =>
        ProvisionService.AccessTargetOf(stream) is { } target && AccessPolicy.Decide(Caller.From(http), action, target).Allowed;

    private static async Task<CommandOutcome> ProcessOne(ProvisionService service, ProvisionCommand command, HttpContext http, CancellationToken ct)
    {
        var outcome = (await Process(service, [command], allOrNothing: true, http, ct))[0];
        return outcome.Accepted ? outcome : throw Problem(outcome);
    }

    private static Task<IReadOnlyList<CommandOutcome>> Process(ProvisionService service, IReadOnlyList<ProvisionCommand> commands,
        bool allOrNothing, HttpContext http, CancellationToken ct) =>
        Process(service, commands, allOrNothing, http, http.Provenance(service.Law.Service), Task.FromResult, ct);

    /// <summary>Records about an existing provision are decided only for a caller who may read it: a care provider changes its own.</summary>
    private static async Task<T> Process<T>(ProvisionService service, IReadOnlyList<ProvisionCommand> commands,
        bool allOrNothing, HttpContext http, EventMetadata metadata, Func<IReadOnlyList<CommandOutcome>, Task<T>> answer, CancellationToken ct)
    {
        var caller = Caller.From(http);
        try
        {
            return await service.Process(commands, allOrNothing, metadata, answer, ct,
                target => AccessPolicy.Decide(caller, AccessAction.ReadProvisions, target).Allowed);
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

    /// <summary>A search of one client's provisions: the BSN in the body, so it stays out of URLs and their logs.</summary>
    public sealed record ClientProvisionsSearch(string? Bsn, int? Page, int? PageSize);

    private static System.Text.Json.JsonSerializerOptions Json(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

}
