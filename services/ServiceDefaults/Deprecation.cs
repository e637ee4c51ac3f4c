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
    /// <summary>The routes with a BSN in the URL were deprecated on this day (API 1.0.0).</summary>
    public static readonly DateTimeOffset BsnInUrlSince = new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);

    /// <summary>After this day they may be removed: one period of six months.</summary>
    public static readonly DateTimeOffset BsnInUrlSunset = new(2027, 6, 4, 0, 0, 0, TimeSpan.Zero);

    /// <param name="successor">The endpoint name of the route that replaces this one.</param>
    /// <param name="values">The successor's route values, where its path has any.</param>
    public static RouteHandlerBuilder DeprecatedFor(this RouteHandlerBuilder builder, string successor,
        Func<HttpContext, object?>? values = null)
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var path = http.RequestServices.GetRequiredService<LinkGenerator>().GetPathByName(http, successor, values?.Invoke(http))
                ?? throw new InvalidOperationException($"No endpoint is named {successor}.");
            // Set before the handler runs, so a refusal of the old route says it is deprecated too.
            http.Response.Headers["Deprecation"] = $"@{BsnInUrlSince.ToUnixTimeSeconds()}";
            http.Response.Headers["Sunset"] = BsnInUrlSunset.ToString("R");
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
