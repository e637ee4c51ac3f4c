using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using SocialDomain.Embedded;
using SocialDomain.ServiceDefaults.Access;

if (args.FirstOrDefault() == "token") return DevToken.Print(args[1..]);

var app = EmbeddedHost.Build(args);
await app.StartAsync();
if (args.Contains("--demo"))
{
    var households = await DemoData.SeedAsync(app.Services, households: 300, seed: 2015, CancellationToken.None);
    Console.WriteLine(households > 0
        ? $"Seeded gemeente {DemoData.Gemeente} with {households} demo households; see them as their regisseur with:"
        : "The data folder holds households already; nothing seeded. See the demo households as their regisseur with:");
    Console.WriteLine($"  dotnet run --project services/Embedded -- token --role regisseur --gemeente {DemoData.Gemeente} --user {DemoData.Regisseur}");
}
var url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
Console.WriteLine($"""

    Sociaal Domein Platform (embedded: SQLite in ./data, in-memory bus) is running.
      API and OpenAPI browser: {url}/api/v1/docs
      OpenAPI document:        {url}/api/v1/openapi.json
      Regisseur page:          {url}/regisseur
    Every API call needs a token:
      dotnet run --project services/Embedded -- token --role regisseur --gemeente 0344 --user regisseur-1
    Press Ctrl+C to stop.

    """);
await app.WaitForShutdownAsync();
return 0;

/// <summary>The dev-token command: a signed access token for local use, with the development key unless Auth__SigningKey is set.</summary>
internal static class DevToken
{
    public static int Print(string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != $"--{name}").Skip(1).FirstOrDefault();
        var role = Option("role");
        if (role is null || !Roles.All.Contains(role))
        {
            Console.Error.WriteLine($"usage: token --role {string.Join("|", Roles.All)} [--gemeente 0344] [--user id] [--agb 12345678] [--hours 8]");
            return 2;
        }
        var key = Environment.GetEnvironmentVariable("Auth__SigningKey") ?? Tokens.DevelopmentKey;
        Console.WriteLine(Tokens.Issue(key, Option("user") ?? $"{role}-dev", role, Option("gemeente"),
            TimeSpan.FromHours(double.Parse(Option("hours") ?? "8", System.Globalization.CultureInfo.InvariantCulture)), Option("agb")));
        return 0;
    }
}
