using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using SocialDomain.Embedded;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// The README's quick start as a newcomer types it: the embedded host's command line (port, data folder, demo, the
/// token command), run in-process through the same parser the program uses, and once as the real `dotnet run`.
/// </summary>
public sealed class QuickStartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sdp-quickstart-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Demo_before_urls_binds_the_given_port_puts_the_data_where_asked_and_names_the_demo_regisseur()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var data = Path.Combine(_directory, "gemeente");
        var (output, error) = (new StringWriter(), new StringWriter());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        // --demo first: an argument parser that takes the next word as its value would swallow --urls.
        var run = EmbeddedCommandLine.RunAsync(["--demo", "--urls", url, "--data", data, "--environment", "Development"],
            TextWriter.Synchronized(output), TextWriter.Synchronized(error), stop.Token);

        using var client = new HttpClient { BaseAddress = new Uri(url) };
        var banner = await Eventually.Get(() => Task.FromResult(output.ToString()), b => b.Contains("is running"), TimeSpan.FromSeconds(120));
        (await client.GetAsync("/health/live", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        File.Exists(Path.Combine(data, "households.db")).ShouldBeTrue();
        banner.ShouldContain($"Seeded gemeente {DemoData.Gemeente} with {DemoData.DefaultHouseholds} demo households");
        banner.ShouldContain($"SQLite files in {data}");
        banner.ShouldContain($"{url}/api/v1/docs");
        banner.ShouldContain($"--user {DemoData.Regisseur}");
        banner.ShouldContain($"--user {DemoData.Teamleider}");

        await stop.CancelAsync();
        (await run).ShouldBe(0, error.ToString());
    }

    [Theory]
    [InlineData("token --role beheerder --hours -1", "--hours")]
    [InlineData("token --role beheerder --hours soon", "--hours")]
    [InlineData("token --role burgemeester", "--role")]
    [InlineData("token --gemeente 0344", "--role")]
    [InlineData("token --role regisseur --gemeente 344", "--gemeente")]
    [InlineData("--dmeo", "--dmeo")]
    [InlineData("--urls", "--urls")]
    public async Task A_wrong_command_line_is_one_line_naming_what_is_wrong_and_starts_nothing(string args, string named)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        (await EmbeddedCommandLine.RunAsync(args.Split(' '), output, error, Ct)).ShouldBe(2);
        output.ToString().ShouldBeEmpty();
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, error.ToString());
        lines[0].ShouldStartWith("error: ");
        lines[0].ShouldContain(named);
    }

    [Fact]
    public async Task Help_lists_the_options_of_the_host_and_of_the_token_command()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        (await EmbeddedCommandLine.RunAsync(["--help"], output, error, Ct)).ShouldBe(0);
        foreach (var option in new[] { "--urls", "--data", "--demo", "--environment", "token" }) output.ToString().ShouldContain(option);

        output.GetStringBuilder().Clear();
        (await EmbeddedCommandLine.RunAsync(["token", "--help"], output, error, Ct)).ShouldBe(0);
        foreach (var option in new[] { "--role", "--gemeente", "--user", "--agb", "--hours" }) output.ToString().ShouldContain(option);
        error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task Dotnet_run_keeps_the_data_in_the_directory_it_is_typed_in_and_its_token_command_gives_a_token_the_host_takes()
    {
        var project = Path.Combine(Repository.Root, "services", "Embedded");
        var url = $"http://127.0.0.1:{FreePort()}";
        // The test build has built the host already: --no-build, as the README offers after the first run.
        using var host = DotnetRun(project, "--urls", url);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            (await Eventually.Get(() => client.GetAsync("/health/live", Ct), r => r.IsSuccessStatusCode, TimeSpan.FromSeconds(120)))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
            File.Exists(Path.Combine(_directory, "data", "households.db")).ShouldBeTrue("the data folder is ./data where dotnet run was typed");

            using var token = DotnetRun(project, "token", "--role", "beheerder");
            var issued = (await token.StandardOutput.ReadToEndAsync(Ct)).Trim().Split('\n')[^1];
            await token.WaitForExitAsync(Ct);
            token.ExitCode.ShouldBe(0);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issued);
            (await client.GetAsync("/api/v1/access-log?pageSize=1", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync(CancellationToken.None);
        }
    }

    private Process DotnetRun(string project, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
#if DEBUG
        string[] configuration = ["-c", "Debug"];
#else
        string[] configuration = ["-c", "Release"];
#endif
        foreach (var arg in (string[])["run", "--no-build", .. configuration, "--project", project, "--", .. args]) start.ArgumentList.Add(arg);
        // The host's own environment comes from its launch settings, as for a newcomer; not from the test run.
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("Auth__SigningKey");
        var process = Process.Start(start)!;
        // Drained so a chatty host never blocks on a full pipe; the token command's output is read by the test.
        if (args[0] != "token") process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>The repository the tests were built from: the folder above them that holds Platform.sln.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
