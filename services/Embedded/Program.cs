using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using SocialDomain.Embedded;

var app = EmbeddedHost.Build(args);
await app.StartAsync();
var url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
Console.WriteLine($"""

    Sociaal Domein Platform (embedded: SQLite in ./data, in-memory bus) is running.
      API and OpenAPI browser: {url}/api/v1/docs
      OpenAPI document:        {url}/api/v1/openapi.json
    Press Ctrl+C to stop.

    """);
await app.WaitForShutdownAsync();
