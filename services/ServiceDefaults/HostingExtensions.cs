using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scalar.AspNetCore;

namespace SocialDomain.ServiceDefaults;

public static class HostingExtensions
{
    public const string ApiVersion = "1.0.0";
    public const string BasePath = "/api/v1";

    /// <summary>What every service has: problem details, JSON conventions, OpenAPI, health checks, quiet logs.</summary>
    public static PlatformSettings AddServiceDefaults(this WebApplicationBuilder builder, PlatformSettings defaults)
    {
        var settings = PlatformSettings.From(builder.Configuration, defaults);
        builder.Services.AddSingleton(settings);
        builder.Services.TryAddSingleton(TimeProvider.System);
        // Problems the framework raises itself (no route, wrong method or media type) get a detail too.
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => "There is nothing at this path.",
                StatusCodes.Status405MethodNotAllowed => "This path does not accept this method.",
                StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
                _ => context.ProblemDetails.Title,
            });
        builder.Services.Configure<JsonOptions>(o =>
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Sociaal Domein Platform";
            doc.Info.Version = ApiVersion;
            return Task.CompletedTask;
        }));
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        // Request paths carry BSNs (/persons/{bsn}/...): the framework's per-request logs must stay off.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Http.Result", LogLevel.Warning);
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
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(settings.RabbitMq);
                    cfg.ConfigureEndpoints(context);
                });
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

    /// <summary>Health, OpenAPI with a browsable UI, and the API-Version header.</summary>
    public static void MapServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use((context, next) =>
        {
            context.Response.Headers["API-Version"] = ApiVersion;
            return next(context);
        });
        app.MapHealthChecks("/health/live", new() { Predicate = check => check.Tags.Contains("live") }).AllowAnonymous();
        app.MapHealthChecks("/health/ready").AllowAnonymous();
        app.MapOpenApi(BasePath + "/openapi.json").AllowAnonymous();
        app.MapScalarApiReference(BasePath + "/docs", o => o.WithOpenApiRoutePattern(BasePath + "/openapi.json")).AllowAnonymous();
        app.MapGet("/", () => Results.Redirect(BasePath + "/docs")).ExcludeFromDescription().AllowAnonymous();
    }
}
