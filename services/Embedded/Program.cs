using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using SocialDomain.Embedded;
using SocialDomain.ServiceDefaults.Access;

if (args.FirstOrDefault() == "token") return DevToken.Print(args[1..], DevToken.Environment(), Console.Out, Console.Error);

WebApplication app;
try
{
    app = EmbeddedHost.Build(args);
}
catch (TokenConfigurationException refused)
{
    Console.Error.WriteLine(refused.Message);
    return 1;
}
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
