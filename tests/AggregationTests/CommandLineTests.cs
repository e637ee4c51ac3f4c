using System.Text.RegularExpressions;
using SocialDomain.Aggregation;

namespace SocialDomain.AggregationTests;

/// <summary>The job's command line as docs/aggregation.md gives it: every command there parses, and a mistake is one line.</summary>
public sealed partial class CommandLineTests
{
    [Fact]
    public async Task Help_lists_the_commands_and_each_commands_options()
    {
        var (code, stdout, _) = await Job.RunAsync("--help");
        code.ShouldBe(0);
        stdout.ShouldContain("extract");
        stdout.ShouldContain("aggregate");

        (code, stdout, _) = await Job.RunAsync("extract", "--help");
        code.ShouldBe(0);
        foreach (var option in new[] { "--out", "--postgres", "--sqlite", "--source", "--projection-schema", "--key-file", "--progress" })
            stdout.ShouldContain(option);

        (code, stdout, _) = await Job.RunAsync("aggregate", "--help");
        code.ShouldBe(0);
        foreach (var option in new[] { "--extract", "--out", "--periode", "--peildatum", "--threshold", "--rounding", "--protection", "--chart-regio", "--gebieden", "--gebieden-jaar", "--bevolking", "--raw", "--role" })
            stdout.ShouldContain(option);
    }

    [Theory]
    [InlineData("aggregate --extract e.sdpx --out t --periode 2025 --treshold 5", "--treshold")]
    [InlineData("aggregate --extract e.sdpx --out t --periode 2025 --threshold many", "many")]
    [InlineData("aggregate --extract e.sdpx --out t --periode 2025 --protection 0", "protection interval")]
    [InlineData("aggregate --out t --periode 2025", "--extract")]
    [InlineData("aggregate --extract e.sdpx --out t --periode 2025 --extract f.sdpx", "--extract")]
    [InlineData("aggregate --extract e.sdpx --out t", "--periode")]
    [InlineData("aggregate --extract e.sdpx --out t --periode 2025 --gebieden-jaar 2024", "--gebieden")]
    [InlineData("extract --out e.sdpx", "--postgres")]
    [InlineData("extrakt --out e.sdpx", "extrakt")]
    [InlineData("", "command")]
    public async Task A_wrong_command_line_is_one_line_saying_what_is_wrong_with_exit_code_2(string args, string named)
    {
        var (code, stdout, stderr) = await Job.RunAsync(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        code.ShouldBe(2);
        stdout.ShouldBeEmpty();
        var line = stderr.Trim().Split('\n').ShouldHaveSingleItem();
        line.ShouldStartWith("error: ");
        line.ShouldContain(named);
    }

    [Fact]
    public void Every_command_in_the_documentation_is_one_the_job_takes()
    {
        var commands = DocumentedCommands().ToList();
        commands.Count.ShouldBeGreaterThanOrEqualTo(5, "the documentation's commands are found");
        foreach (var args in commands)
            Cli.Create().Parse(args).Errors.ShouldBeEmpty(string.Join(' ', args));
    }

    /// <summary>The lines of docs/aggregation.md that start with `aggregation`, continuation lines joined, quotes and comments as a shell reads them.</summary>
    private static IEnumerable<string[]> DocumentedCommands()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Platform.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Platform.sln not found");
        var text = File.ReadAllText(Path.Combine(root, "docs", "aggregation.md")).Replace("\\\n", " ");
        foreach (var line in text.Split('\n').Where(l => l.StartsWith("aggregation ", StringComparison.Ordinal)))
        {
            var words = Word().Matches(line).Select(m => m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Value).ToList();
            var comment = words.IndexOf("#");
            yield return [.. words.Take(comment < 0 ? words.Count : comment).Skip(1)];
        }
    }

    [GeneratedRegex("\"(?<quoted>[^\"]*)\"|[^\\s\"]+")]
    private static partial Regex Word();
}
