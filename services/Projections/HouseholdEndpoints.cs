using System.Globalization;
using SocialDomain.Contracts;
using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Access;
using SocialDomain.Views;

namespace SocialDomain.Projections;

/// <summary>The regisseur's household view, the search by BSN, and the team lead's list of households.</summary>
public static class HouseholdEndpoints
{
    public sealed record SearchRequest(string? Bsn);

    /// <summary>The households found by a search.</summary>
    public sealed record SearchResponse(IReadOnlyList<Guid> Households);

    public sealed record HouseholdSummary(Guid HouseholdId, string? Wijk, int Leden, string Combinatie, IReadOnlyList<string> Signalen,
        string? Regisseur, bool Toegang);

    public static void MapHouseholdViews(this RouteGroupBuilder group)
    {
        var api = group.MapGroup("").WithTags("Huishoudens").WithProblems();

        api.MapGet("/households/{id:guid}", async (Guid id, string? date, HttpContext http, IInbox inbox, TimeProvider clock, SignalOptions options,
                CancellationToken ct) =>
            {
                http.Reads($"households/{id}", householdId: id);
                var peildatum = Peildatum(date, clock);
                var events = await inbox.ReadHouseholdAsync(id, ct);
                var relations = HouseholdRelations.On(events, Today(clock)) ?? throw NotFound();
                var visible = http.Authorize(AccessAction.ReadHouseholdView, new AccessTarget.Household(relations)).Scope;
                var members = events.OfType<HouseholdMemberJoined>().Select(j => j.Bsn).Distinct().ToList();
                // Hidden provisions stay out of the view itself, so no combination or signal gives them away.
                var provisions = (await inbox.ReadPersonsAsync(members, ct)).Where(p => visible.Shows(p.Bsn, p.Law));
                var view = HouseholdViews.Build(events, provisions, peildatum, options);
                await http.RecordAccess($"households/{id}", householdId: id);
                return TypedResults.Ok(HouseholdResponse.From(view, visible));
            })
            .RecordsRefusedReads()
            .WithName("household-view")
            .WithSummary("One household whole on a date (default today): members, provisions across laws, stacking, regisseur, plan")
            .WithDescription("Eén huishouden als geheel op een datum (standaard vandaag): leden, voorzieningen over de wetten heen, stapeling, regisseur, plan, betrokkenen en toestemmingen; alleen de voorzieningen die de vrager mag zien. 404 ook wanneer de vrager het huishouden niet mag zien.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/households/zoeken", async (HttpContext http, IInbox inbox, TimeProvider clock, CancellationToken ct) =>
            {
                http.Reads("households/zoeken");
                http.Authorize(AccessAction.SearchHouseholds, new AccessTarget.Platform());
                var request = await JsonBody.Read<SearchRequest>(http.Request, EventStore.EventSerializer.Json);
                if (!Bsn.TryParse(request.Bsn, out var bsn, out var error)) throw ApiProblem.Invalid("bsn", error);
                var caller = Caller.From(http);
                var found = new List<Guid>();
                foreach (var id in await inbox.HouseholdsOfAsync(bsn, ct))
                    if (HouseholdRelations.On(await inbox.ReadHouseholdAsync(id, ct), Today(clock)) is { } relations
                        && AccessPolicy.Decide(caller, AccessAction.SearchHouseholds, new AccessTarget.Household(relations)).Allowed)
                        found.Add(id);
                await http.RecordAccess("households/zoeken", bsn.Value);
                return TypedResults.Ok(new SearchResponse(found));
            })
            .RecordsRefusedReads()
            .WithName("household-search")
            .WithSummary("The households you may see that a person belongs or belonged to (the BSN travels in the body, not the URL)")
            .WithDescription("De huishoudens die de vrager mag zien waartoe een persoon hoort of hoorde. Het BSN staat in de body, niet in de URL.")
            .Accepts<SearchRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/gemeenten/{gemeente}/households", async (string gemeente, bool? gestapeld, bool? signalen, int? page, int? pageSize, HttpContext http,
                IInbox inbox, TimeProvider clock, SignalOptions options, CancellationToken ct) =>
            {
                var errors = new FieldErrors();
                if (!Gemeentecode.TryParse(gemeente, out var code, out var gemeenteError)) errors.Add("gemeente", gemeenteError);
                var paging = Paging.From(page, pageSize, defaultSize: 20, maxSize: 100, errors);
                http.Reads("gemeenten/households");
                http.Authorize(AccessAction.ListGemeenteHouseholds, new AccessTarget.Platform());
                errors.ThrowIfAny();
                http.Reads($"gemeenten/{code}/households");
                http.Authorize(AccessAction.ListGemeenteHouseholds, new AccessTarget.InGemeente(code));
                var caller = Caller.From(http);
                var today = Today(clock);
                var summaries = new List<HouseholdSummary>();
                foreach (var id in await inbox.HouseholdsInAsync(code, ct))
                {
                    var events = await inbox.ReadHouseholdAsync(id, ct);
                    var members = events.OfType<HouseholdMemberJoined>().Select(j => j.Bsn).Distinct().ToList();
                    var view = HouseholdViews.Build(events, await inbox.ReadPersonsAsync(members, ct), today, options);
                    if ((gestapeld == true && !view.Gestapeld) || (signalen == true && view.Signalen.Count == 0)) continue;
                    summaries.Add(new HouseholdSummary(id, view.Wijk?.Value, view.Leden.Count, view.Combinatie, view.Signalen,
                        view.Regisseur?.Naam, HouseholdRelations.On(events, today) is { } relations
                            && AccessPolicy.Decide(caller, AccessAction.ReadHouseholdView, new AccessTarget.Household(relations)).Allowed));
                }
                await http.RecordAccess($"gemeenten/{code}/households");
                var ordered = summaries.OrderByDescending(s => s.Signalen.Count).ThenBy(s => s.HouseholdId).ToList();
                return TypedResults.Ok(new ResultPage<HouseholdSummary>([.. ordered.Skip(paging.Skip).Take(paging.PageSize)], paging.Page, paging.PageSize, ordered.Count));
            })
            .RecordsRefusedReads()
            .WithName("gemeente-households")
            .WithSummary("Households of a gemeente with their law combination and signals, for a team lead; no BSNs, paged; gestapeld=true for households with provisions under more than one law, signalen=true for households with signals; page 1 to 100000, pageSize 1 to 100 (default 20)")
            .WithDescription("De huishoudens van een gemeente met hun combinatie van wetten en signalen, voor een teamleider; zonder BSN's, per pagina. gestapeld=true alleen huishoudens met voorzieningen onder meer dan één wet, signalen=true alleen huishoudens met signalen.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static DateOnly Peildatum(string? date, TimeProvider clock)
    {
        if (date is null) return Today(clock);
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            throw ApiProblem.Invalid("date", "A date is written as YYYY-MM-DD.");
        return Invoer.Datum(parsed) is { } error ? throw ApiProblem.Invalid("date", error) : parsed;
    }

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetLocalNow().Date);

    private static ApiProblem NotFound() =>
        new(StatusCodes.Status404NotFound, "No such household", "There is no household with this id that you may see.");
}
