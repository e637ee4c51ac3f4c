using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocialDomain.EventStore;
using SocialDomain.Relay;

namespace SocialDomain.ServiceDefaults;

public static class EventSourcing
{
    /// <summary>
    /// A write-side service's own store, its schema created at start, and the relay that publishes its log.
    /// Keyed by service name, so one host can carry several services (the embedded host carries them all).
    /// </summary>
    public static void AddEventSourcedService(this IServiceCollection services, string service, EventStoreSettings store,
        EventSerializer published, RelayOptions? relay = null)
    {
        services.AddKeyedSingleton<IEventStore>(service, (_, _) => store.Create());
        // Plain IHostedService registrations: AddHostedService would keep only one of each type per host.
        services.AddSingleton<IHostedService>(sp => new Initializer(sp.GetRequiredKeyedService<IEventStore>(service).InitializeAsync));
        // A store that only wraps the real one (as tests do) keeps the parked events in a store of the same settings.
        services.AddKeyedSingleton(service, (sp, _) => sp.GetRequiredKeyedService<IEventStore>(service) as IParkedEvents ?? (IParkedEvents)store.Create());
        services.AddKeyedSingleton(service, (sp, _) =>
        {
            var logger = sp.GetRequiredService<ILogger<EventRelay>>();
            var interval = sp.GetRequiredService<IConfiguration>().GetValue("Relay:LeadershipInterval", RelayLeadership.DefaultInterval);
            var options = relay ?? new RelayOptions();
            if (options.EventsPerMessage is null)
                options = options with { EventsPerMessage = sp.GetService<PlatformSettings>()?.RelayEventsPerMessage ?? 1 };
            return new EventRelay(service, sp.GetRequiredKeyedService<IEventStore>(service), sp.GetRequiredKeyedService<IParkedEvents>(service),
                published, sp.GetRequiredService<IBus>(), options, RelayLeadership.For(store, EventRelay.NameFor(service), interval, logger), logger);
        });
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredKeyedService<EventRelay>(service));
        services.AddHealthChecks().Add(new HealthCheckRegistration($"{service}-store", sp => new Delivery.StoreCheck(null,
            ct => sp.GetRequiredKeyedService<IEventStore>(service).ReadCheckpointAsync(EventRelay.NameFor(service), ct)), HealthStatus.Unhealthy, ["ready"]));
        services.AddRelayHealth(service);
    }

    /// <summary>Runs a schema migration before the host takes requests.</summary>
    public sealed class Initializer(Func<CancellationToken, Task> initialize) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => initialize(cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
