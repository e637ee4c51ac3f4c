using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Scalar.AspNetCore;

namespace SocialDomain.ServiceDefaults;

public static class HostingExtensions
{
    public const string ApiVersion = "1.1.0";
    public const string BasePath = "/api/v1";
    public const string DocsPath = BasePath + "/docs";

    /// <summary>What every service has: problem details, JSON conventions, OpenAPI, health checks, telemetry.</summary>
    public static PlatformSettings AddServiceDefaults(this WebApplicationBuilder builder, PlatformSettings defaults)
    {
        var settings = PlatformSettings.From(builder.Configuration, defaults);
        builder.Services.AddSingleton(settings);
        builder.AddHttpEdge(EdgeSettings.From(builder.Configuration));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddExceptionHandler<Delivery.StoreUnavailableHandler>();
        // Problems the framework raises itself (no route, wrong method or media type, no token) get a detail too, and
        // every problem, ours included, the trace id a caller can quote.
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Title ??= problem.Status switch
            {
                StatusCodes.Status413PayloadTooLarge => "Content too large",
                StatusCodes.Status414RequestUriTooLong => "URI too long",
                StatusCodes.Status429TooManyRequests => "Too many requests",
                _ => "Request refused",
            };
            problem.Detail ??= problem.Status switch
            {
                StatusCodes.Status401Unauthorized => "A valid access token is required (Authorization: Bearer).",
                StatusCodes.Status403Forbidden => "The access token does not allow this.",
                StatusCodes.Status404NotFound => "There is nothing at this path.",
                StatusCodes.Status405MethodNotAllowed => "This path does not accept this method; see the Allow header.",
                StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
                _ => problem.Title,
            };
            problem.Extensions["traceId"] = HttpEdge.TraceId(context.HttpContext);
        });
        builder.Services.Configure<JsonOptions>(o =>
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddOpenApi("v1", o => OpenApi.ContractDocument.Configure(o, builder.Configuration));
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.AddPlatformTelemetry();
        return settings;
    }

    /// <summary>
    /// One bus per process, its transport chosen by configuration, so production and tests register consumers the
    /// same way and only the transport differs.
    /// </summary>
    public static void AddPlatformBus(this WebApplicationBuilder builder, PlatformSettings settings,
        Action<IBusRegistrationConfigurator> configure)
    {
        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            configure(x);
            if (settings.Bus == BusTransport.RabbitMq)
            {
                x.AddConfigureEndpointsCallback((_, cfg) => Relay.QuorumQueues.Apply(cfg));
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(settings.RabbitMq, h =>
                    {
                        h.Heartbeat(settings.RabbitMqHeartbeat);
                        if (settings.RabbitMqClusterNodes.Count > 0)
                            h.UseCluster(cluster => { foreach (var node in settings.RabbitMqClusterNodes) cluster.Node(node); });
                    });
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        // Without this, the host accepts work before the bus is connected and early publishes are lost.
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
    }

    /// <summary>Request logs and telemetry, the HTTP edge (docs/api-edge.md), authentication and authorization, health, OpenAPI with a browsable UI.</summary>
    public static void MapServiceDefaults(this WebApplication app)
    {
        app.UsePlatformTelemetry();
        app.UseHttpEdgeBeforeRouting();
        app.UseAuthentication();
        app.UseHttpEdgeRateLimiter();
        app.UseAuthorization();
        app.MapHealthChecks("/health/live", new() { Predicate = check => check.Tags.Contains("live") }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { ResponseWriter = HealthJson.Write }).AllowAnonymous();
        app.MapOpenApi(BasePath + "/openapi.json").AllowAnonymous();
        // Its default fonts would come from a third party, which the pages' Content-Security-Policy does not allow.
        app.MapScalarApiReference(DocsPath, o => o.WithOpenApiRoutePattern(BasePath + "/openapi.json").DisableDefaultFonts()).AllowAnonymous();
        app.MapGet("/", () => Results.Redirect(DocsPath)).ExcludeFromDescription().AllowAnonymous();
    }
}
