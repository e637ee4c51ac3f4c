using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Relay;
using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Access;
using Microsoft.Extensions.Options;

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
        var api = group.MapGroup("/households/{id:guid}").WithTags("Huishoudens").WithProblems();
        var feed = new[] { Roles.Aanleverancier, Roles.Beheerder };
        var regie = new[] { Roles.Regisseur, Roles.Beheerder };

        Map(api.MapPost("/members", async (Guid id, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<JoinRequest>(http);
            var errors = new FieldErrors();
            if (!Bsn.TryParse(r.Bsn, out var bsn, out var bsnError)) errors.Add("bsn", bsnError);
            if (!Gemeentecode.TryParse(r.Gemeente, out var gemeente, out var gemeenteError)) errors.Add("gemeente", gemeenteError);
            var rol = Parse<HouseholdRole>(errors, "rol", r.Rol);
            var van = errors.Required("van", r.Van);
            WijkCode? wijk = null;
            if (r.Wijk is not null)
                if (WijkCode.TryParse(r.Wijk, out var parsed, out var wijkError)) wijk = parsed;
                else errors.Add("wijk", wijkError);
            if (r.Geboortedatum > r.Van) errors.Add("geboortedatum", "The birth date lies after the start of the membership.");
            errors.ThrowIfAny();
            return await Execute(http, id, (h, c) => c.ServesGemeente(h?.Gemeente ?? gemeente) && c.ServesGemeente(gemeente), (h, e) =>
            {
                if (h is not null && h.Gemeente != gemeente)
                    throw ApiProblem.Invalid("gemeente", $"The household belongs to gemeente {h.Gemeente}.");
                if (h?.ActiveMembers.ContainsKey(bsn) == true)
                    throw new ApiProblem(StatusCodes.Status409Conflict, "Already a member", "This person is a member of the household already.");
                return new HouseholdMemberJoined(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, gemeente, id, bsn, rol!.Value, van!.Value, wijk, r.Geboortedatum);
            }, ct);
        }), "add-member", "A person joins the household (BRP-bewoning feed)", feed);

        Map(api.MapPost("/members/{bsn}/leave", async (Guid id, string bsn, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<LeaveRequest>(http);
            var errors = new FieldErrors();
            if (!Bsn.TryParse(bsn, out var member, out var bsnError)) errors.Add("bsn", bsnError);
            var tot = errors.Required("tot", r.Tot);
            errors.ThrowIfAny();
            return await Execute(http, id, Serves, (h, e) =>
            {
                if (h is null || !h.ActiveMembers.TryGetValue(member, out var joined))
                    throw new ApiProblem(StatusCodes.Status409Conflict, "Not a member", "This person is not a member of the household now.");
                if (tot < joined.Van) throw ApiProblem.Invalid("tot", $"The membership started {joined.Van:yyyy-MM-dd}.");
                return new HouseholdMemberLeft(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, h.Gemeente, id, member, tot!.Value);
            }, ct);
        }), "remove-member", "A person's membership of the household ends", feed);

        Map(api.MapPost("/regisseur", async (Guid id, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<AssignRegisseurRequest>(http);
            var errors = new FieldErrors();
            if (string.IsNullOrWhiteSpace(r.RegisseurId)) errors.Add("regisseurId", "This field is required.");
            if (string.IsNullOrWhiteSpace(r.Naam)) errors.Add("naam", "This field is required.");
            var van = errors.Required("van", r.Van);
            errors.ThrowIfAny();
            return await Execute(http, id, Serves, (h, e) =>
            {
                var household = Existing(h);
                if (household.Regisseur is { } current)
                    throw new ApiProblem(StatusCodes.Status409Conflict, "Household has a regisseur",
                        $"{current.Naam} is the regisseur; release first: one household, one regisseur.");
                return new RegisseurAssigned(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, household.Gemeente, id, r.RegisseurId!, r.Naam!, van!.Value);
            }, ct);
        }), "assign-regisseur", "Assign the household's one regisseur", regie);

        Map(api.MapPost("/regisseur/release", async (Guid id, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<ReleaseRegisseurRequest>(http);
            var errors = new FieldErrors();
            var tot = errors.Required("tot", r.Tot);
            errors.ThrowIfAny();
            return await Execute(http, id, Serves, (h, e) =>
            {
                var household = Existing(h);
                var current = household.Regisseur
                    ?? throw new ApiProblem(StatusCodes.Status409Conflict, "No regisseur", "The household has no regisseur to release.");
                return new RegisseurReleased(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, household.Gemeente, id, current.RegisseurId, tot!.Value);
            }, ct);
        }), "release-regisseur", "Release the household's regisseur", regie);

        Map(api.MapPut("/plan/goals/{goalId:guid}", async (Guid id, Guid goalId, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<GoalRequest>(http);
            var errors = new FieldErrors();
            var leefgebied = Parse<Leefgebied>(errors, "leefgebied", r.Leefgebied);
            var status = Parse<PlanStatus>(errors, "status", r.Status ?? nameof(PlanStatus.Open));
            Required(errors, "omschrijving", r.Omschrijving);
            Required(errors, "eigenaar", r.Eigenaar);
            errors.ThrowIfAny();
            return await Execute(http, id, AssignedRegisseur, (h, e) => new PlanGoalSet(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt,
                Existing(h).Gemeente, id, goalId, leefgebied!.Value, r.Omschrijving!, r.Eigenaar!, status!.Value), ct);
        }), "set-goal", "Set or change a goal of the household's plan", regie);

        Map(api.MapPut("/plan/goals/{goalId:guid}/actions/{actionId:guid}", async (Guid id, Guid goalId, Guid actionId, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<ActionRequest>(http);
            var errors = new FieldErrors();
            var status = Parse<PlanStatus>(errors, "status", r.Status ?? nameof(PlanStatus.Open));
            Required(errors, "omschrijving", r.Omschrijving);
            Required(errors, "eigenaar", r.Eigenaar);
            errors.ThrowIfAny();
            return await Execute(http, id, AssignedRegisseur, (h, e) =>
            {
                var household = Existing(h);
                if (!household.Goals.Contains(goalId)) throw UnknownGoal();
                return new PlanActionSet(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, household.Gemeente, id, goalId, actionId,
                    r.Omschrijving!, r.Eigenaar!, status!.Value, r.Deadline);
            }, ct);
        }), "set-action", "Set or change an action towards a goal", regie);

        Map(api.MapPost("/plan/goals/{goalId:guid}/conflicts", async (Guid id, Guid goalId, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<ConflictRequest>(http);
            var errors = new FieldErrors();
            var other = errors.Required("conflictsWithGoalId", r.ConflictsWithGoalId);
            Required(errors, "gemarkeerdDoor", r.GemarkeerdDoor);
            Required(errors, "toelichting", r.Toelichting);
            if (other == goalId) errors.Add("conflictsWithGoalId", "A goal does not conflict with itself.");
            errors.ThrowIfAny();
            return await Execute(http, id, AssignedRegisseur, (h, e) =>
            {
                var household = Existing(h);
                if (!household.Goals.Contains(goalId) || !household.Goals.Contains(other!.Value)) throw UnknownGoal();
                return new GoalConflictMarked(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, household.Gemeente, id, goalId, other.Value,
                    r.GemarkeerdDoor!, r.Toelichting!);
            }, ct);
        }), "mark-goal-conflict", "Mark two goals of the plan as conflicting", regie);

        Map(api.MapPost("/involved-parties", async (Guid id, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<InvolvedPartyRequest>(http);
            var errors = new FieldErrors();
            var domein = Parse<Domein>(errors, "domein", r.Domein);
            Required(errors, "naam", r.Naam);
            Required(errors, "organisatie", r.Organisatie);
            var van = errors.Required("van", r.Van);
            if (r.Tot < r.Van) errors.Add("tot", "The end lies before the start.");
            errors.ThrowIfAny();
            var partyId = Guid.CreateVersion7();
            var change = await Execute(http, id, AssignedRegisseur, (h, e) => new InvolvedPartyRecorded(e.EventId, e.StreamId, e.StreamVersion,
                e.OccurredAt, Existing(h).Gemeente, id, partyId, r.Naam!, r.Organisatie!, domein!.Value, r.Regie ?? false, van!.Value, r.Tot), ct);
            return change with { Id = partyId };
        }), "record-involved-party", "Record a professional involved with the household", regie);

        Map(api.MapPost("/consents", async (Guid id, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<ConsentRequest>(http);
            var errors = new FieldErrors();
            if (!Bsn.TryParse(r.GegevenDoor, out var door, out var bsnError)) errors.Add("gegevenDoor", bsnError);
            Required(errors, "ontvanger", r.Ontvanger);
            var wetten = (r.Wetten ?? []).Select(w => Parse<Law>(errors, "wetten", w)).OfType<Law>().ToList();
            if (wetten.Count == 0) errors.Add("wetten", "Name at least one law.");
            var van = errors.Required("van", r.Van);
            errors.ThrowIfAny();
            var consentId = Guid.CreateVersion7();
            var change = await Execute(http, id, AssignedRegisseur, (h, e) =>
            {
                var household = Existing(h);
                if (!household.ActiveMembers.ContainsKey(door))
                    throw ApiProblem.Invalid("gegevenDoor", "Consent is given by a member of the household.");
                return new ConsentGiven(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, household.Gemeente, id, consentId, door,
                    r.Ontvanger!, wetten, van!.Value);
            }, ct);
            return change with { Id = consentId };
        }), "give-consent", "Record a member's consent to share data across laws", regie);

        Map(api.MapPost("/consents/{consentId:guid}/withdraw", async (Guid id, Guid consentId, HttpContext http, CancellationToken ct) =>
        {
            var r = await Read<WithdrawConsentRequest>(http);
            var errors = new FieldErrors();
            var per = errors.Required("per", r.Per);
            errors.ThrowIfAny();
            return await Execute(http, id, Serves, (h, e) =>
            {
                var household = Existing(h);
                if (!household.ActiveConsents.Contains(consentId))
                    throw new ApiProblem(StatusCodes.Status409Conflict, "No such consent", "There is no active consent with this id.");
                return new ConsentWithdrawn(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, household.Gemeente, id, consentId, per!.Value);
            }, ct);
        }), "withdraw-consent", "Withdraw a consent", regie);
    }

    private static void Map(RouteHandlerBuilder endpoint, string name, string summary, string[] roles) =>
        endpoint.WithName(name).WithSummary(summary).Produces<HouseholdChange>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(p => p.RequireRole(roles));

    private static bool Serves(Household? h, Caller caller) => h is not null && caller.ServesGemeente(h.Gemeente);

    /// <summary>The plan, parties and consents are kept by the household's assigned regisseur (or a beheerder).</summary>
    private static bool AssignedRegisseur(Household? h, Caller caller) =>
        Serves(h, caller) && (caller.Is(Roles.Beheerder) || h!.Regisseur?.RegisseurId == caller.UserId);

    private static Household Existing(Household? h) => h ?? throw HouseholdService.NotFound();

    private static ApiProblem UnknownGoal() => new(StatusCodes.Status404NotFound, "No such goal", "The plan has no goal with this id.");

    private static async Task<HouseholdChange> Execute(HttpContext http, Guid id, Func<Household?, Caller, bool> mayChange,
        HouseholdService.Decide decide, CancellationToken ct) =>
        await http.RequestServices.GetRequiredService<HouseholdService>().Execute(id, Caller.From(http), mayChange, decide,
            new EventMetadata(Name, http.TraceIdentifier, Actor: Caller.From(http).UserId), ct);

    private static Task<T> Read<T>(HttpContext http) where T : class =>
        JsonBody.Read<T>(http.Request, http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);

    private static T? Parse<T>(FieldErrors errors, string field, string? value) where T : struct, Enum
    {
        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _)) return parsed;
        errors.Add(field, $"One of: {string.Join(", ", Enum.GetNames<T>())}.");
        return null;
    }

    private static void Required(FieldErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add(field, "This field is required.");
    }

}
