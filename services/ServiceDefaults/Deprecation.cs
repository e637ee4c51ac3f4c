using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SocialDomain.ServiceDefaults;

/// <summary>
/// A route that keeps working for one deprecation period after its successor exists (docs/changelog.md). Each
/// answer says so: <c>Deprecation</c> (RFC 9745) since when, <c>Sunset</c> (RFC 8594) until when, and a
/// <c>Link</c> to the successor; the OpenAPI document marks the operation deprecated.
/// </summary>
public static class Deprecation
{
    /// <summary>From when a route is deprecated, and after which day it may be removed: one period of six months.</summary>
    public sealed record Period(DateTimeOffset Since, DateTimeOffset Sunset);

    /// <summary>The routes with a BSN in the URL (API 1.0.0).</summary>
    public static readonly Period BsnInUrl = new(new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero), new(2027, 6, 4, 0, 0, 0, TimeSpan.Zero));

    /// <summary>The beheerder's replay as one long request, started again each time (API 1.1.0).</summary>
    public static readonly Period ReplayInOneRequest = new(new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero), new(2027, 6, 5, 0, 0, 0, TimeSpan.Zero));

    /// <param name="successor">The endpoint name of the route that replaces this one.</param>
    /// <param name="period">Since when the route is deprecated, and until when it answers.</param>
    /// <param name="values">The successor's route values, where its path has any.</param>
    public static RouteHandlerBuilder DeprecatedFor(this RouteHandlerBuilder builder, string successor, Period period,
        Func<HttpContext, object?>? values = null)
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var path = http.RequestServices.GetRequiredService<LinkGenerator>().GetPathByName(http, successor, values?.Invoke(http))
                ?? throw new InvalidOperationException($"No endpoint is named {successor}.");
            // Set before the handler runs, so a refusal of the old route says it is deprecated too.
            http.Response.Headers["Deprecation"] = $"@{period.Since.ToUnixTimeSeconds()}";
            http.Response.Headers["Sunset"] = period.Sunset.ToString("R");
            http.Response.Headers.Link = $"<{path}>; rel=\"successor-version\"";
            return await next(context);
        });
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Deprecated = true;
            return Task.CompletedTask;
        });
        return builder;
    }
}
