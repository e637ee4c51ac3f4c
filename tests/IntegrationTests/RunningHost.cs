using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SocialDomain.IntegrationTests;

/// <summary>A real host on a free loopback port, reached over real HTTP.</summary>
public sealed class RunningHost : IAsyncDisposable
{
    private RunningHost(WebApplication app, HttpClient client) => (App, Client) = (app, client);

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => App.Services;

    public static string[] Args => ["--urls", "http://127.0.0.1:0"];

    public static Action<WebApplicationBuilder> With(IDictionary<string, string?> settings) =>
        builder => builder.Configuration.AddInMemoryCollection(settings);

    public static async Task<RunningHost> StartAsync(WebApplication app)
    {
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new RunningHost(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
