using System.CommandLine;
using System.Globalization;
using SocialDomain.Contracts;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.Embedded;

/// <summary>
/// The token command: an access token for local use, signed with the development key (or Auth__SigningKey when set).
/// Development only: anywhere else tokens come from the identity provider, and a command that mints a beheerder
/// token for whoever runs it has no place there.
/// </summary>
public static class DevToken
{
    public const string OutsideDevelopment = "The token command issues development tokens and works only in the Development " +
        "environment (ASPNETCORE_ENVIRONMENT=Development, as `dotnet run --project services/Embedded` sets it); elsewhere " +
        "tokens come from the identity provider (Auth__Authority).";

    private static readonly Option<string> Role = new("--role")
    {
        Required = true,
        HelpName = string.Join("|", Roles.All),
        Description = "The platform role the token carries.",
        Validators = { result => ValidRole(result) },
    };

    private static readonly Option<string> Gemeente = new("--gemeente")
    {
        HelpName = "code",
        Description = "The four-digit CBS code of the gemeente (aanleverancier, aanbieder, regisseur, teamleider), e.g. 0344.",
        Validators = { result => ValidGemeente(result) },
    };

    private static readonly Option<string> User = new("--user")
    {
        HelpName = "id",
        Description = "The user the token names (a regisseur's id, e.g. regisseur-demo). Default <role>-dev.",
    };

    private static readonly Option<string> Agb = new("--agb")
    {
        HelpName = "code",
        Description = "A care provider's AGB code (aanbieder), e.g. 12345678.",
    };

    private static readonly Option<double> Hours = new("--hours")
    {
        HelpName = "hours",
        Description = "How long the token is valid, in hours (more than 0, at most 8760).",
        DefaultValueFactory = _ => 8,
        CustomParser = ParseHours,
    };

    public static Command Command()
    {
        var command = new Command("token", "Print an access token for local use (Development environment only).")
        {
            Role, Gemeente, User, Agb, Hours,
        };
        command.SetAction(parsed => Print(parsed, Environment(), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Runs the command's arguments (what follows <c>token</c>) as if given in an environment.</summary>
    public static int Print(string[] args, string environment, TextWriter output, TextWriter error)
    {
        var parsed = Command().Parse(args);
        if (parsed.Errors.Count == 0) return Print(parsed, environment, output, error);
        return EmbeddedCommandLine.Refuse(parsed, error);
    }

    /// <summary>The environment the command runs in, read as the host reads it.</summary>
    public static string Environment() =>
        System.Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
        ?? System.Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
        ?? "Production";

    private static int Print(ParseResult parsed, string environment, TextWriter output, TextWriter error)
    {
        if (!string.Equals(environment, "Development", StringComparison.OrdinalIgnoreCase))
        {
            error.WriteLine(OutsideDevelopment);
            return 1;
        }
        var role = parsed.GetRequiredValue(Role);
        var key = System.Environment.GetEnvironmentVariable("Auth__SigningKey") ?? Tokens.DevelopmentKey;
        output.WriteLine(Tokens.Issue(key, parsed.GetValue(User) ?? $"{role}-dev", role, parsed.GetValue(Gemeente),
            TimeSpan.FromHours(parsed.GetValue(Hours)), parsed.GetValue(Agb)));
        return 0;
    }

    private static void ValidRole(System.CommandLine.Parsing.OptionResult result)
    {
        var value = result.GetValueOrDefault<string>();
        if (!Roles.All.Contains(value)) result.AddError($"--role '{value}' is not a role of the platform; one of {string.Join(", ", Roles.All)}.");
    }

    private static void ValidGemeente(System.CommandLine.Parsing.OptionResult result)
    {
        var value = result.GetValueOrDefault<string>();
        if (!Gemeentecode.TryParse(value, out _, out var problem)) result.AddError($"--gemeente '{value}': {problem}");
    }

    private static double ParseHours(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var hours) && hours > 0 && hours <= 8760) return hours;
        result.AddError($"--hours is how long the token is valid: more than 0 and at most 8760 (a year), not '{text}'.");
        return 0;
    }
}
