using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocialDomain.EventStore;
using SocialDomain.Relay;
using SocialDomain.ServiceDefaults;

namespace SocialDomain.Provisions;

/// <summary>Registers and maps one law service; a host may carry several (the embedded host carries all three).</summary>
public static class LawService
{
    /// <summary>Builds the stand-alone service of one law: its own store, its relay, the bus, the API under /api/v1.</summary>
    public static WebApplication Build(string[] args, LawDefinition law, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var settings = builder.AddServiceDefaults(PlatformSettings.Distributed);
        builder.AddPlatformBus(settings, _ => { });
        builder.AddLawService(law, settings);
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapLawService(law, app.MapGroup(HostingExtensions.BasePath));
        return app;
    }

    public static void AddLawService(this WebApplicationBuilder builder, LawDefinition law, PlatformSettings settings, RelayOptions? relay = null)
    {
        var key = law.Service;
        var serializer = new EventSerializer(ProvisionService.EventTypes);
        builder.Services.AddKeyedSingleton<IEventStore>(key, (_, _) => settings.StoreFor(law.Service).Create());
        builder.Services.AddKeyedSingleton(key, (sp, _) =>
            new ProvisionService(law, sp.GetRequiredKeyedService<IEventStore>(key), serializer, sp.GetRequiredService<TimeProvider>()));
        // Registered as plain IHostedService instances: AddHostedService would keep only one relay per host.
        builder.Services.AddSingleton<IHostedService>(sp => new StoreInitializer(sp.GetRequiredKeyedService<IEventStore>(key)));
        builder.Services.AddKeyedSingleton(key, (sp, _) => new EventRelay($"{law.Service}-relay",
            sp.GetRequiredKeyedService<IEventStore>(key), serializer, sp.GetRequiredService<MassTransit.IBus>(),
            relay ?? new RelayOptions(), sp.GetRequiredService<ILogger<EventRelay>>()));
        builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredKeyedService<EventRelay>(key));
    }

    public static void MapLawService(this IEndpointRouteBuilder app, LawDefinition law, RouteGroupBuilder group)
    {
        var key = law.Service;
        var provisions = group.MapGroup("/provisions").WithTags(law.Naam).WithProblems();

        provisions.MapPost("", async (HttpContext http, CancellationToken ct) =>
            {
                var service = http.RequestServices.GetRequiredKeyedService<ProvisionService>(key);
                var request = await JsonBody.Read<StartProvisionRequest>(http.Request, Json(http));
                var provision = await service.Start(request, MetadataOf(http, law), ct);
                return Results.Created($"{http.Request.PathBase}{http.Request.Path}/{provision.First.ProvisionId}", provision.ToResponse(law));
            })
            .WithName($"{key}-start-provision")
            .WithSummary($"Start a provision under the {law.Naam}")
            .Accepts<StartProvisionRequest>("application/json")
            .Produces<ProvisionResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        provisions.MapPost("/{id:guid}/end", async (Guid id, HttpContext http, CancellationToken ct) =>
            {
                var service = http.RequestServices.GetRequiredKeyedService<ProvisionService>(key);
                var request = await JsonBody.Read<EndProvisionRequest>(http.Request, Json(http));
                var provision = await service.End(id, request, MetadataOf(http, law), ct);
                return Results.Ok(provision.ToResponse(law));
            })
            .WithName($"{key}-end-provision")
            .WithSummary($"End a provision under the {law.Naam}")
            .Accepts<EndProvisionRequest>("application/json")
            .Produces<ProvisionResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        provisions.MapGet("/{id:guid}", async (Guid id, HttpContext http, CancellationToken ct) =>
            {
                var service = http.RequestServices.GetRequiredKeyedService<ProvisionService>(key);
                return await service.Get(id, ct) is { } provision
                    ? Results.Ok(provision.ToResponse(law))
                    : throw new ApiProblem(StatusCodes.Status404NotFound, "No such provision", "There is no provision with this id.");
            })
            .WithName($"{key}-get-provision")
            .WithSummary($"One provision under the {law.Naam}")
            .Produces<ProvisionResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static System.Text.Json.JsonSerializerOptions Json(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

    private static EventMetadata MetadataOf(HttpContext http, LawDefinition law) =>
        new(law.Service, http.Request.Headers["X-Correlation-ID"].FirstOrDefault() ?? http.TraceIdentifier);

    private sealed class StoreInitializer(IEventStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
