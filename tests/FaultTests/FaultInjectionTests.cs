using System.Diagnostics;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace SocialDomain.FaultTests;

/// <summary>
/// The platform as separate processes on PostgreSQL and RabbitMQ containers, three projection instances on the same
/// queues and two Jeugdwet instances on one store, under load, through one fault after another: kill -9 of each
/// service (started again), of the Jeugdwet instance that relays together with a projection instance, the broker
/// stopped and started, the database restarted, each container paused (a network partition), poison messages on the
/// projection's queue. After each fault and at the end, every event in the stores must be applied exactly once by the
/// projection, and nothing else. Load: 4 workers, each posting every 50 ms plus the answer's time; a batch holds 10 starts.
/// </summary>
public sealed class FaultInjectionTests
{
    private static readonly TimeSpan LoadBeforeFault = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan LoadAfterFault = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(90);

    /// <summary>
    /// A standby tries to take the lead every 500 ms and the lock is free as soon as the killed process's socket is
    /// closed, so it leads within about one interval; the rest is this test's polling of /health/ready on a busy machine.
    /// </summary>
    private static readonly TimeSpan TakeoverBound = TimeSpan.FromSeconds(5);

    /// <param name="Inject">Injects the fault; returns what it measured, if anything, for the report.</param>
    private sealed record Fault(string Name, Func<Platform, Task<string?>> Inject)
    {
        public Fault(string name, Func<Platform, Task> inject) : this(name, async p =>
        {
            await inject(p);
            return null;
        })
        {
        }
    }

    private sealed record Row(string Fault, long Sent, long Accepted, long RefusedByRule, long Failed, Ledger Ledger, TimeSpan? CatchUp, string? Measured);

    private readonly List<TimeSpan> _takeovers = [];

    private IEnumerable<Fault> Faults()
    {
        foreach (var service in Platform.Services)
            yield return new Fault($"kill -9 {service}, started again after 2 s", async p =>
            {
                p.Kill(service);
                await Task.Delay(2000);
                await p.RestartAsync(service);
            });
        yield return new Fault("kill -9 the relaying Jeugdwet instance and a projection instance, started again after 2 s", KillRelayLeaderAndProjection);
        yield return new Fault("RabbitMQ stopped 5 s, started", async p =>
        {
            await p.RabbitMq.StopAsync();
            await Task.Delay(5000);
            await p.RabbitMq.StartAsync();
            await p.WaitForRabbitMqAsync(TimeSpan.FromSeconds(90));
        });
        yield return new Fault("PostgreSQL stopped 5 s, started", async p =>
        {
            await p.Postgres.StopAsync();
            await Task.Delay(5000);
            await p.Postgres.StartAsync();
            await p.WaitForPostgresAsync(TimeSpan.FromSeconds(60));
        });
        yield return new Fault("PostgreSQL paused 15 s (partition)", async p =>
        {
            await p.Postgres.PauseAsync();
            await Task.Delay(15000);
            await p.Postgres.UnpauseAsync();
        });
        yield return new Fault("RabbitMQ paused 15 s (partition)", async p =>
        {
            await p.RabbitMq.PauseAsync();
            await Task.Delay(15000);
            await p.RabbitMq.UnpauseAsync();
        });
        yield return new Fault("5 poison messages: ProvisionStarted without bsn", p => PublishPoison(p, 5));
    }

    [Fact]
    public async Task Every_accepted_event_is_applied_exactly_once_through_kills_outages_partitions_and_poison()
    {
        await using var platform = await Platform.StartAsync();
        var load = new LoadGenerator(platform, workers: 4, batchSize: 10, pause: TimeSpan.FromMilliseconds(50));
        var rows = new List<Row>();
        var run = Stopwatch.StartNew();

        foreach (var fault in Faults().Append(new Fault("none (the end of the run)", _ => Task.CompletedTask)))
        {
            var (sent, accepted, refused, failed) = (load.Sent, load.Accepted, load.RefusedByRule, load.Failed);
            load.Start();
            await Task.Delay(LoadBeforeFault, TestContext.Current.CancellationToken);
            var measured = await fault.Inject(platform);
            await Task.Delay(LoadAfterFault, TestContext.Current.CancellationToken);
            await load.StopAsync();

            var (ledger, catchUp) = await Ledger.WaitUntilCaughtUpAsync(platform.PostgresConnection, CatchUpLimit);
            rows.Add(new Row(fault.Name, load.Sent - sent, load.Accepted - accepted, load.RefusedByRule - refused, load.Failed - failed, ledger, catchUp, measured));
            Log($"{fault.Name}: {ledger} after {(catchUp is { } t ? $"{t.TotalSeconds:F1} s" : $"more than {CatchUpLimit.TotalSeconds} s")}");
        }

        var errorQueue = await ErrorQueueCount(platform);
        var report = Report(rows, load, errorQueue, run.Elapsed);
        var reportFile = Path.Combine(Path.GetTempPath(), "sdp-fault-run.md");
        await File.WriteAllTextAsync(reportFile, report, TestContext.Current.CancellationToken);
        Log(report);
        Log($"The report is also in {reportFile}; the services' logs are in {platform.LogDirectory}.");

        var final = rows[^1].Ledger;
        rows.ShouldAllBe(r => r.Ledger.StoredTwice == 0 && r.Ledger.AppliedTwice == 0 && r.Ledger.Unknown == 0, report);
        rows.Where(r => !r.Ledger.CaughtUp).ShouldBeEmpty(
            $"Accepted events missing from the views after a fault, {CatchUpLimit.TotalSeconds} s after it ended:\n{report}");
        final.Lost.ShouldBe(0, report);
        final.Stored.ShouldBeGreaterThan(1000, "the load generator got too few events accepted to mean anything");
        _takeovers.ShouldNotBeEmpty();
        _takeovers.ShouldAllBe(t => t < TakeoverBound, report);
        (await platform.RelayLeadersAsync("Jeugdwet")).Count.ShouldBe(1, "exactly one Jeugdwet instance relays at the end");
    }

    /// <summary>
    /// kill -9 of the Jeugdwet instance whose relay leads and of the last projection instance, under load: the other
    /// Jeugdwet instance takes the lead (measured from the kill until its /health/ready says it leads), the other two
    /// projection instances take what was delivered to the killed one and not acknowledged.
    /// </summary>
    private async Task<string?> KillRelayLeaderAndProjection(Platform platform)
    {
        var leaders = await platform.RelayLeadersAsync("Jeugdwet");
        leaders.Count.ShouldBe(1, "one Jeugdwet instance relays before the kill");
        var projection = Platform.InstancesOf("Projections")[^1];
        var watch = Stopwatch.StartNew();
        platform.Kill(leaders[0]);
        platform.Kill(projection);
        IReadOnlyList<string> next;
        while ((next = await platform.RelayLeadersAsync("Jeugdwet")).Count == 0 && watch.Elapsed < TakeoverBound * 4) await Task.Delay(50);
        var takeover = watch.Elapsed;
        _takeovers.Add(takeover);
        var rest = TimeSpan.FromSeconds(2) - takeover;
        if (rest > TimeSpan.Zero) await Task.Delay(rest);
        await Task.WhenAll(platform.RestartAsync(leaders[0]), platform.RestartAsync(projection));
        return $"relay takeover {takeover.TotalMilliseconds:F0} ms ({leaders[0]} killed, {string.Join(", ", next)} leads)";
    }

    /// <summary>
    /// Malformed events as a buggy or hostile publisher would send them: a well-formed MassTransit envelope whose
    /// ProvisionStarted has no bsn, straight onto the projection's queue, between the genuine events of the load.
    /// </summary>
    private static async Task PublishPoison(Platform platform, int count)
    {
        await using var connection = await new ConnectionFactory { Uri = platform.RabbitMqUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        for (var i = 0; i < count; i++)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                messageId = Guid.NewGuid(),
                messageType = new[] { "urn:message:SocialDomain.Contracts:ProvisionStarted", "urn:message:SocialDomain.Contracts:IProvisionEvent" },
                message = new
                {
                    eventId = Guid.NewGuid(), provisionId = Guid.NewGuid(), law = "Jeugdwet", streamVersion = 1, gemeente = "0344",
                    productcategorie = "45", begindatum = "2025-01-01",
                },
                sentTime = DateTime.UtcNow,
                headers = new { },
            });
            var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = Guid.NewGuid().ToString() };
            await channel.BasicPublishAsync("", "projections-provision-events", mandatory: true, properties, body);
            await Task.Delay(300);
        }
    }

    private static async Task<uint> ErrorQueueCount(Platform platform)
    {
        await using var connection = await new ConnectionFactory { Uri = platform.RabbitMqUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync("projections-provision-events_error")).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0; // no error queue: nothing was ever dead-lettered
        }
    }

    private static string Report(List<Row> rows, LoadGenerator load, uint errorQueue, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine($"Machine: {Environment.ProcessorCount} cores, {CpuModel()}; run took {elapsed.TotalMinutes:F1} min. Instances: " +
                        string.Join(", ", Platform.Services.Select(s => $"{s} ×{Platform.InstancesOf(s).Count}")) + ".");
        text.AppendLine($"Sent {load.Sent:N0} requests: {load.Accepted:N0} accepted, {load.RefusedByRule:N0} refused by a rule (4xx), " +
                        $"{load.Failed:N0} failed during faults (5xx or no answer); 4xx by status: {load.Refusals}. In the stores: {rows[^1].Ledger.Stored:N0} events; " +
                        $"applied by the projection: {rows[^1].Ledger.Applied:N0}; in projections-provision-events_error: {errorQueue}.");
        text.AppendLine();
        text.AppendLine("| Fault | Sent | Accepted | Refused (4xx) | Failed (fault) | Events stored | Lost | Duplicated | Catch-up |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
            text.AppendLine($"| {r.Fault}{(r.Measured is null ? "" : $": {r.Measured}")} | {r.Sent:N0} | {r.Accepted:N0} | {r.RefusedByRule:N0} | {r.Failed:N0} | " +
                            $"{r.Ledger.Stored:N0} | {r.Ledger.Lost:N0} | {r.Ledger.StoredTwice + r.Ledger.AppliedTwice:N0} | " +
                            $"{(r.CatchUp is { } t ? $"{t.TotalSeconds:F1} s" : $"not within {CatchUpLimit.TotalSeconds} s")} |");
        return text.ToString();
    }

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
