using SocialDomain.Embedded;

namespace SocialDomain.IntegrationTests;

/// <summary>Embedded hosts a test class starts, each on SQLite files in a folder of its own that goes with the host.</summary>
public sealed class EmbeddedHosts(string folderPrefix) : IAsyncDisposable
{
    private readonly List<(RunningHost Host, string Data)> _hosts = [];

    /// <summary>Arguments of a host on a free loopback port in this environment, with no token settings of their own.</summary>
    public static string[] Args(string environment) => ["--urls", "http://127.0.0.1:0", "--environment", environment];

    public async Task<RunningHost> StartAsync(Dictionary<string, string?> settings, string[] args)
    {
        var data = Path.Combine(Path.GetTempPath(), folderPrefix + Guid.NewGuid().ToString("N"));
        settings["Store:DataDirectory"] = data;
        var host = await RunningHost.StartAsync(EmbeddedHost.Build(args, RunningHost.With(settings)));
        _hosts.Add((host, data));
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (host, data) in _hosts)
        {
            await host.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
