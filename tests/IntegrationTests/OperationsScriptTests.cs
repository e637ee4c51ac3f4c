using System.Diagnostics;
using SocialDomain.Embedded;
using YamlDotNet.RepresentationModel;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// The operator's scripts and files: the supervisor that brings a killed service back, run-distributed.sh's options,
/// and docker-compose.yml as Docker Compose itself reads it, with a health check that really asks a service.
/// </summary>
public sealed class OperationsScriptTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_supervisor_starts_a_killed_process_again_and_stops_it_when_stopped_itself()
    {
        // The supervised process prints its process id and then waits, as a service does.
        using var supervisor = Start("bash", Path.Combine(Repository.Root, "infra", "supervise.sh"), "demo", "sh", "-c", "echo $$; exec sleep 300");
        try
        {
            var first = int.Parse(await NextLine(supervisor));
            Process.GetProcessById(first).Kill();

            var second = int.Parse(await NextLine(supervisor));
            second.ShouldNotBe(first);
            (await supervisor.StandardError.ReadLineAsync(Ct)).ShouldEndWith("demo exited with status 137; starting it again in 2 s");

            // TERM, as Ctrl+C in run-distributed.sh or a process manager sends it: the process goes, and stays gone.
            Process.Start("kill", ["-TERM", supervisor.Id.ToString()])!.WaitForExit();
            await supervisor.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            supervisor.ExitCode.ShouldBe(0);
            (await Eventually.Get(() => Task.FromResult(Running(second)), running => !running)).ShouldBeFalse();
        }
        finally
        {
            if (!supervisor.HasExited) supervisor.Kill(entireProcessTree: true);
        }
    }

    [Theory]
    [InlineData("--port-base abc", "--port-base")]
    [InlineData("--instances Relay=2", "--instances")]
    [InlineData("--signing-key-file /nonexistent/key", "--signing-key-file")]
    [InlineData("--verbose", "--verbose")]
    public async Task Run_distributed_refuses_a_wrong_option_in_one_line_before_it_starts_anything(string args, string named)
    {
        using var script = Start("bash", [Path.Combine(Repository.Root, "infra", "run-distributed.sh"), .. args.Split(' ')]);
        var error = await script.StandardError.ReadToEndAsync(Ct);
        await script.WaitForExitAsync(Ct);
        script.ExitCode.ShouldBe(2);
        error.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(named);
    }

    [Fact]
    public async Task Run_distributed_lists_its_options()
    {
        using var script = Start("bash", Path.Combine(Repository.Root, "infra", "run-distributed.sh"), "--help");
        var help = await script.StandardOutput.ReadToEndAsync(Ct);
        await script.WaitForExitAsync(Ct);
        script.ExitCode.ShouldBe(0);
        foreach (var option in new[] { "--port-base", "--instances", "--signing-key-file", "--no-build" }) help.ShouldContain(option);
    }

    [Fact]
    public async Task Docker_compose_accepts_the_file_and_every_service_has_a_restart_policy_and_a_health_check()
    {
        var services = await ComposeServices();
        services.Keys.ShouldBe(["postgres", "rabbitmq", "participatiewet", "wmo", "jeugdwet", "projections", "households"], ignoreOrder: true);
        foreach (var (name, service) in services)
        {
            Scalar(service, "restart").ShouldBe("unless-stopped", name);
            var healthcheck = (YamlMappingNode)service.Children[new YamlScalarNode("healthcheck")];
            ((YamlSequenceNode)healthcheck.Children[new YamlScalarNode("test")]).Children.ShouldNotBeEmpty(name);
        }
    }

    [Fact]
    public async Task The_services_health_check_passes_on_a_ready_service_and_fails_where_none_answers()
    {
        var services = await ComposeServices();
        var test = ((YamlSequenceNode)((YamlMappingNode)services["wmo"].Children[new YamlScalarNode("healthcheck")])
            .Children[new YamlScalarNode("test")]).Children.Select(n => ((YamlScalarNode)n).Value!).ToArray();
        test[0].ShouldBe("CMD");
        test[^1].ShouldContain("/health/ready");

        var data = Directory.CreateTempSubdirectory("sdp-health-").FullName;
        try
        {
            await using var host = await RunningHost.StartAsync(EmbeddedHost.Build(RunningHost.Args, RunningHost.With(
                new Dictionary<string, string?> { ["Store:DataDirectory"] = data })));
            (await Check(test, host.Address.Port)).ShouldBe(0);
            (await Check(test, QuickStartTests.FreePort())).ShouldNotBe(0);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }

        static async Task<int> Check(string[] test, int port)
        {
            // The container's port is 8080; here the same command asks the test's host.
            using var check = Start(test[1], [.. test[2..^1], test[^1].Replace("8080", port.ToString())]);
            await check.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            return check.ExitCode;
        }
    }

    /// <summary>The services of docker-compose.yml as `docker-compose config` resolves them (anchors, merges, variables).</summary>
    private static async Task<Dictionary<string, YamlMappingNode>> ComposeServices()
    {
        Process compose;
        try
        {
            compose = Start("docker-compose", "-f", Path.Combine(Repository.Root, "docker-compose.yml"), "config");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("docker-compose is not installed: apt-get install docker-compose (test.sh installs it).");
        }
        using var _ = compose;
        var resolved = await compose.StandardOutput.ReadToEndAsync(Ct);
        var error = await compose.StandardError.ReadToEndAsync(Ct);
        await compose.WaitForExitAsync(Ct);
        compose.ExitCode.ShouldBe(0, error);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(resolved));
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("services")];
        return services.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => (YamlMappingNode)kv.Value);
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    private static Process Start(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The compose file requires a signing key; any value of the right length resolves it.
        start.Environment["SDP_SIGNING_KEY"] = new string('k', 48);
        return Process.Start(start)!;
    }

    private static async Task<string> NextLine(Process process) =>
        await process.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct)
        ?? throw new InvalidOperationException("The supervisor's output ended.");

    private static bool Running(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
