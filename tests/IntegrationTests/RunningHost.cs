using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>A real host on a free loopback port, reached over real HTTP.</summary>
public sealed class RunningHost : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];

    private RunningHost(WebApplication app, Uri address)
    {
        (App, Address) = (app, address);
        Client = As(Roles.Beheerder);
    }

    public WebApplication App { get; }
    public Uri Address { get; }

    /// <summary>A client with a beheerder's token: it may do everything, so tests of other behaviour are not about access.</summary>
    public HttpClient Client { get; }

    /// <summary>A client with a token for this role, gemeente and user (and a care provider's AGB code).</summary>
    public HttpClient As(string role, string? gemeente = null, string? user = null, string? agb = null)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer",
            Tokens.Issue(Tokens.DevelopmentKey, user ?? $"{role}-test", role, gemeente, TimeSpan.FromHours(1), agb));
        return client;
    }

    public HttpClient Anonymous()
    {
        var client = new HttpClient { BaseAddress = Address };
        _clients.Add(client);
        return client;
    }
    public IServiceProvider Services => App.Services;

    public static string[] Args => ["--urls", "http://127.0.0.1:0"];

    public static Action<WebApplicationBuilder> With(IDictionary<string, string?> settings) =>
        builder => builder.Configuration.AddInMemoryCollection(settings);

    public static async Task<RunningHost> StartAsync(WebApplication app)
    {
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new RunningHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
