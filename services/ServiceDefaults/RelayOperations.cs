using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocialDomain.Contracts;
using SocialDomain.Relay;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.ServiceDefaults;

/// <summary>A parked event as the beheerder sees it; its data is left out (it holds BSNs): the reason and the place say what to fix.</summary>
public sealed record ParkedEventSummary(Guid EventId, string StreamId, long Version, string Type, string Position, string Reason, DateTimeOffset ParkedAt);

public sealed record ParkedEventsResponse(string Service, IReadOnlyList<ParkedEventSummary> Events);

public sealed record RetryParkedResponse(string Service, int Published, int StillParked);

/// <param name="Queue">The subscriber's queue that gets the events.</param>
/// <param name="EventTypes">The event types (short names) that queue takes.</param>
public sealed record ReplayToSubscriberRequest(string? Queue, IReadOnlyList<string>? EventTypes);

public sealed record ReplayToSubscriberResponse(string Service, string Queue, long Sent);

/// <summary>A beheerder's replay of a service's log to a subscriber's queue, and how far it has got.</summary>
/// <param name="State"><c>queued</c> until an instance of the service takes it, <c>sending</c>, <c>done</c>.</param>
/// <param name="SentUpTo">The log position up to which the events are sent.</param>
/// <param name="UpTo">The log position up to which the replay sends: the relay's checkpoint when it was asked.</param>
public sealed record ReplayResponse(Guid Id, string Service, string State, string SentUpTo, string UpTo)
{
    public static ReplayResponse Of(string service, HistoryProgress progress) => new(progress.Id, service,
        progress.Done ? "done" : progress.SentUpTo == EventStore.LogPosition.Start ? "queued" : "sending", progress.SentUpTo.ToString(), progress.UpTo.ToString());
}

/// <summary>The relay's health and the beheerder's tools for it (docs/relay.md).</summary>
public static class RelayOperations
{
    /// <summary>The relay's lag and parked events in /health/ready: degraded past the configured thresholds or with anything parked.</summary>
    public static void AddRelayHealth(this IServiceCollection services, string service) =>
        services.AddHealthChecks().Add(new HealthCheckRegistration($"{service}-relay",
            sp => new RelayHealthCheck(sp.GetRequiredKeyedService<EventRelay>(service), sp.GetRequiredService<IConfiguration>()),
            HealthStatus.Degraded, ["ready"]));

    private sealed class RelayHealthCheck(EventRelay relay, IConfiguration configuration) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (!relay.Started) return HealthCheckResult.Degraded($"The relay of {relay.Service} has not started yet.");
            // A standby is as it should be: the lag and the parked events are the leading instance's to report.
            if (!relay.Leads)
                return HealthCheckResult.Healthy($"The relay of {relay.Service} stands by: another instance leads and publishes its log.",
                    new Dictionary<string, object> { ["leads"] = false });
            var events = configuration.GetValue("Health:RelayLagDegradedEvents", 5_000L);
            var seconds = configuration.GetValue("Health:RelayLagDegradedSeconds", 60.0);
            var lag = await relay.MeasureLagAsync(EventRelay.LagCap, cancellationToken);
            var data = new Dictionary<string, object>
            {
                ["leads"] = true,
                ["checkpoint"] = relay.Checkpoint.ToString(),
                ["eventsBehind"] = lag.Events,
                ["secondsBehind"] = Math.Round(lag.Seconds, 1),
                ["parked"] = relay.ParkedCount,
                ["published"] = relay.Published,
            };
            if (relay.LastError is { } error) data["lastError"] = error;
            if (relay.ParkedCount > 0)
                return HealthCheckResult.Degraded($"The relay of {relay.Service} has parked {relay.ParkedCount} events: see /api/v1/beheer/relay/{relay.Service}/parked.", data: data);
            if (lag.Events > events || lag.Seconds > seconds)
                return HealthCheckResult.Degraded($"The relay of {relay.Service} is {lag.Events} events and {lag.Seconds:0} s behind its log.", data: data);
            return HealthCheckResult.Healthy($"The relay of {relay.Service} is {lag.Events} events behind its log.", data);
        }
    }

    /// <summary>List, retry parked events; replay the log to a named subscriber queue (beheerder only).</summary>
    public static void MapRelayOperations(this RouteGroupBuilder group, string service)
    {
        var api = group.MapGroup($"/beheer/relay/{service}").WithTags("Beheer").WithProblems();
        EventRelay Relay(HttpContext http) => http.RequestServices.GetRequiredKeyedService<EventRelay>(service);

        api.MapGet("/parked", async (HttpContext http, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.OperatePlatform, new AccessTarget.Platform());
                var parked = await Relay(http).ParkedAsync(ct);
                return TypedResults.Ok(new ParkedEventsResponse(service, [.. parked.Select(p => new ParkedEventSummary(p.Event.EventId,
                    p.Event.StreamId, p.Event.Version, p.Event.Type, p.Event.Position.ToString(), p.Reason, p.ParkedAt))]));
            })
            .WithName($"{service}-relay-parked")
            .WithSummary("The events the relay parked, in log order, with why (beheerder only)")
            .WithDescription("De gebeurtenissen die de relay heeft geparkeerd, in volgorde van het log, met de reden; latere gebeurtenissen van dezelfde stroom staan erachter.")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapPost("/parked/retry", async (HttpContext http, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.OperatePlatform, new AccessTarget.Platform());
                try
                {
                    var (published, stillParked) = await Relay(http).RetryParkedAsync(ct);
                    return TypedResults.Ok(new RetryParkedResponse(service, published, stillParked));
                }
                catch (RelayStandsByException e)
                {
                    throw new ApiProblem(StatusCodes.Status409Conflict, "The relay runs on another instance", e.Message +
                        " Send the request again: it must reach the instance whose /health/ready shows the relay check with leads = true.");
                }
            })
            .WithName($"{service}-relay-parked-retry")
            .WithSummary("Publish the parked events again, each stream in order, once the cause is fixed (beheerder only)")
            .WithDescription("Publiceert de geparkeerde gebeurtenissen opnieuw, elke stroom op volgorde, nadat de oorzaak is verholpen; een stroom stopt bij de eerste die weer mislukt. " +
                "Alleen de instantie die de relay leidt kan dit; een andere antwoordt 409.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/replay", async (HttpContext http, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.OperatePlatform, new AccessTarget.Platform());
                var route = await ReadReplayRoute(http);
                var sent = await Relay(http).Replay(new HistoryRequested("beheerder", [route], null), ct);
                return TypedResults.Ok(new ReplayToSubscriberResponse(service, route.Queue, sent));
            })
            .DeprecatedFor($"{service}-relay-replays", Deprecation.ReplayInOneRequest)
            .WithName($"{service}-relay-replay")
            .WithSummary("Deprecated (one long request, started again each time): use POST /replays")
            .WithDescription("Verouderd (één lang verzoek, dat bij een afgebroken verbinding opnieuw begint): gebruik POST /replays. Werkt tot 2027-06-05.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapPost("/replays", async (HttpContext http, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.OperatePlatform, new AccessTarget.Platform());
                var route = await ReadReplayRoute(http);
                var replay = await Relay(http).RequestReplay([route], ct)
                    ?? throw new ApiProblem(StatusCodes.Status409Conflict, "Nothing to replay",
                        $"The relay of {service} has published no event yet: there is no log to send.");
                return TypedResults.Accepted($"{http.Request.PathBase}{http.Request.Path}/{replay.Id}", ReplayResponse.Of(service, replay));
            })
            .WithName($"{service}-relay-replays")
            .WithSummary("Send the log up to the relay's checkpoint to one subscriber's queue, with the events' own ids, in the background (beheerder only); follow it at the Location")
            .WithDescription("Stuurt het log tot het controlepunt van de relay naar de wachtrij van één abonnee, met de eigen berichtnummers van de gebeurtenissen; de abonnee ontdubbelt. " +
                "Het versturen gebeurt op de achtergrond, door een instantie van de dienst, en gaat na een herstart verder waar het was; de Location wijst naar de voortgang.")
            .Accepts<ReplayToSubscriberRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/replays/{id:guid}", async (Guid id, HttpContext http, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.OperatePlatform, new AccessTarget.Platform());
                var progress = await Relay(http).ProgressOf(id, ct)
                    ?? throw new ApiProblem(StatusCodes.Status404NotFound, "No such replay", $"The relay of {service} knows no replay {id}.");
                return TypedResults.Ok(ReplayResponse.Of(service, progress));
            })
            .WithName($"{service}-relay-replay-progress")
            .WithSummary("How far a replay to a subscriber's queue has got (beheerder only)")
            .WithDescription("Hoe ver het opnieuw versturen van het log naar een abonnee is: in de wachtrij, bezig of klaar, met de positie in het log tot waar verstuurd is.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<ReplayRoute> ReadReplayRoute(HttpContext http)
    {
        var request = await JsonBody.Read<ReplayToSubscriberRequest>(http.Request, EventStore.EventSerializer.Json);
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.Queue)) errors.Add("queue", "Name the subscriber's queue.");
        if (request.EventTypes is not { Count: > 0 }) errors.Add("eventTypes", "Name at least one event type the queue takes.");
        errors.ThrowIfAny();
        return new ReplayRoute(request.Queue!, request.EventTypes!);
    }
}
