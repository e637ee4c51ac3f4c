using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;
using SocialDomain.ServiceDefaults.Access;
using SocialDomain.TestSupport;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace SocialDomain.FaultTests;

/// <summary>
/// The separate-process platform on containers of its own: PostgreSQL and RabbitMQ in Testcontainers containers
/// (host ports fixed for the run, so a restarted container is where the services expect it), and the five services as
/// `dotnet &lt;dll&gt;` processes in the Production environment with a random signing key, as infra/run-distributed.sh
/// runs them: three instances of the projection on the same queues and two of the Jeugdwet service on one store
/// (<see cref="Replicas"/>), one of each other. A killed instance is started again by <see cref="RestartAsync"/>, as
/// a process manager would. The broker is one node, or a cluster of nodes on a network of their own that the services
/// reach through <c>Bus:ClusterNodes</c>.
/// </summary>
public sealed class Platform : IAsyncDisposable
{
    public static readonly string[] LawServices = ["Participatiewet", "Wmo", "Jeugdwet"];
    public static readonly string[] Services = ["Projections", .. LawServices, "Households"];

    /// <summary>The services that run as more than one instance, and how many.</summary>
    public static readonly IReadOnlyDictionary<string, int> Replicas = new Dictionary<string, int> { ["Projections"] = 3, ["Jeugdwet"] = 2 };

    /// <summary>The names of a service's instances: the first is named as the service, the others get a number.</summary>
    public static IReadOnlyList<string> InstancesOf(string service) =>
        [.. Enumerable.Range(1, Replicas.GetValueOrDefault(service, 1)).Select(i => i == 1 ? service : $"{service}-{i}")];

    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    private readonly Dictionary<string, ServiceProcess> _processes = new();
    private readonly string _logs = Directory.CreateTempSubdirectory("sdp-faults-").FullName;

    private readonly INetwork? _brokerNetwork;

    private Platform(PostgreSqlContainer postgres, IReadOnlyList<RabbitMqContainer> rabbitMqNodes, INetwork? brokerNetwork)
    {
        Postgres = postgres;
        RabbitMqNodes = rabbitMqNodes;
        _brokerNetwork = brokerNetwork;
    }

    public PostgreSqlContainer Postgres { get; }

    /// <summary>The broker's nodes; the services' connection string names the first.</summary>
    public IReadOnlyList<RabbitMqContainer> RabbitMqNodes { get; }

    public RabbitMqContainer RabbitMq => RabbitMqNodes[0];
    public string PostgresConnection => Postgres.GetConnectionString();
    public Uri RabbitMqUri => new(RabbitMq.GetConnectionString());
    public string LogDirectory => _logs;

    /// <param name="brokerNodes">1 for a single RabbitMQ node, more for a cluster of that many.</param>
    public static async Task<Platform> StartAsync(int brokerNodes = 1)
    {
        PostgreSqlContainer postgres;
        IReadOnlyList<RabbitMqContainer> rabbitMq;
        INetwork? network = null;
        try
        {
            postgres = new PostgreSqlBuilder(Infrastructure.PostgresImage).WithPortBinding(FreePort(), PostgreSqlBuilder.PostgreSqlPort)
                .WithUsername("platform").WithPassword("platform").WithDatabase("platform").WithCommand("-c", "max_connections=300").Build();
            var postgresStarted = postgres.StartAsync();
            if (brokerNodes == 1)
            {
                rabbitMq = [BrokerNode().Build()];
                await rabbitMq[0].StartAsync();
            }
            else
                (network, rabbitMq) = await StartBrokerClusterAsync(brokerNodes);
            await postgresStarted;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                "The fault-injection suite needs a Docker engine: it starts PostgreSQL and RabbitMQ containers of its own and stops, " +
                $"pauses and restarts them. {e.GetType().Name}: {e.Message}. On Debian 12 run `eval \"$(infra/docker.sh)\"` first; " +
                "elsewhere start Docker and set SDP_POSTGRES_IMAGE=postgres:15 and SDP_RABBITMQ_IMAGE=rabbitmq:3 (see infra/README.md).", e);
        }
        var platform = new Platform(postgres, rabbitMq, network);
        foreach (var service in Services)
            foreach (var instance in InstancesOf(service))
                platform._processes[instance] = new ServiceProcess(service, instance, FreePort(), platform);
        try
        {
            // The projection first, as a deployment does: its queues exist before the first event is published.
            await platform.StartServiceAsync("Projections");
            await Task.WhenAll(platform._processes.Keys.Where(i => i != "Projections").Select(platform.StartServiceAsync));
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
        return platform;
    }

    private static RabbitMqBuilder BrokerNode() =>
        new RabbitMqBuilder(Infrastructure.RabbitMqImage).WithPortBinding(FreePort(), RabbitMqBuilder.RabbitMqPort).WithUsername("guest").WithPassword("guest");

    /// <summary>
    /// Nodes rmq1..rmqN on a network of their own, sharing an Erlang cookie. The first starts alone and forms the
    /// cluster (told of peers not yet started, it would wait minutes for them); the others start after it and join it
    /// (infra/images/rabbitmq/entrypoint.sh).
    /// </summary>
    private static async Task<(INetwork, IReadOnlyList<RabbitMqContainer>)> StartBrokerClusterAsync(int nodes)
    {
        var network = new NetworkBuilder().WithName($"sdp-faults-{Guid.NewGuid():N}"[..24]).Build();
        await network.CreateAsync();
        var hosts = Enumerable.Range(0, nodes).Select(i => BrokerNodeName(i).Split('@')[1]).ToList();
        var cookie = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        var containers = hosts.Select((host, i) => BrokerNode().WithNetwork(network).WithNetworkAliases(host).WithHostname(host)
            .WithEnvironment("RABBITMQ_NODENAME", BrokerNodeName(i))
            .WithEnvironment("RABBITMQ_ERLANG_COOKIE", cookie)
            .WithEnvironment("RABBITMQ_CLUSTER_NODES", i == 0 ? "" : BrokerNodeName(0))
            // How soon the others treat a node that stopped answering as gone (docs/scaling.md): 15 s instead of
            // Erlang's 60; the command-line tools must use the same.
            .WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", $"-kernel net_ticktime {NetTickTimeSeconds}")
            .WithEnvironment("RABBITMQ_CTL_ERL_ARGS", $"-kernel net_ticktime {NetTickTimeSeconds}")
            .Build()).ToList();
        await containers[0].StartAsync();
        await Task.WhenAll(containers.Skip(1).Select(c => c.StartAsync()));
        return (network, containers);
    }

    public const int NetTickTimeSeconds = 15;

    /// <summary>The RabbitMQ node name of the cluster's node at <paramref name="index"/> in <see cref="RabbitMqNodes"/>.</summary>
    public static string BrokerNodeName(int index) => $"rabbit@rmq{index + 1}";

    /// <summary>A client of one instance (a service's name is its first instance).</summary>
    public HttpClient Client(string instance, string role = Roles.Beheerder, string? gemeente = null)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_processes[instance].Port}"), Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.Issue(_signingKey, $"{role}-faults", role, gemeente, TimeSpan.FromHours(2)));
        return client;
    }

    /// <summary>kill -9: no shutdown hooks, no flushing, whatever was in flight is cut off.</summary>
    public void Kill(string instance) => _processes[instance].Kill();

    public Task RestartAsync(string instance) => StartServiceAsync(instance);

    /// <summary>The instances of a write service whose relay leads now, as their /health/ready says.</summary>
    public async Task<IReadOnlyList<string>> RelayLeadersAsync(string service)
    {
        var leaders = new List<string>();
        foreach (var instance in InstancesOf(service).Where(i => !_processes[i].HasExited))
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_processes[instance].Port}"), Timeout = TimeSpan.FromSeconds(2) };
            try
            {
                using var health = JsonDocument.Parse(await http.GetStringAsync("/health/ready"));
                var relay = health.RootElement.GetProperty("checks").GetProperty($"{service.ToLowerInvariant()}-relay");
                if (relay.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object &&
                    data.TryGetProperty("leads", out var leads) && leads.GetBoolean())
                    leaders.Add(instance);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException) { }
        }
        return leaders;
    }

    private async Task StartServiceAsync(string instance)
    {
        var process = _processes[instance];
        process.Start();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{process.Port}") };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"{instance} exited at start; its log: {process.LogFile}\n{process.Tail()}");
            try
            {
                if ((await http.GetAsync("/health/live")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{instance} did not answer /health/live within 90 s; its log: {process.LogFile}\n{process.Tail()}");
    }

    public async Task WaitForPostgresAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(PostgresConnection + ";Pooling=false;Timeout=3");
                await connection.OpenAsync();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline) { await Task.Delay(250); }
        }
    }

    public async Task WaitForRabbitMqAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var connection = await new ConnectionFactory { Uri = RabbitMqUri }.CreateConnectionAsync();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline) { await Task.Delay(250); }
        }
    }

    /// <summary>The last lines of every instance's log, for a failure report.</summary>
    public string LogTails() => string.Join('\n', _processes.Select(p => $"--- {p.Key} ({p.Value.LogFile}):\n{p.Value.Tail()}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Values) process.Kill();
        await Postgres.DisposeAsync();
        foreach (var node in RabbitMqNodes) await node.DisposeAsync();
        if (_brokerNetwork is not null) await _brokerNetwork.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>One instance of a service as an OS process; its output goes to a log file of its own (appended over restarts).</summary>
    private sealed class ServiceProcess(string service, string instance, int port, Platform platform)
    {
        private Process? _process;

        public int Port => port;
        public string LogFile => Path.Combine(platform._logs, instance + ".log");
        public bool HasExited => _process?.HasExited ?? true;

        public void Start()
        {
            var dll = ServiceDll(service);
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { dll, "--urls", $"http://127.0.0.1:{port}" }) info.ArgumentList.Add(arg);
            info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            info.Environment["Auth__SigningKey"] = platform._signingKey;
            info.Environment["Store__Provider"] = "Postgres";
            info.Environment["Bus__Transport"] = "RabbitMq";
            info.Environment["ConnectionStrings__Postgres"] = platform.PostgresConnection;
            info.Environment["ConnectionStrings__RabbitMq"] = platform.RabbitMqUri.ToString();
            if (platform.RabbitMqNodes.Count > 1)
                info.Environment["Bus__ClusterNodes"] = string.Join(',', platform.RabbitMqNodes.Select(n => $"127.0.0.1:{n.GetMappedPublicPort(RabbitMqBuilder.RabbitMqPort)}"));
            info.Environment["Logging__LogLevel__Default"] = "Warning";
            // Connects and disconnects (to a broker node, and when) are what a failed fault run is read for.
            info.Environment["Logging__LogLevel__MassTransit"] = "Debug";
            info.Environment["Logging__LogLevel__MassTransit.Messages"] = "Warning";
            info.Environment["Logging__Console__FormatterName"] = "simple";
            info.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
            var log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
            _process = Process.Start(info)!;
            _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public void Kill()
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }

        public string Tail() => File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(30)) : "";
    }

    /// <summary>The service's dll as the build put it beside its project, in the configuration these tests were built in.</summary>
    private static string ServiceDll(string service)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Platform.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
        var dll = Path.Combine(root.FullName, "services", service, "bin", configuration, "net10.0", $"SocialDomain.{service}.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the services first (dotnet build Platform.sln): {dll} is missing.");
    }
}
