using System.CommandLine;

namespace SocialDomain.Aggregation;

/// <summary>
/// The job's command line (System.CommandLine; <c>--help</c> on the job and on each command); docs/aggregation.md
/// explains each command for the beheerder. Anything a command does not know is an error, so a typo never silently
/// changes a run. Exit codes: 0 done, 2 wrong use (one line saying what to do), 1 failure.
/// </summary>
public static class Cli
{
    public static RootCommand Create() =>
        new("The aggregation job: a pseudonymised extract from the event logs (extract), CBS-style stacking tables from it (aggregate).")
        {
            ExtractCommand.Command(), AggregateCommand.Command(),
        };

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var parsed = Create().Parse(args);
        var help = parsed.CommandResult.Command is RootCommand ? "--help" : $"{parsed.CommandResult.Command.Name} --help";
        if (parsed.Errors.Count > 0)
        {
            // One line: a word the parser does not know first, as the errors after it follow from it.
            var problem = parsed.UnmatchedTokens.Count > 0 ? $"unknown option or argument '{parsed.UnmatchedTokens[0]}'." : parsed.Errors[0].Message;
            stderr.WriteLine($"error: {problem} ({help} lists the options)");
            return 2;
        }
        try
        {
            // Program cancels on Ctrl+C itself; the commands' own checks throw UsageException, reported here.
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
            }, ct);
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"error: {ex.Message} ({help} lists the options)");
            return 2;
        }
    }
}
