using System.Globalization;
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

    /// <summary>The environment the command runs in, read as the host reads it.</summary>
    public static string Environment() =>
        System.Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
        ?? System.Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
        ?? "Production";

    public static int Print(string[] args, string environment, TextWriter output, TextWriter error)
    {
        if (!string.Equals(environment, "Development", StringComparison.OrdinalIgnoreCase))
        {
            error.WriteLine(OutsideDevelopment);
            return 1;
        }
        string? Option(string name) => args.SkipWhile(a => a != $"--{name}").Skip(1).FirstOrDefault();
        var role = Option("role");
        if (role is null || !Roles.All.Contains(role))
        {
            error.WriteLine($"usage: token --role {string.Join("|", Roles.All)} [--gemeente 0344] [--user id] [--agb 12345678] [--hours 8]");
            return 2;
        }
        var key = System.Environment.GetEnvironmentVariable("Auth__SigningKey") ?? Tokens.DevelopmentKey;
        output.WriteLine(Tokens.Issue(key, Option("user") ?? $"{role}-dev", role, Option("gemeente"),
            TimeSpan.FromHours(double.Parse(Option("hours") ?? "8", CultureInfo.InvariantCulture)), Option("agb")));
        return 0;
    }
}
