using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocialDomain.EventStore;

namespace SocialDomain.ServiceDefaults.Access;

public static class AccessExtensions
{
    public const string DoelbindingHeader = "X-Doelbinding";

    /// <summary>
    /// Every endpoint needs a valid token unless it says otherwise (health, OpenAPI, the web page's files);
    /// reads of personal data go to the host's append-only access log. A host without a token configuration it
    /// may use here does not start (<see cref="TokenSettings"/>).
    /// </summary>
    public static void AddPlatformAccess(this WebApplicationBuilder builder, PlatformSettings settings, string logName)
    {
        var tokens = TokenSettings.From(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(tokens.Claims);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(tokens.Configure);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddSingleton(AccessLogs.Create(settings.StoreFor(logName)));
        builder.Services.AddSingleton<IHostedService>(sp => new EventSourcing.Initializer(sp.GetRequiredService<IAccessLog>().InitializeAsync));
        if (tokens.UsesDevelopmentKey)
            builder.Services.AddHostedService<DevelopmentKeyWarning>();
    }

    /// <summary>Asks <see cref="AccessPolicy"/>; a refusal becomes a 403 or 404 problem with nothing done.</summary>
    public static AccessDecision Authorize(this HttpContext http, AccessAction action, AccessTarget target)
    {
        var decision = AccessPolicy.Decide(Caller.From(http), action, target);
        return decision.Outcome switch
        {
            AccessOutcome.Allowed => decision,
            AccessOutcome.Forbidden => throw new ApiProblem(StatusCodes.Status403Forbidden, "Not allowed", $"Refused: {decision.Reason}."),
            _ => throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"There is {decision.Reason}."),
        };
    }

    /// <summary>
    /// What every event recorded by a request carries: the authenticated caller, its role and AGB code, and the
    /// request's correlation id (the caller's X-Correlation-ID, else the trace identifier) and its trace context.
    /// </summary>
    public static EventMetadata Provenance(this HttpContext http, string source)
    {
        var caller = Caller.From(http);
        return new EventMetadata(source, http.Request.Headers["X-Correlation-ID"].FirstOrDefault() ?? http.TraceIdentifier,
            Actor: caller.UserId, ActorRole: caller.Role, Agb: caller.Agb,
            TraceParent: Activity.Current?.Id, TraceState: Activity.Current?.TraceStateString);
    }

    /// <summary>
    /// Writes who read which person's or household's data, and why (the X-Doelbinding header), and what became of
    /// it (<see cref="Uitkomsten"/>; refusals are written by <see cref="RefusedReads"/>).
    /// </summary>
    public static Task RecordAccess(this HttpContext http, string resource, string? bsn = null, Guid? householdId = null,
        string uitkomst = Uitkomsten.Toegestaan)
    {
        var caller = Caller.From(http);
        var service = http.RequestServices.GetRequiredService<IHostEnvironment>().ApplicationName;
        return http.RequestServices.GetRequiredService<IAccessLog>().AppendAsync(new AccessEntry(
            DateTimeOffset.UtcNow, caller.UserId, caller.Role, service, resource, bsn, householdId,
            http.Request.Headers[DoelbindingHeader].FirstOrDefault(), uitkomst), http.RequestAborted);
    }

    /// <summary>A search of the access log: every filter optional, the BSN in the body so it stays out of URLs.</summary>
    public sealed record AccessLogSearch(string? Bsn, Guid? HouseholdId, string? UserId, int? Page, int? PageSize);

    /// <summary>The access log, for the beheerder only: paged, filterable by BSN, household or user.</summary>
    public static void MapAccessLog(this IEndpointRouteBuilder group)
    {
        group.MapPost("/access-log/zoeken", async (HttpContext http, IAccessLog log, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.ReadAccessLog, new AccessTarget.Platform());
                var search = await JsonBody.Read<AccessLogSearch>(http.Request,
                    http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);
                return await SearchAccessLog(log, search, ct);
            })
            .WithProblems()
            .WithTags("Toegang")
            .WithName("access-log-search")
            .WithSummary("Who read which personal data, when, why and with what outcome (beheerder only); the BSN travels in the body, not the URL")
            .WithDescription("Wie welke persoonsgegevens inzag, wanneer, waarom en met welke uitkomst; alleen voor de beheerder. Elk filter is optioneel; het BSN staat in de body, niet in de URL.")
            .Accepts<AccessLogSearch>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/access-log", async (string? bsn, Guid? householdId, string? userId, int? page, int? pageSize,
                HttpContext http, IAccessLog log, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.ReadAccessLog, new AccessTarget.Platform());
                return await SearchAccessLog(log, new AccessLogSearch(bsn, householdId, userId, page, pageSize), ct);
            })
            .WithProblems()
            .DeprecatedFor("access-log-search", Deprecation.BsnInUrl)
            .WithTags("Toegang")
            .WithName("access-log")
            .WithSummary("Deprecated (a BSN in the query): use POST /access-log/zoeken")
            .WithDescription("Verouderd (een BSN in de query): gebruik POST /access-log/zoeken. Werkt tot 2027-06-04.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static async Task<Ok<ResultPage<AccessEntry>>> SearchAccessLog(IAccessLog log, AccessLogSearch search, CancellationToken ct)
    {
        var errors = new FieldErrors();
        // A filter is held to the rules of what it filters on: a value that cannot be in the log is a mistake or a probe.
        string? bsn = null;
        if (search.Bsn is not null)
            if (Contracts.Bsn.TryParse(search.Bsn, out var parsed, out var bsnError)) bsn = parsed.Value;
            else errors.Add("bsn", bsnError);
        var userId = errors.Tekst("userId", search.UserId, TekstSoort.Regel, required: false);
        var paging = Paging.From(search.Page, search.PageSize, defaultSize: 50, maxSize: 500, errors);
        errors.ThrowIfAny();
        var (items, total) = await log.QueryAsync(bsn, search.HouseholdId, userId, paging.Skip, paging.PageSize, ct);
        return TypedResults.Ok(new ResultPage<AccessEntry>(items, paging.Page, paging.PageSize, total));
    }

    private sealed class DevelopmentKeyWarning(ILogger<DevelopmentKeyWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning("Access tokens are checked with the development signing key, which is in the repository (Development environment only)");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
