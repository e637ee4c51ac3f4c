using System.Text.RegularExpressions;
using SocialDomain.Embedded;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// What a reader of the repository follows: every link in the README and docs/ leads to a file inside the
/// repository, and every command line they give the embedded host is one its parser takes.
/// </summary>
public sealed partial class DocumentationTests
{
    public static TheoryData<string> Documents()
    {
        var documents = new TheoryData<string> { "README.md", Path.Combine("infra", "README.md") };
        foreach (var path in Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md"))
            documents.Add(Path.GetRelativePath(Repository.Root, path));
        return documents;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_link_leads_to_a_file_inside_the_repository(string document)
    {
        var path = Path.Combine(Repository.Root, document);
        var problems = new List<string>();
        foreach (Match link in Link().Matches(File.ReadAllText(path)))
        {
            var target = link.Groups["target"].Value.Split('#')[0];
            if (target.Length == 0 || target.Contains("://") || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
            var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, target));
            if (!resolved.StartsWith(Repository.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                problems.Add($"{target} points outside the repository");
            else if (!File.Exists(resolved) && !Directory.Exists(resolved))
                problems.Add($"{target} does not exist");
        }
        problems.ShouldBeEmpty();
    }

    [Fact]
    public void The_readme_starts_the_platform_with_the_embedded_project_and_has_a_design_document_in_the_repository()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        readme.ShouldContain("dotnet run --project services/Embedded\n");
        readme.ShouldContain("](docs/architecture.md)");
        readme.ShouldContain("](docs/domain.md)");
        Directory.Exists(Path.Combine(Repository.Root, "services", "Embedded")).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_command_line_given_to_the_embedded_host_is_one_its_parser_takes(string document)
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, document));
        foreach (Match command in EmbeddedCommand().Matches(text))
        {
            var args = command.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var parsed = EmbeddedCommandLine.Create().Parse(args);
            parsed.Errors.ShouldBeEmpty($"{document}: {command.Value}");
        }
    }

    [Fact]
    public void The_commands_in_the_readme_are_seen_by_the_command_check()
    {
        EmbeddedCommand().Matches(File.ReadAllText(Path.Combine(Repository.Root, "README.md"))).Count.ShouldBeGreaterThanOrEqualTo(3);
    }

    // [text](target), not images' or code's look-alikes that carry no path.
    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    // `dotnet run ... --project services/Embedded -- <args>` up to the end of the line, a comment, `)` or a backtick.
    [GeneratedRegex(@"dotnet run[^\n`]*?--project services/Embedded -- (?<args>[^\n#)`|]*)")]
    private static partial Regex EmbeddedCommand();
}
