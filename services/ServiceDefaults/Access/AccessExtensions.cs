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
    /// request's correlation id (the caller's X-Correlation-ID, else the trace identifier).
    /// </summary>
    public static EventMetadata Provenance(this HttpContext http, string source)
    {
        var caller = Caller.From(http);
        return new EventMetadata(source, http.Request.Headers["X-Correlation-ID"].FirstOrDefault() ?? http.TraceIdentifier,
            Actor: caller.UserId, ActorRole: caller.Role, Agb: caller.Agb);
    }

    /// <summary>Writes who read which person's or household's data, and why (the X-Doelbinding header).</summary>
    public static Task RecordAccess(this HttpContext http, string resource, string? bsn = null, Guid? householdId = null)
    {
        var caller = Caller.From(http);
        var service = http.RequestServices.GetRequiredService<IHostEnvironment>().ApplicationName;
        return http.RequestServices.GetRequiredService<IAccessLog>().AppendAsync(new AccessEntry(
            DateTimeOffset.UtcNow, caller.UserId, caller.Role, service, resource, bsn, householdId,
            http.Request.Headers[DoelbindingHeader].FirstOrDefault()), http.RequestAborted);
    }

    /// <summary>The access log, for the beheerder only: paged, filterable by BSN, household or user.</summary>
    public static void MapAccessLog(this IEndpointRouteBuilder group)
    {
        group.MapGet("/access-log", async (string? bsn, Guid? householdId, string? userId, int? page, int? pageSize,
                HttpContext http, IAccessLog log, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.ReadAccessLog, new AccessTarget.Platform());
                var errors = new FieldErrors();
                if (page < 1) errors.Add("page", "Pages count from 1.");
                if (pageSize is < 1 or > 500) errors.Add("pageSize", "A page holds 1 to 500 entries.");
                errors.ThrowIfAny();
                var (number, size) = (page ?? 1, pageSize ?? 50);
                var (items, total) = await log.QueryAsync(bsn, householdId, userId, (number - 1) * size, size, ct);
                return Results.Ok(new { items, page = number, pageSize = size, total });
            })
            .WithProblems()
            .WithTags("Toegang")
            .WithName("access-log")
            .WithSummary("Who read which personal data, when and why (beheerder only)");
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
