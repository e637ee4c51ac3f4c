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

    /// <summary>
    /// A page of the gemeente list; <see cref="NextCursor"/> asks for the page after it, null on the last page. A page
    /// asked after a cursor has neither a number nor a total: counting is the slow part of a page in a large gemeente.
    /// </summary>
    public sealed record HouseholdListResponse(IReadOnlyList<HouseholdSummary> Items, int? Page, int PageSize, int? Total, string? NextCursor);

    public static void MapHouseholdViews(this RouteGroupBuilder group)
    {
        var api = group.MapGroup("").WithTags("Huishoudens").WithProblems();

        api.MapGet("/households/{id:guid}", async (Guid id, string? date, HttpContext http, IInbox inbox, TimeProvider clock, SignalOptions options,
                CancellationToken ct) =>
            {
                http.Reads($"households/{id}", householdId: id);
                var peildatum = Peildatum(date, clock);
                // One indexed lookup: the household's events and its members' timelines, kept together by the views.
                var state = await inbox.HouseholdStateAsync(id, ct) ?? throw NotFound();
                var relations = HouseholdRelations.On(state.Events, Inboxes.Today(clock)) ?? throw NotFound();
                var visible = http.Authorize(AccessAction.ReadHouseholdView, new AccessTarget.Household(relations)).Scope;
                // Hidden provisions stay out of the view itself, so no combination or signal gives them away.
                var provisions = state.Timelines.Where(p => visible.Shows(p.Bsn, p.Law)).ToList();
                var view = HouseholdViews.Build(state.Events, provisions, peildatum, options);
                await http.RecordAccess($"households/{id}", householdId: id);
                return TypedResults.Ok(HouseholdResponse.From(view, visible));
            })
            .RecordsRefusedReads()
            .WithName("household-view")
            .WithSummary("One household whole on a date (default today): members, provisions across laws, stacking, regisseur, plan")
            .WithDescription("Eén huishouden als geheel op een datum (standaard vandaag): leden, voorzieningen over de wetten heen, stapeling, regisseur, plan, betrokkenen en toestemmingen; alleen de voorzieningen die de vrager mag zien. 404 ook wanneer de vrager het huishouden niet mag zien.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/households/zoeken", async (HttpContext http, IInbox inbox, CancellationToken ct) =>
            {
                http.Reads("households/zoeken");
                http.Authorize(AccessAction.SearchHouseholds, new AccessTarget.Platform());
                var request = await JsonBody.Read<SearchRequest>(http.Request, EventStore.EventSerializer.Json);
                if (!Bsn.TryParse(request.Bsn, out var bsn, out var error)) throw ApiProblem.Invalid("bsn", error);
                var caller = Caller.From(http);
                var found = (await inbox.EntriesAsync(await inbox.HouseholdsOfAsync(bsn, ct), ct))
                    .Where(e => AccessPolicy.Decide(caller, AccessAction.SearchHouseholds, new AccessTarget.Household(e.Relations)).Allowed)
                    .Select(e => e.HouseholdId).ToList();
                await http.RecordAccess("households/zoeken", bsn.Value);
                return TypedResults.Ok(new SearchResponse(found));
            })
            .RecordsRefusedReads()
            .WithName("household-search")
            .WithSummary("The households you may see that a person belongs or belonged to (the BSN travels in the body, not the URL)")
            .WithDescription("De huishoudens die de vrager mag zien waartoe een persoon hoort of hoorde. Het BSN staat in de body, niet in de URL.")
            .Accepts<SearchRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/gemeenten/{gemeente}/households", async (string gemeente, bool? gestapeld, bool? signalen, string? wijk, int? page, int? pageSize,
                string? cursor, HttpContext http, IInbox inbox, CancellationToken ct) =>
            {
                var errors = new FieldErrors();
                if (!Gemeentecode.TryParse(gemeente, out var code, out var gemeenteError)) errors.Add("gemeente", gemeenteError);
                var paging = Paging.From(page, pageSize, defaultSize: 20, maxSize: 100, errors);
                WijkCode? inWijk = null;
                if (wijk is not null)
                {
                    if (WijkCode.TryParse(wijk, out var parsed, out var wijkError)) inWijk = parsed;
                    else errors.Add("wijk", wijkError);
                }
                var na = ListCursor.Parse(cursor, errors);
                if (cursor is not null && page is not null) errors.Add("cursor", "Ask for a page by number or after a cursor, not both.");
                http.Reads("gemeenten/households");
                http.Authorize(AccessAction.ListGemeenteHouseholds, new AccessTarget.Platform());
                errors.ThrowIfAny();
                http.Reads($"gemeenten/{code}/households");
                http.Authorize(AccessAction.ListGemeenteHouseholds, new AccessTarget.InGemeente(code));
                var caller = Caller.From(http);
                // A regisseur's list is the households it coordinates (the policy shows it no others): asked of the store
                // as a filter, so pages and the total count only those.
                var regie = caller.Is(Roles.Regisseur) ? caller.UserId : null;
                // One more than the page holds tells whether a next page exists.
                var found = await inbox.ListAsync(new HouseholdListQuery(code, gestapeld == true ? true : null, signalen == true, inWijk?.Value, na,
                    na is null ? paging.Skip : 0, paging.PageSize + 1, regie), ct);
                var entries = found.Entries.Take(paging.PageSize).ToList();
                await http.RecordAccess($"gemeenten/{code}/households");
                return TypedResults.Ok(new HouseholdListResponse(
                    [.. entries.Where(e => AccessPolicy.Decide(caller, AccessAction.ListGemeenteHouseholds, new AccessTarget.Household(e.Relations)).Allowed)
                        .Select(e => new HouseholdSummary(e.HouseholdId, e.Wijk, e.Leden, e.Combinatie, e.Signalen, e.Regisseur,
                        AccessPolicy.Decide(caller, AccessAction.ReadHouseholdView, new AccessTarget.Household(e.Relations)).Allowed))],
                    na is null ? paging.Page : null, paging.PageSize, found.Total,
                    found.Entries.Count > paging.PageSize ? ListCursor.Format(entries[^1]) : null));
            })
            .RecordsRefusedReads()
            .WithName("gemeente-households")
            .WithSummary("Households of a gemeente with their law combination and signals, for a team lead (for a regisseur: the households it coordinates); no BSNs; most signals first; paged by number or, faster for deep pages, after the nextCursor of the page before; gestapeld=true for households with provisions under more than one law, signalen=true for households with signals, wijk=WK… for one wijk; page 1 to 100000, pageSize 1 to 100 (default 20)")
            .WithDescription("De huishoudens van een gemeente met hun combinatie van wetten en signalen, voor een teamleider (voor een regisseur: de huishoudens waarvan hij de regie heeft); zonder BSN's; de meeste signalen eerst. Per pagina op nummer (page) of na de nextCursor van de vorige pagina (cursor; sneller voor diepe pagina's, en stabiel terwijl er huishoudens bijkomen). gestapeld=true alleen huishoudens met voorzieningen onder meer dan één wet, signalen=true alleen huishoudens met signalen, wijk alleen de huishoudens in die wijk.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static DateOnly Peildatum(string? date, TimeProvider clock)
    {
        if (date is null) return Inboxes.Today(clock);
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            throw ApiProblem.Invalid("date", "A date is written as YYYY-MM-DD.");
        return Invoer.Datum(parsed) is { } error ? throw ApiProblem.Invalid("date", error) : parsed;
    }

    private static ApiProblem NotFound() =>
        new(StatusCodes.Status404NotFound, "No such household", "There is no household with this id that you may see.");
}

/// <summary>
/// Where a page of the gemeente list ends, handed to the caller as an opaque token: the next page is an index range
/// scan from there, however deep, and households that arrive meanwhile do not shift it.
/// </summary>
internal static class ListCursor
{
    public static string Format(HouseholdListEntry last) =>
        System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.ASCII.GetBytes(
            $"{last.Signalen.Count.ToString(CultureInfo.InvariantCulture)}:{last.HouseholdId:N}"));

    public static HouseholdListCursor? Parse(string? cursor, FieldErrors errors)
    {
        if (cursor is null) return null;
        Span<byte> bytes = stackalloc byte[48];
        // The decoder throws on a character outside the alphabet instead of saying no.
        if (cursor.Length <= 64 && cursor.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            && System.Buffers.Text.Base64Url.TryDecodeFromChars(cursor, bytes, out var length)
            && System.Text.Encoding.ASCII.GetString(bytes[..length]).Split(':') is [var count, var household]
            && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var signalen)
            && Guid.TryParseExact(household, "N", out var id))
            return new HouseholdListCursor(signalen, id);
        errors.Add("cursor", "Not a cursor this list gave out: use the nextCursor of the page before.");
        return null;
    }
}
