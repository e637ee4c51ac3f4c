using SocialDomain.Households;
using SocialDomain.Platform;
using SocialDomain.Projections;
using SocialDomain.Provisions;
using SocialDomain.Relay;
using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.Embedded;

/// <summary>
/// All services in one process, each still with its own store (a SQLite file per service) and talking only
/// through the bus, exactly as when they run apart. The law APIs sit under /api/v1/{law}; the Households
/// service's commands and the projection's views share /api/v1/households.
/// </summary>
public static class EmbeddedHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <param name="laws">The laws to host, <see cref="PlatformLaws.All"/> when not given; each is registered here.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, RelayOptions? relay = null,
        IReadOnlyList<LawDefinition>? laws = null)
    {
        PlatformLaws.Register();
        laws ??= PlatformLaws.All;
        foreach (var law in laws) Contracts.Laws.Register(law.Description);
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        configure?.Invoke(builder);
        var settings = builder.AddServiceDefaults(PlatformSettings.Embedded);
        builder.AddPlatformAccess(settings, "access");
        builder.AddPlatformBus(settings, x => x.AddProjectionConsumers());
        foreach (var law in laws) builder.AddLawService(law, settings, relay);
        builder.AddHouseholds(settings, relay);
        builder.AddProjections(settings);

        var app = builder.Build();
        app.MapServiceDefaults();
        var api = app.MapGroup(HostingExtensions.BasePath);
        foreach (var law in laws) app.MapLawService(law, api.MapGroup("/" + law.Service));
        app.MapHouseholds(api);
        app.MapProjections(api);
        api.MapAccessLog();
        return app;
    }
}
