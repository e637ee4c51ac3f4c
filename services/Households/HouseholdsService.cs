using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Platform;
using SocialDomain.Relay;
using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Access;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SocialDomain.Households;

/// <summary>
/// The Households service: who belongs to which household over time (a BRP-bewoning-like feed), the one
/// regisseur, the one plan, the professionals involved, and the consent that allows sharing across laws.
/// </summary>
public static class HouseholdsService
{
    public const string Name = "households";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        PlatformLaws.Register();
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var settings = builder.AddServiceDefaults(PlatformSettings.Distributed);
        builder.AddPlatformAccess(settings, Name);
        builder.AddPlatformBus(settings, _ => { });
        builder.AddHouseholds(settings);
        var app = builder.Build();
        app.MapServiceDefaults();
        var api = app.MapGroup(HostingExtensions.BasePath);
        app.MapHouseholds(api);
        api.MapAccessLog();
        return app;
    }

    public static void AddHouseholds(this WebApplicationBuilder builder, PlatformSettings settings, RelayOptions? relay = null)
    {
        builder.Services.AddEventSourcedService(Name, settings.StoreFor(Name), HouseholdService.Serializer, relay);
        builder.Services.AddSingleton(sp => new HouseholdService(sp.GetRequiredKeyedService<IEventStore>(Name), sp.GetRequiredService<TimeProvider>()));
    }

    public static void MapHouseholds(this IEndpointRouteBuilder app, RouteGroupBuilder group)
    {
        group.MapRelayOperations(Name);
        MapMembershipBatch(group.MapGroup("/households").WithTags("Huishoudens").WithProblems());
        var api = group.MapGroup("/households/{id:guid}").WithTags("Huishoudens").WithProblems();

        Map(api.MapPost("/members", async (Guid id, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<JoinRequest>(http);
            var errors = new FieldErrors();
            var join = Join(errors, r);
            errors.ThrowIfAny();
            return await Create(http, id, AccessAction.RecordMembership, join!, ct, gemeente: join!.Gemeente);
        }), "add-member", "A person joins the household (BRP-bewoning feed)", typeof(JoinRequest),
            "Een persoon wordt lid van het huishouden vanaf een datum (een record van de BRP-bewoning). Antwoordt 201 met het huishouden als Location.");

        Map(api.MapPost("/members/leave", async (Guid id, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<MemberLeaveRequest>(http);
            return await Leave(http, id, r.Bsn, r.Tot, ct);
        }), "member-leave", "A person's membership of the household ends (the BSN travels in the body, not the URL)", typeof(MemberLeaveRequest),
            "Het lidmaatschap van een persoon eindigt op een datum; het BSN staat in de body, niet in de URL.");

        Map(api.MapPost("/members/{bsn}/leave", async (Guid id, string bsn, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<LeaveRequest>(http);
            return await Leave(http, id, bsn, r.Tot, ct);
        }).DeprecatedFor("member-leave", Deprecation.BsnInUrl, http => new { id = http.GetRouteValue("id") }),
            "remove-member", "Deprecated (a BSN in the URL): use POST /households/{id}/members/leave", typeof(LeaveRequest),
            "Verouderd (een BSN in de URL): gebruik POST /households/{id}/members/leave. Werkt tot 2027-06-04.");

        Map(api.MapPost("/regisseur", async (Guid id, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<AssignRegisseurRequest>(http);
            var errors = new FieldErrors();
            var regisseurId = errors.Tekst("regisseurId", r.RegisseurId, TekstSoort.Regel);
            var naam = errors.Tekst("naam", r.Naam, TekstSoort.Regel);
            var van = errors.Datum("van", r.Van, required: true);
            errors.ThrowIfAny();
            return await Execute(http, id, AccessAction.AssignRegie, new AssignRegisseur(regisseurId!, naam!, van!.Value), ct);
        }), "assign-regisseur", "Assign the household's one regisseur", typeof(AssignRegisseurRequest),
            "Wijst de ene regisseur van het huishouden toe, vanaf een datum.");

        Map(api.MapPost("/regisseur/release", async (Guid id, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<ReleaseRegisseurRequest>(http);
            var errors = new FieldErrors();
            var tot = errors.Datum("tot", r.Tot, required: true);
            errors.ThrowIfAny();
            return await Execute(http, id, AccessAction.ReleaseRegie, new ReleaseRegisseur(tot!.Value), ct);
        }), "release-regisseur", "Release the household's regisseur", typeof(ReleaseRegisseurRequest),
            "Beëindigt de regie van de regisseur van het huishouden op een datum.");

        Map(api.MapPost("/regisseur/transfer", async (Guid id, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<TransferRegisseurRequest>(http);
            var errors = new FieldErrors();
            var regisseurId = errors.Tekst("regisseurId", r.RegisseurId, TekstSoort.Regel);
            var naam = errors.Tekst("naam", r.Naam, TekstSoort.Regel);
            var per = errors.Datum("per", r.Per, required: true);
            errors.ThrowIfAny();
            return await Execute(http, id, AccessAction.TransferRegie, new TransferRegisseur(regisseurId!, naam!, per!.Value), ct);
        }), "transfer-regisseur", "Overdracht: the regie passes to another regisseur from a date on", typeof(TransferRegisseurRequest),
            "Overdracht: de regie gaat vanaf een datum over naar een andere regisseur.");

        Map(api.MapPut("/plan/goals/{goalId:guid}", async (Guid id, Guid goalId, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<GoalRequest>(http);
            var errors = new FieldErrors();
            var leefgebied = Parse<Leefgebied>(errors, "leefgebied", r.Leefgebied);
            var status = Parse<PlanStatus>(errors, "status", r.Status ?? nameof(PlanStatus.Open));
            var omschrijving = errors.Tekst("omschrijving", r.Omschrijving, TekstSoort.Omschrijving);
            var eigenaar = errors.Tekst("eigenaar", r.Eigenaar, TekstSoort.Regel);
            errors.ThrowIfAny();
            return await Execute(http, id, AccessAction.EditPlan, new SetGoal(goalId, leefgebied!.Value, omschrijving!, eigenaar!, status!.Value), ct);
        }), "set-goal", "Set or change a goal of the household's plan", typeof(GoalRequest),
            "Legt een doel van het plan van het huishouden vast of wijzigt het; het id van het doel staat in de URL.");

        Map(api.MapPut("/plan/goals/{goalId:guid}/actions/{actionId:guid}", async (Guid id, Guid goalId, Guid actionId, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<ActionRequest>(http);
            var errors = new FieldErrors();
            var status = Parse<PlanStatus>(errors, "status", r.Status ?? nameof(PlanStatus.Open));
            var omschrijving = errors.Tekst("omschrijving", r.Omschrijving, TekstSoort.Omschrijving);
            var eigenaar = errors.Tekst("eigenaar", r.Eigenaar, TekstSoort.Regel);
            var deadline = errors.Datum("deadline", r.Deadline);
            errors.ThrowIfAny();
            return await Execute(http, id, AccessAction.EditPlan,
                new SetAction(goalId, actionId, omschrijving!, eigenaar!, status!.Value, deadline), ct);
        }), "set-action", "Set or change an action towards a goal", typeof(ActionRequest),
            "Legt een actie op weg naar een doel vast of wijzigt haar.");

        Map(api.MapPost("/plan/goals/{goalId:guid}/conflicts", async (Guid id, Guid goalId, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<ConflictRequest>(http);
            var errors = new FieldErrors();
            var other = errors.Required("conflictsWithGoalId", r.ConflictsWithGoalId);
            var gemarkeerdDoor = errors.Tekst("gemarkeerdDoor", r.GemarkeerdDoor, TekstSoort.Regel);
            var toelichting = errors.Tekst("toelichting", r.Toelichting, TekstSoort.Omschrijving);
            errors.ThrowIfAny();
            return await Execute(http, id, AccessAction.EditPlan, new MarkGoalConflict(goalId, other!.Value, gemarkeerdDoor!, toelichting!), ct);
        }), "mark-goal-conflict", "Mark two goals of the plan as conflicting", typeof(ConflictRequest),
            "Markeert dat twee doelen van het plan met elkaar botsen, met wie het markeerde en waarom.");

        Map(api.MapPost("/involved-parties", async (Guid id, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<InvolvedPartyRequest>(http);
            var errors = new FieldErrors();
            var domein = Parse<Domein>(errors, "domein", r.Domein);
            var naam = errors.Tekst("naam", r.Naam, TekstSoort.Regel);
            var organisatie = errors.Tekst("organisatie", r.Organisatie, TekstSoort.Regel);
            var van = errors.Datum("van", r.Van, required: true);
            var tot = errors.Datum("tot", r.Tot);
            errors.ThrowIfAny();
            var partyId = Guid.CreateVersion7();
            return await Create(http, id, AccessAction.RecordInvolvedParty,
                new RecordInvolvedParty(partyId, naam!, organisatie!, domein!.Value, r.Regie ?? false, van!.Value, tot), ct, partyId);
        }), "record-involved-party", "Record a professional involved with the household", typeof(InvolvedPartyRequest),
            "Legt een professional vast die bij het huishouden betrokken is. Antwoordt 201 met het id van de betrokkene en het huishouden als Location.");

        Map(api.MapPost("/consents", async (Guid id, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<ConsentRequest>(http);
            var errors = new FieldErrors();
            if (!Bsn.TryParse(r.GegevenDoor, out var door, out var bsnError)) errors.Add("gegevenDoor", bsnError);
            var ontvanger = errors.Tekst("ontvanger", r.Ontvanger, TekstSoort.Regel);
            var wetten = (r.Wetten ?? []).Select((w, i) => ParseLaw(errors, $"wetten[{i}]", w)).OfType<Law>().ToList();
            var van = errors.Datum("van", r.Van, required: true);
            var tot = errors.Datum("tot", r.Tot);
            errors.ThrowIfAny();
            var consentId = Guid.CreateVersion7();
            return await Create(http, id, AccessAction.GiveConsent,
                new GiveConsent(consentId, door, ontvanger!, wetten, van!.Value, tot, Caller.From(http).UserId), ct, consentId);
        }), "give-consent", "Record a member's consent to share their own data under some laws, for a period", typeof(ConsentRequest),
            "Legt de toestemming van een lid vast om de eigen gegevens onder enkele wetten te delen, voor een periode. Antwoordt 201 met het id van de toestemming en het huishouden als Location.");

        Map(api.MapPost("/consents/{consentId:guid}/withdraw", async (Guid id, Guid consentId, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<WithdrawConsentRequest>(http);
            var errors = new FieldErrors();
            var per = errors.Datum("per", r.Per, required: true);
            errors.ThrowIfAny();
            return await Execute(http, id, AccessAction.WithdrawConsent, new WithdrawConsent(consentId, per!.Value), ct, consentId: consentId);
        }), "withdraw-consent", "Withdraw a consent", typeof(WithdrawConsentRequest),
            "Trekt een toestemming in vanaf een datum.");
    }

    /// <summary>
    /// The BRP-bewoning feed in bulk: joins and leaves of many households in one request, each validated as its own
    /// endpoint validates it and decided, in order, with the same access policy on the household as the records before
    /// it left it; all stored in one transaction, or nothing when any record is refused. The problem then names every
    /// refused record by its index.
    /// </summary>
    private static void MapMembershipBatch(RouteGroupBuilder api) =>
        api.MapPost("/members/batch", async Task<Ok<MembershipBatchResponse>> (HttpContext http, CancellationToken ct) =>
            {
                var request = await Read<MembershipBatchRequest>(http);
                if (request.Records is not { Count: > 0 } records) throw ApiProblem.Invalid("records", "At least one record is required.");
                var errors = new Dictionary<string, string[]>();
                var orders = new HouseholdOrder?[records.Count];
                for (var i = 0; i < records.Count; i++)
                {
                    var fields = new FieldErrors();
                    orders[i] = Order(fields, records[i]);
                    foreach (var (field, messages) in fields.ToDictionary()) errors[field == "$" ? $"records[{i}]" : $"records[{i}].{field}"] = messages;
                }
                var service = http.RequestServices.GetRequiredService<HouseholdService>();
                var decisions = await service.ExecuteAll(orders, Caller.From(http), http.Provenance(Name), ct);
                if (decisions.Count > 0 && decisions.All(d => ReferenceEquals(d, HouseholdService.ConcurrentChange)))
                    throw new ApiProblem(StatusCodes.Status409Conflict, HouseholdService.ConcurrentChange.Title, HouseholdService.ConcurrentChange.Reason);
                var refused = decisions.Select((d, i) => (Refused: d as Refused, Index: i)).Where(d => d.Refused is not null).ToList();
                foreach (var (refusal, i) in refused)
                    if (refusal!.Field is { } field) errors[$"records[{i}].{field}"] = [refusal.Reason];
                    else errors[$"records[{i}]"] = [$"{refusal.Title}: {refusal.Reason}"];
                if (errors.Count > 0) throw BatchRefused(errors, orders.Count(o => o is null), [.. refused.Select(r => r.Refused!.Kind)]);
                return TypedResults.Ok(new MembershipBatchResponse(decisions.Count,
                    [.. decisions.Select(d => ((Accepted)d!).Event).Select(e => new HouseholdChange(e.HouseholdId, e.StreamVersion))]));
            })
            .WithName("members-batch")
            .WithSummary("Joins and leaves of many households in bulk (BRP-bewoning feed), in one transaction: all are stored, or none when any is refused")
            .WithDescription("Joins (een persoon wordt lid) en leaves (een lidmaatschap eindigt) van veel huishoudens in één verzoek, in één transactie: " +
                "alle worden opgeslagen, of geen enkele wanneer er één wordt geweigerd; errors noemt dan elk geweigerd record bij zijn plaats (records[i]). " +
                "Elk record wordt gecontroleerd als bij POST /households/{id}/members en /members/leave, op het huishouden zoals de records ervoor het achterlieten.")
            .Accepts<MembershipBatchRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    /// <summary>A batch record as the command its own endpoint would make of it; null when a field's error was added.</summary>
    private static HouseholdOrder? Order(FieldErrors errors, MembershipRecord? r)
    {
        if (r is null)
        {
            errors.Add("$", "A record is required.");
            return null;
        }
        var household = errors.Required("householdId", r.HouseholdId);
        HouseholdCommand? command = null;
        if (r.Soort == "join")
        {
            if (r.Tot is not null) errors.Add("tot", "A join has no tot: a leave ends the membership.");
            command = Join(errors, new JoinRequest(r.Bsn, r.Gemeente, r.Rol, r.Van, r.Wijk, r.Geboortedatum));
        }
        else if (r.Soort == "leave")
        {
            void NotOfALeave(string field, object? value)
            {
                if (value is not null) errors.Add(field, "A leave has only householdId, bsn and tot.");
            }
            NotOfALeave("gemeente", r.Gemeente);
            NotOfALeave("rol", r.Rol);
            NotOfALeave("van", r.Van);
            NotOfALeave("wijk", r.Wijk);
            NotOfALeave("geboortedatum", r.Geboortedatum);
            command = Leave(errors, r.Bsn, r.Tot);
        }
        else errors.Add("soort", "Soort is 'join' or 'leave'.");
        return errors.Count == 0
            ? new HouseholdOrder(household!.Value, AccessAction.RecordMembership, command!, (command as JoinHousehold)?.Gemeente)
            : null;
    }

    /// <summary>
    /// A refused batch: 400 when any record is invalid, else the status its single endpoint would answer, the first of
    /// 403, 404 and 409 that any refused record has. Nothing was stored.
    /// </summary>
    private static ApiProblem BatchRefused(Dictionary<string, string[]> errors, int invalidRecords, IReadOnlyList<RefusalKind> refusals)
    {
        var status = invalidRecords > 0 || refusals.Contains(RefusalKind.Invalid) ? StatusCodes.Status400BadRequest
            : refusals.Contains(RefusalKind.Forbidden) ? StatusCodes.Status403Forbidden
            : refusals.Contains(RefusalKind.NotFound) ? StatusCodes.Status404NotFound
            : StatusCodes.Status409Conflict;
        var records = errors.Keys.Select(k => k[..(k.IndexOf(']') + 1)]).Distinct().Count();
        return new ApiProblem(status, "Batch refused", $"{records} record(s) refused; nothing was stored. See errors, keyed by record index.", errors);
    }

    /// <summary>A member leaves the household: the BSN in the body, so it stays out of URLs and their logs.</summary>
    public sealed record MemberLeaveRequest(string? Bsn, DateOnly? Tot);

    private static async Task<Ok<HouseholdChange>> Leave(HttpContext http, Guid id, string? bsn, DateOnly? tot, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var leave = Leave(errors, bsn, tot);
        errors.ThrowIfAny();
        return await Execute(http, id, AccessAction.RecordMembership, leave!, ct);
    }

    /// <summary>A join as the feed sends it, one by one or in a batch: the command, or null when a field's error was added.</summary>
    private static JoinHousehold? Join(FieldErrors errors, JoinRequest r)
    {
        var before = errors.Count;
        if (!Bsn.TryParse(r.Bsn, out var bsn, out var bsnError)) errors.Add("bsn", bsnError);
        if (!Gemeentecode.TryParse(r.Gemeente, out var gemeente, out var gemeenteError)) errors.Add("gemeente", gemeenteError);
        var rol = Parse<HouseholdRole>(errors, "rol", r.Rol);
        var van = errors.Datum("van", r.Van, required: true);
        var geboortedatum = errors.Datum("geboortedatum", r.Geboortedatum);
        WijkCode? wijk = null;
        if (r.Wijk is not null)
            if (WijkCode.TryParse(r.Wijk, out var parsed, out var wijkError)) wijk = parsed;
            else errors.Add("wijk", wijkError);
        return errors.Count == before ? new JoinHousehold(bsn, gemeente, rol!.Value, van!.Value, wijk, geboortedatum) : null;
    }

    /// <summary>A leave as the feed sends it, one by one or in a batch: the command, or null when a field's error was added.</summary>
    private static LeaveHousehold? Leave(FieldErrors errors, string? bsn, DateOnly? tot)
    {
        var before = errors.Count;
        if (!Bsn.TryParse(bsn, out var member, out var bsnError)) errors.Add("bsn", bsnError);
        var last = errors.Datum("tot", tot, required: true);
        return errors.Count == before ? new LeaveHousehold(member, last!.Value) : null;
    }

    /// <summary>Every household command: its JSON body, its answer, and the refusals of the decider and the policy.</summary>
    private static void Map(RouteHandlerBuilder endpoint, string name, string summary, Type request, string description) =>
        endpoint.WithName(name).WithSummary(summary).WithDescription(description).Accepts(request, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Ok<HouseholdChange>> Execute(HttpContext http, Guid id, AccessAction action, HouseholdCommand command,
        CancellationToken ct, Guid? created = null, Gemeentecode? gemeente = null, Guid? consentId = null) =>
        TypedResults.Ok(await Decide(http, id, action, command, ct, created, gemeente, consentId));

    /// <summary>
    /// A command that creates something (a membership, an involved party, a consent): answered 201 with the household
    /// view as its Location, since none of them has a route of its own and the view is where it shows.
    /// </summary>
    private static async Task<Created<HouseholdChange>> Create(HttpContext http, Guid id, AccessAction action, HouseholdCommand command,
        CancellationToken ct, Guid? created = null, Gemeentecode? gemeente = null) =>
        TypedResults.Created($"{http.Request.PathBase}{HostingExtensions.BasePath}/households/{id}",
            await Decide(http, id, action, command, ct, created, gemeente));

    private static async Task<HouseholdChange> Decide(HttpContext http, Guid id, AccessAction action, HouseholdCommand command,
        CancellationToken ct, Guid? created, Gemeentecode? gemeente, Guid? consentId = null)
    {
        var decision = await http.RequestServices.GetRequiredService<HouseholdService>().Execute(id, Caller.From(http), action, command,
            http.Provenance(Name), ct, gemeente, consentId);
        return decision switch
        {
            Accepted accepted => new HouseholdChange(id, accepted.Event.StreamVersion, created),
            Refused refused => throw Problem(refused),
            _ => throw new InvalidOperationException($"Unknown decision {decision}."),
        };
    }

    private static ApiProblem Problem(Refused refused) => refused.Kind switch
    {
        RefusalKind.Invalid => ApiProblem.Invalid(refused.Field ?? "", refused.Reason),
        RefusalKind.Conflict => new ApiProblem(StatusCodes.Status409Conflict, refused.Title, refused.Reason),
        RefusalKind.Forbidden => new ApiProblem(StatusCodes.Status403Forbidden, refused.Title, refused.Reason),
        _ => new ApiProblem(StatusCodes.Status404NotFound, refused.Title, refused.Reason),
    };

    private static Task<T> Read<T>(HttpContext http) where T : class =>
        JsonBody.Read<T>(http.Request, http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);

    /// <summary>The refusal does not repeat the value: it may be anything, of any length.</summary>
    private static Law? ParseLaw(FieldErrors errors, string field, string? value)
    {
        if (Contracts.Laws.TryFind(value, out var law)) return law;
        errors.Add(field, $"Not a law of this platform; allowed: {string.Join(", ", Contracts.Laws.All.Select(l => l.Law))}.");
        return null;
    }

    private static T? Parse<T>(FieldErrors errors, string field, string? value) where T : struct, Enum
    {
        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _)) return parsed;
        errors.Add(field, $"One of: {string.Join(", ", Enum.GetNames<T>())}.");
        return null;
    }

}
