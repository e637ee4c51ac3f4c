using System.Security.Cryptography;
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
            Tokens.Issue(SigningKey, user ?? $"{role}-test", role, gemeente, TimeSpan.FromHours(1), agb));
        return client;
    }

    public HttpClient Anonymous()
    {
        var client = new HttpClient { BaseAddress = Address };
        _clients.Add(client);
        return client;
    }
    public IServiceProvider Services => App.Services;

    /// <summary>
    /// The key the test hosts check tokens with: they run in the Production environment, as a deployment without an
    /// identity provider does, so the development key is refused there. New for every test run.
    /// </summary>
    public static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    public static string[] Args => ["--urls", "http://127.0.0.1:0", "--environment", "Production", "--Auth:SigningKey", SigningKey];

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
