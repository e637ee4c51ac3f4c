using System.CommandLine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using SocialDomain.EventStore;
using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.Embedded;

/// <summary>
/// The embedded host's command line: run the platform (<c>--urls</c>, <c>--data</c>, <c>--demo</c>,
/// <c>--environment</c>) or issue a development token (<c>token</c>). Anything it does not know is an error, so a
/// typo never silently starts a different platform.
/// </summary>
public static class EmbeddedCommandLine
{
    public const string DefaultDataDirectory = "data";

    private static readonly Option<string> Urls = new("--urls")
    {
        HelpName = "url",
        Description = $"Where to listen, e.g. http://127.0.0.1:5160 (several separated by ';'). Default {EmbeddedHost.DefaultUrl}.",
    };

    private static readonly Option<string> Data = new("--data")
    {
        HelpName = "directory",
        Description = "The folder for the SQLite files, one per service; a relative path is taken from the current directory. " +
            $"Default Store__DataDirectory when set, else ./{DefaultDataDirectory}.",
    };

    private static readonly Option<bool> Demo = new("--demo")
    {
        Description = $"Seed a municipality (gemeente {DemoData.Gemeente}, {DemoData.DefaultHouseholds} households, regisseur {DemoData.Regisseur}, " +
            $"teamleider {DemoData.Teamleider}) " +
            "when the data folder holds no households yet.",
    };

    private static readonly Option<string> Environment = new("--environment")
    {
        HelpName = "name",
        Description = "The ASP.NET Core environment; Development (what `dotnet run` sets) trusts the development key and allows the token command.",
    };

    public static RootCommand Create()
    {
        var root = new RootCommand("Sociaal Domein Platform, every service in one process: SQLite files and an in-memory bus.")
        {
            Urls, Data, Demo, Environment, DevToken.Command(),
        };
        root.SetAction(Serve);
        return root;
    }

    /// <summary>Parses and runs a command line; a parse error is one line on <paramref name="error"/> and exit code 2.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var parsed = Create().Parse(args);
        if (parsed.Errors.Count > 0) return Task.FromResult(Refuse(parsed, error));
        // The host handles Ctrl+C and SIGTERM itself and shuts down gracefully; the parser must not cut that short.
        return parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, ct);
    }

    /// <summary>
    /// The first problem in one line, saying where the options are listed; exit code 2. A word the parser does not know
    /// comes first: the errors after it (its value taken for another word, a command missing) follow from it.
    /// </summary>
    internal static int Refuse(ParseResult parsed, TextWriter error)
    {
        var help = parsed.CommandResult.Command is RootCommand ? "--help" : $"{parsed.CommandResult.Command.Name} --help";
        var problem = parsed.UnmatchedTokens.Count > 0 ? $"unknown option or argument '{parsed.UnmatchedTokens[0]}'." : parsed.Errors[0].Message;
        error.WriteLine($"error: {problem} ({help} lists the options)");
        return 2;
    }

    private static async Task<int> Serve(ParseResult parsed, CancellationToken ct)
    {
        var (output, error) = (parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error);
        List<string> hostArgs = [];
        if (parsed.GetValue(Urls) is { } urls) hostArgs.AddRange(["--urls", urls]);
        if (parsed.GetValue(Data) is { } data) hostArgs.AddRange(["--Store:DataDirectory", Path.GetFullPath(data)]);
        if (parsed.GetValue(Environment) is { } environment) hostArgs.AddRange(["--environment", environment]);

        WebApplication app;
        try
        {
            app = EmbeddedHost.Build([.. hostArgs]);
        }
        catch (PlatformConfigurationException refused)
        {
            foreach (var problem in refused.Problems) error.WriteLine(problem);
            return PlatformHost.ConfigurationExitCode;
        }
        await using var _ = app;
        await app.StartAsync(ct);
        if (parsed.GetValue(Demo))
        {
            var households = await DemoData.SeedAsync(app.Services, DemoData.DefaultHouseholds, DemoData.DefaultSeed, ct);
            output.WriteLine(households > 0
                ? $"Seeded gemeente {DemoData.Gemeente} with {households} demo households; the demo's regisseur is {DemoData.Regisseur} " +
                  $"(wijk 01), its teamleider {DemoData.Teamleider}."
                : $"The data folder holds households already; nothing seeded. The demo's regisseur is {DemoData.Regisseur}, " +
                  $"its teamleider {DemoData.Teamleider}.");
        }
        var url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var settings = PlatformSettings.From(app.Configuration, PlatformSettings.Embedded);
        var store = settings.Store == StoreProvider.Sqlite ? $"SQLite files in {Path.GetFullPath(settings.DataDirectory)}" : "PostgreSQL";
        var bus = settings.Bus == BusTransport.InMemory ? "in-memory bus" : "RabbitMQ";
        const string token = "TOKEN=$(dotnet run -v q --no-build --project services/Embedded -- token";
        output.WriteLine($"""

            Sociaal Domein Platform (embedded: {store}, {bus}) is running.
              API and OpenAPI browser: {url}/api/v1/docs
              OpenAPI document:        {url}/api/v1/openapi.json
              Regisseur page:          {url}/regisseur
            Every API call needs a token; in a second terminal, from the repository's folder:
              {token} --role beheerder)
              {token} --role regisseur --gemeente {DemoData.Gemeente} --user {DemoData.Regisseur})   # the demo's regisseur
              {token} --role teamleider --gemeente {DemoData.Gemeente} --user {DemoData.Teamleider})   # the demo's teamleider
            Press Ctrl+C to stop.

            """);
        await app.WaitForShutdownAsync(ct);
        return 0;
    }
}
