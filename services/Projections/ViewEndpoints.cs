using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.Projections;

/// <summary>The beheerder's look at the persisted views: how far they are, and a rebuild from the inbox.</summary>
public static class ViewEndpoints
{
    public sealed record ViewsResponse(string View, int Version, int CurrentVersion, long Applied, DateTimeOffset? UpdatedAt, long InboxProvisionEvents);

    public sealed record RebuildResponse(string View, int Version, long Events, int Households, double Seconds, double EventsPerSecond);

    public static void MapViewAdministration(this RouteGroupBuilder group)
    {
        var api = group.MapGroup("/beheer/views").WithTags("Beheer").WithProblems();

        api.MapGet("", async (HttpContext http, IInbox inbox, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.OperatePlatform, new AccessTarget.Platform());
                var progress = await inbox.ProgressAsync(ct);
                return TypedResults.Ok(new ViewsResponse(ViewMaintenance.Name, progress?.Version ?? 0, ViewMaintenance.Version, progress?.Applied ?? 0,
                    progress?.UpdatedAt, await inbox.CountAsync(ct)));
            })
            .WithName("views")
            .WithSummary("The persisted views: the version of the folds that built them, the events applied, the provision events in the inbox (beheerder only)")
            .WithDescription("De opgeslagen views: met welke versie van de verwerking ze zijn opgebouwd, hoeveel events ze hebben verwerkt en hoeveel voorzieningsevents de inbox bevat; alleen voor de beheerder.")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapPost("/rebuild", async (HttpContext http, IInbox inbox, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.OperatePlatform, new AccessTarget.Platform());
                var result = await inbox.RebuildAsync(ct);
                return TypedResults.Ok(RebuildResponseOf(result));
            })
            .WithName("views-rebuild")
            .WithSummary("Fold every view again from the inbox; reads keep the old views until the new ones are complete, new events wait (beheerder only)")
            .WithDescription("Bouwt alle views opnieuw op uit de inbox. Lezers zien de oude views tot de nieuwe compleet zijn; nieuwe events wachten zolang. Alleen voor de beheerder.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    public static RebuildResponse RebuildResponseOf(RebuildResult result) => new(ViewMaintenance.Name, ViewMaintenance.Version, result.Events,
        result.Households, result.Duration.TotalSeconds, result.Duration.TotalSeconds > 0 ? result.Events / result.Duration.TotalSeconds : 0);
}

/// <summary>
/// Recomputes the list entries whose content changed by the date alone (a provision that ended yesterday), so the
/// list is right without a read having to do it; a read still does it for its gemeente when this has not yet.
/// </summary>
public sealed class ViewRefresher(IInbox inbox, IConfiguration configuration, ILogger<ViewRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(configuration.GetValue("Views:RefreshInterval", TimeSpan.FromMinutes(15)));
        do
        {
            try
            {
                await inbox.RefreshAsync(null, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The next tick tries again; until then a list read refreshes its own gemeente.
                logger.LogWarning("Refreshing the household list failed: {Error}", ex.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
