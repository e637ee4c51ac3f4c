using Microsoft.Extensions.Configuration;
using SocialDomain.Projections;
using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Delivery;

namespace SocialDomain.Beheer;

/// <summary>
/// <c>beheer views status | rebuild</c>: the projection's persisted views, straight on its store. The store is found
/// as the services find theirs (<c>Store__Provider</c>, <c>Store__DataDirectory</c>, <c>ConnectionStrings__Postgres</c>),
/// or from <c>--store</c>, <c>--data</c> and <c>--postgres</c>; the default is the embedded host's <c>data</c> directory.
/// </summary>
public static class ViewsCommand
{
    private const string Usage = """
        usage: beheer views status     the version of the folds that built the views, and the events applied
               beheer views rebuild    fold every view again from the inbox (readers keep the old views meanwhile)
        options: --store Sqlite|Postgres  --data DIRECTORY  --postgres "Host=...;Database=..."
        """;

    public static async Task<int> Run(string[] args, TextWriter output, TextWriter error)
    {
        var options = ErrorQueueCommand.Options(args, out var words);
        if (words is not ["views", "status" or "rebuild"])
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Provider"] = options.GetValueOrDefault("store") ?? Environment.GetEnvironmentVariable("Store__Provider"),
            ["Store:DataDirectory"] = options.GetValueOrDefault("data") ?? Environment.GetEnvironmentVariable("Store__DataDirectory"),
            ["ConnectionStrings:Postgres"] = options.GetValueOrDefault("postgres") ?? Environment.GetEnvironmentVariable("ConnectionStrings__Postgres"),
        }.Where(kv => kv.Value is not null)).Build();
        PlatformSettings settings;
        try
        {
            settings = PlatformSettings.From(configuration, PlatformSettings.Embedded);
        }
        catch (PlatformConfigurationException refused)
        {
            foreach (var problem in refused.Problems) await error.WriteLineAsync(problem);
            return 2;
        }
        var store = settings.StoreFor(ProjectionsService.Name);
        var inbox = Inboxes.Create(store);
        try
        {
            // Creates what is missing, and rebuilds at once when the views were built by another version of the folds.
            var rebuiltOnStart = await inbox.InitializeAsync();
            if (words[1] == "rebuild")
            {
                if (rebuiltOnStart) await output.WriteLineAsync($"{ViewMaintenance.Name}: rebuilt, as they were built by another version.");
                else
                {
                    var rebuilt = ViewEndpoints.RebuildResponseOf(await inbox.RebuildAsync());
                    await output.WriteLineAsync($"{ViewMaintenance.Name}: rebuilt {rebuilt.Events} events, {rebuilt.Households} households " +
                        $"in {rebuilt.Seconds:0.0} s ({rebuilt.EventsPerSecond:0} events/s).");
                }
            }
            var progress = await inbox.ProgressAsync();
            await output.WriteLineAsync($"{ViewMaintenance.Name}: version {progress?.Version} (current {ViewMaintenance.Version}), {progress?.Applied} events applied, " +
                $"{await inbox.CountAsync()} provision events in the inbox, updated {progress?.UpdatedAt:u}.");
            return 0;
        }
        catch (Exception ex) when (Failures.IsTransient(ex))
        {
            await error.WriteLineAsync($"The projection's store ({store.Provider}) does not answer ({ex.GetType().Name}); set --store, --data or --postgres.");
            return 1;
        }
        finally
        {
            if (inbox is IAsyncDisposable disposable) await disposable.DisposeAsync();
        }
    }
}
