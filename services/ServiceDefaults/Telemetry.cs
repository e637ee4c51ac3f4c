using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SocialDomain.ServiceDefaults;

/// <summary>
/// OpenTelemetry for every service (docs/operations.md, Telemetry): a provision's trace from the HTTP request through
/// the store, the relay and the broker to the projection's write; the platform's and the frameworks' metrics; OTLP
/// export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and the recent telemetry at <c>/api/v1/beheer/telemetry</c>
/// without it. Request paths carry BSNs (the deprecated <c>/persons/{bsn}/...</c>): spans and request logs name the
/// route template, never the path or the query.
/// </summary>
public static class Telemetry
{
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtlpProtocolSetting = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>The platform's activity sources (the store's, the relay's, the projection's) and the bus's.</summary>
    private static readonly string[] Sources = [EventStore.StoreTelemetry.Name, "SocialDomain.Relay", "SocialDomain.Projections", "MassTransit"];

    /// <summary>Every meter of the platform, the bus's and the runtime's; ASP.NET Core's and Npgsql's are added by their instrumentation.</summary>
    private static readonly string[] Meters =
        [EventStore.StoreTelemetry.Name, "SocialDomain.Relay", "SocialDomain.Projections", "SocialDomain.Delivery", "MassTransit", "System.Runtime"];

    private const string RequestLogCategory = "SocialDomain.Requests";

    /// <exception cref="PlatformConfigurationException">The OTLP settings are wrong; one line each.</exception>
    public static void AddPlatformTelemetry(this WebApplicationBuilder builder)
    {
        var exportOverOtlp = CheckOtlpSettings(builder.Configuration);
        var recent = new RecentTelemetry();
        builder.Services.AddSingleton(recent);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new NoLoneClientCalls()))
                .AddAspNetCoreInstrumentation(o => o.EnrichWithHttpResponse = (activity, response) =>
                    activity.SetTag("url.path", RouteOf(response.HttpContext)).SetTag("url.query", null))
                .AddNpgsql()
                .AddSource(Sources)
                .AddProcessor(new SimpleActivityExportProcessor(recent.Spans)))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(Meters)
                .AddReader(recent.Metrics));
        if (exportOverOtlp) telemetry.UseOtlpExporter();

        // The framework's own request logs and log scope name the raw path: ours (UsePlatformTelemetry) names the route.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Http.Result", LogLevel.Warning);
    }

    /// <summary>Logs every request, first in the pipeline so it sees the final status; maps the beheerder's telemetry endpoints.</summary>
    public static void UsePlatformTelemetry(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(RequestLogCategory);
        app.Use(async (http, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            await next(http);
            var route = RouteOf(http);
            // Health probes come every few seconds from orchestrators: they would drown the log.
            var level = route?.StartsWith("/health", StringComparison.Ordinal) == true ? LogLevel.Debug : LogLevel.Information;
            logger.Log(level, "{Method} {Route} answered {StatusCode} in {ElapsedMilliseconds:0.0} ms", http.Request.Method,
                route ?? "(no route)", http.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
        app.MapGroup(HostingExtensions.BasePath).MapRecentTelemetry();
    }

    /// <summary>
    /// The route template of the request's endpoint, also after the exception handler took the endpoint away to answer a
    /// problem; null when no endpoint matched.
    /// </summary>
    private static string? RouteOf(HttpContext http) =>
        ((http.GetEndpoint() ?? http.Features.Get<IExceptionHandlerFeature>()?.Endpoint) as RouteEndpoint)?.RoutePattern.RawText;

    /// <summary>Whether to export over OTLP: only with an endpoint (an empty one is none), which must be an http(s) URI.</summary>
    private static bool CheckOtlpSettings(IConfiguration configuration)
    {
        var problems = new List<string>();
        var endpoint = configuration[OtlpEndpointSetting];
        if (string.IsNullOrWhiteSpace(endpoint)) endpoint = null;
        if (endpoint is not null && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0))
            problems.Add($"{OtlpEndpointSetting} is not an http:// or https:// URI with a host (the OTLP collector, such as http://collector:4317).");
        if (configuration[OtlpProtocolSetting] is { } protocol && protocol is not ("grpc" or "http/protobuf"))
            problems.Add($"{OtlpProtocolSetting}: '{protocol}' is not one of grpc, http/protobuf.");
        if (problems.Count > 0) throw new PlatformConfigurationException(problems);
        return endpoint is not null;
    }

    /// <summary>
    /// A database call is traced only inside a request or a message. On its own it is the relay's or the projection's
    /// polling of the store, dozens a second, which would bury the traces worth reading.
    /// </summary>
    private sealed class NoLoneClientCalls : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
            new(parameters.Kind == ActivityKind.Client ? SamplingDecision.Drop : SamplingDecision.RecordAndSample);
    }
}
