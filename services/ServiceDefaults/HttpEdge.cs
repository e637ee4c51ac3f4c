using System.Diagnostics;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SocialDomain.ServiceDefaults;

/// <summary>
/// The HTTP edge every service shares (docs/api-edge.md): limits, refusals as problem+json, security headers, CORS
/// and rate limiting.
/// </summary>
public static class HttpEdge
{
    /// <summary>For the API: nothing may be loaded, framed or run from a response.</summary>
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>
    /// For the HTML pages (the regisseur's page, the OpenAPI browser): their own inline script and style, files and
    /// API calls from this origin only, never framed.
    /// </summary>
    public const string PageContentSecurityPolicy =
        "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; connect-src 'self'; " +
        "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string CorsPolicy = "configured-origins";

    public static void AddHttpEdge(this WebApplicationBuilder builder, EdgeSettings edge)
    {
        builder.Services.AddSingleton(edge);
        builder.Services.Configure<KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestBodySize = edge.JsonBodyBytes;
            o.Limits.MaxRequestLineSize = EdgeSettings.KestrelRequestLineBytes;
            // The request line must also fit in the header buffer Kestrel reads it into.
            o.Limits.MaxRequestHeadersTotalSize = Math.Max(o.Limits.MaxRequestHeadersTotalSize, EdgeSettings.KestrelRequestLineBytes + 32 * 1024);
        });
        builder.Services.AddKestrelRefusals();
        builder.Services.AddExceptionHandler<BadRequestHandler>();
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });
        if (edge.AllowedOrigins.Count > 0)
            builder.Services.AddCors(o => o.AddPolicy(CorsPolicy, p => p
                .WithOrigins([.. edge.AllowedOrigins])
                .WithMethods(HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete)
                .WithHeaders("Authorization", "Content-Type", "X-Doelbinding", "X-Correlation-ID")
                .WithExposedHeaders("API-Version", "Location", "Retry-After")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => IsApiWrite(http.Request)
                ? RateLimitPartition.GetFixedWindowLimiter(Caller(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = edge.WritesPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = async (context, ct) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? (int)Math.Ceiling(retryAfter.TotalSeconds)
                    : 60;
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await WriteProblem(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"At most {edge.WritesPerMinute} changes a minute per caller; try again after {Math.Max(1, seconds)} seconds.");
            };
        });
    }

    /// <summary>The edge's middleware up to and including routing: runs before anything else may answer.</summary>
    public static void UseHttpEdgeBeforeRouting(this WebApplication app)
    {
        var edge = app.Services.GetRequiredService<EdgeSettings>();
        app.Use((http, next) =>
        {
            // On starting, so that every answer carries them: also those of middleware that ends the request early.
            http.Response.OnStarting(() =>
            {
                AddResponseHeaders(http);
                return Task.CompletedTask;
            });
            return next(http);
        });
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use((http, next) => Refusal(http, edge) is { } refusal
            ? WriteProblem(http, refusal.Status, refusal.Title, refusal.Detail)
            : next(http));
        app.Use(async (http, next) =>
        {
            // HEAD answers as GET: the server sends the headers and leaves out the body (RFC 9110, 9.3.2).
            if (!HttpMethods.IsHead(http.Request.Method))
            {
                await next(http);
                return;
            }
            http.Request.Method = HttpMethods.Get;
            try
            {
                await next(http);
            }
            finally
            {
                http.Request.Method = HttpMethods.Head;
            }
        });
        app.UseRouting();
        app.Use((http, next) =>
        {
            var limit = BodyLimit(http, edge);
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is not { IsReadOnly: false } feature) return next(http);
            feature.MaxRequestBodySize = limit;
            if (http.Request.ContentLength is not { } length || length <= limit) return next(http);
            // Refused before it is read. Kestrel then discards the body, up to a bound, so that a client that sends it
            // whole before reading (most do, without Expect: 100-continue) reads this answer instead of a reset.
            if (length <= EdgeSettings.DiscardBodyBytes) feature.MaxRequestBodySize = null;
            return WriteProblem(http, StatusCodes.Status413PayloadTooLarge, "Content too large",
                $"The body is {length} bytes; this endpoint accepts at most {limit} bytes.");
        });
        if (edge.AllowedOrigins.Count > 0) app.UseCors(CorsPolicy);
    }

    /// <summary>After authentication, so that a caller is counted by its token's subject.</summary>
    public static void UseHttpEdgeRateLimiter(this WebApplication app) => app.UseRateLimiter();

    /// <summary>Routing set the endpoint: one that takes XML messages gets their larger limit.</summary>
    private static long BodyLimit(HttpContext http, EdgeSettings edge) =>
        http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { } accepts
        && accepts.ContentTypes.Any(t => t.EndsWith("/xml", StringComparison.OrdinalIgnoreCase))
            ? edge.XmlBodyBytes
            : edge.JsonBodyBytes;

    private static bool IsApiWrite(HttpRequest request) =>
        request.Path.StartsWithSegments(HostingExtensions.BasePath)
        && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method)
            || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method));

    private static string Caller(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true
        && (http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? http.User.FindFirstValue("sub")) is { } subject
            ? "user:" + subject
            : "address:" + http.Connection.RemoteIpAddress;

    private sealed record RefusedRequest(int Status, string Title, string Detail);

    /// <summary>What is refused before routing: an over-long URL, a path with control characters or a trailing slash.</summary>
    private static RefusedRequest? Refusal(HttpContext http, EdgeSettings edge)
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path + http.Request.QueryString;
        if (target.Length > edge.UrlLength)
            return new(StatusCodes.Status414RequestUriTooLong, "URI too long",
                $"The path and query are {target.Length} characters; at most {edge.UrlLength} are accepted.");
        var path = http.Request.Path.Value ?? "";
        if (path.Any(char.IsControl))
            return new(StatusCodes.Status400BadRequest, "Invalid path", "The path contains a control character (such as %00).");
        // The OpenAPI browser is a page, not a resource of the API, and it links to its own folder with a slash.
        if (path.Length > 1 && path.EndsWith('/') && !http.Request.Path.StartsWithSegments(HostingExtensions.DocsPath))
            return new(StatusCodes.Status404NotFound, "Not found", "There is nothing at this path: paths do not end with a slash.");
        return null;
    }

    internal static void AddResponseHeaders(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers["API-Version"] = HostingExtensions.ApiVersion;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true
            ? PageContentSecurityPolicy
            : ApiContentSecurityPolicy;
        // API answers carry personal data: no browser or proxy may keep them.
        if (http.Request.Path.StartsWithSegments(HostingExtensions.BasePath))
            headers.CacheControl = "no-store";
        if (http.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && headers.Allow.ToString() is { Length: > 0 } allow
            && allow.Split(',', StringSplitOptions.TrimEntries).Contains(HttpMethods.Get) && !allow.Contains(HttpMethods.Head))
            headers.Allow = allow + ", " + HttpMethods.Head;
    }

    private static async Task WriteProblem(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>The trace id of the request, so a caller can quote it and the operator find the request's logs.</summary>
    public static string TraceId(HttpContext http) => Activity.Current?.Id ?? http.TraceIdentifier;

    /// <summary>
    /// Kestrel's refusals raised while a handler reads the body (too large, cut off, malformed chunking) carry their
    /// own status; without this they would answer 500.
    /// </summary>
    private sealed class BadRequestHandler : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not Microsoft.AspNetCore.Http.BadHttpRequestException bad) return false;
            var detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                && http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } max
                    ? $"The body is larger than the limit of {max} bytes of this endpoint."
                    : bad.Message;
            await WriteProblem(http, bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Content too large" : "Bad request", detail);
            return true;
        }
    }
}
