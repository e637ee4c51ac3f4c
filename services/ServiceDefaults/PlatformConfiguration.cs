using Microsoft.AspNetCore.Builder;

namespace SocialDomain.ServiceDefaults;

/// <summary>
/// Settings a host cannot start with. Each problem is one line that names the setting and says what is wrong with it,
/// never its value where that could be a secret.
/// </summary>
public class PlatformConfigurationException(IReadOnlyList<string> problems)
    : InvalidOperationException(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems => problems;
}

public static class PlatformHost
{
    /// <summary>Exit code of a host that refused its configuration.</summary>
    public const int ConfigurationExitCode = 2;

    /// <summary>
    /// Builds and runs a service's host. A configuration problem ends it with one line per problem on standard error
    /// and exit code 2, instead of an unhandled exception's stack trace, so an operator sees which setting to fix.
    /// </summary>
    public static async Task<int> RunAsync(Func<WebApplication> build, TextWriter? error = null)
    {
        try
        {
            await using var app = build();
            await app.RunAsync();
            return 0;
        }
        catch (PlatformConfigurationException refused)
        {
            foreach (var problem in refused.Problems) (error ?? Console.Error).WriteLine($"configuration: {problem}");
            return ConfigurationExitCode;
        }
    }
}
