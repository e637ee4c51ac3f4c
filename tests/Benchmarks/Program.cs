using Npgsql;
using SocialDomain.Benchmarks;

SocialDomain.Platform.PlatformLaws.Register();

// The views section again from a run's saved results, without measuring: for changing how it is written.
if (Environment.GetEnvironmentVariable("SDP_BENCH_VIEWS_FROM") is { Length: > 0 } savedRun)
{
    await WriteViewsSection(Report.Locate(), ViewsRun.FromJson(await File.ReadAllTextAsync(savedRun)), CancellationToken.None);
    Console.WriteLine($"rendered the views section of {Report.Locate()} from {savedRun}");
    return 0;
}

// Throughput of the event store and of the append-to-projection pipeline, each beside the raw infrastructure
// measured in the same run. Needs a real PostgreSQL and RabbitMQ; writes docs/benchmarks.md.
var postgres = Environment.GetEnvironmentVariable("SDP_POSTGRES");
var rabbitMq = Environment.GetEnvironmentVariable("SDP_RABBITMQ");
if (string.IsNullOrWhiteSpace(postgres) || string.IsNullOrWhiteSpace(rabbitMq))
{
    Console.Error.WriteLine($"""
        The benchmarks need a real PostgreSQL and RabbitMQ. Set both:
          SDP_POSTGRES  a Npgsql connection string of a role that may create databases{(string.IsNullOrWhiteSpace(postgres) ? "   <- missing" : "")}
          SDP_RABBITMQ  an amqp:// URI of a virtual host of the benchmark's own{(string.IsNullOrWhiteSpace(rabbitMq) ? "   <- missing" : "")}
        For the local infrastructure (eval "$(infra/start.sh)" starts it):
          rabbitmqctl add_vhost sdp-bench; rabbitmqctl set_permissions -p sdp-bench guest '.*' '.*' '.*'
          SDP_POSTGRES="{SocialDomain.ServiceDefaults.PlatformSettings.LocalPostgres}" \
          SDP_RABBITMQ="amqp://guest:guest@127.0.0.1:5672/sdp-bench" \
          dotnet run -c Release --project tests/Benchmarks
        """);
    return 2;
}

#if DEBUG
Console.Error.WriteLine("warning: a Debug build; figures are only comparable from `dotnet run -c Release`.");
#endif

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;
var options = BenchmarkOptions.FromEnvironment();
// --only append|e2e|tracing|bulk|growth|views: one part alone (as SDP_BENCH_ONLY); docs/benchmarks.md is then left as it
// is, but for append, tracing, growth and views, which replace their own sections.
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--only" && i + 1 < args.Length && BenchmarkOptions.Parts.Contains(args[i + 1])) options = options with { Only = args[++i] };
    else
    {
        Console.Error.WriteLine($"usage: dotnet run -c Release --project tests/Benchmarks [-- --only {string.Join("|", BenchmarkOptions.Parts)}]");
        return 2;
    }
}
if (options.Only is not null && !BenchmarkOptions.Parts.Contains(options.Only))
{
    Console.Error.WriteLine($"SDP_BENCH_ONLY is one of {string.Join(", ", BenchmarkOptions.Parts)}.");
    return 2;
}
var log = Console.Out;
var started = DateTimeOffset.UtcNow;
var loadBefore = MachineInfo.LoadAverage();

// A database of its own, dropped at the end, so a run disturbs nothing and starts from empty tables.
var database = "bench_" + Guid.NewGuid().ToString("N")[..12];
await using (var admin = new NpgsqlConnection(postgres))
{
    await admin.OpenAsync(ct);
    await using var create = new NpgsqlCommand($"create database {database}", admin);
    await create.ExecuteNonQueryAsync(ct);
}
var benchDb = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
log.WriteLine($"database {database}; vhost {new Uri(rabbitMq).AbsolutePath}");

try
{
    var machine = await MachineInfo.CollectAsync(benchDb, ct);
    log.WriteLine($"{machine.Cores} cores {machine.CpuModel}, {machine.Memory}; PostgreSQL {machine.PostgreSql}; {machine.DotNet}");

    IReadOnlyList<AppendResult> append = [];
    double dataBytes = 0, metadataBytes = 0;
    if (options.Only is null or "append")
    {
        await using var appendBenchmark = new AppendBenchmark(benchDb, options, log);
        append = await appendBenchmark.RunAsync(ct);
        (dataBytes, metadataBytes) = (appendBenchmark.AverageDataBytes, appendBenchmark.AverageMetadataBytes);
    }
    if (options.Only == "append")
    {
        // Its own section only, as for growth below.
        var section = new AppendReport(append, dataBytes, metadataBytes,
            $"Measured {started:yyyy-MM-dd HH:mm} UTC in a run of this part alone (`--only append`) on {machine.Cores} cores {machine.CpuModel}, " +
            $"PostgreSQL {machine.PostgreSql}, load average {loadBefore} before and {MachineInfo.LoadAverage()} after; the other sections come from their own runs.").ToMarkdown();
        log.Write(section);
        var document = Report.Locate();
        await File.WriteAllTextAsync(document, AppendReport.Splice(await File.ReadAllTextAsync(document, ct), section), ct);
        log.WriteLine($"replaced its section of {document}");
        return 0;
    }

    var endToEndBenchmark = new EndToEndBenchmark(benchDb, new Uri(rabbitMq), options, log);
    EndToEndResult? endToEnd = options.Only is null or "e2e" ? await endToEndBenchmark.RunAsync(ct) : null;

    string? tracingSection = null;
    if (options.Only is null or "tracing")
    {
        var tracingLoadBefore = MachineInfo.LoadAverage();
        var tracing = await endToEndBenchmark.RunTracingCostAsync(ct);
        tracingSection = new TracingReport(tracing, machine, tracingLoadBefore, MachineInfo.LoadAverage(), alone: options.Only == "tracing").ToMarkdown();
        log.Write(tracingSection);
    }
    if (options.Only == "tracing")
    {
        var document = Report.Locate();
        await File.WriteAllTextAsync(document, TracingReport.Splice(await File.ReadAllTextAsync(document, ct), tracingSection!), ct);
        log.WriteLine($"replaced its section of {document}");
        return 0;
    }

    BulkResult? bulk = options.Only is null or "bulk" ? await new BulkIngestBenchmark(benchDb, new Uri(rabbitMq), options, log).RunAsync(ct) : null;
    GrowthResult? growth = options.Only is null or "growth" ? await new IngestGrowthBenchmark(benchDb, options, log).RunAsync(ct) : null;
    if (options.Only == "growth" && growth is not null)
    {
        // Its own section only: the other parts' figures stay as their last full run wrote them.
        var section = new GrowthReport(growth, machine, options, loadBefore, MachineInfo.LoadAverage()).ToMarkdown();
        log.Write(section);
        var document = Report.Locate();
        await File.WriteAllTextAsync(document, GrowthReport.Splice(await File.ReadAllTextAsync(document, ct), section), ct);
        log.WriteLine($"replaced its section of {document}");
        return 0;
    }

    var viewsStarted = DateTimeOffset.UtcNow;
    var viewsLoadBefore = MachineInfo.LoadAverage();
    ViewsResult? views = options.Only is null or "views" ? await new ViewsBenchmark(benchDb, new Uri(rabbitMq), options, log).RunAsync(ct) : null;
    var path = Report.Locate();
    if (options.Only is null && endToEnd is not null && bulk is not null && growth is not null)
    {
        var report = new Report(new RunRecord(machine, endToEndBenchmark.RabbitMqVersion, options, append, endToEnd, bulk, growth, dataBytes, metadataBytes,
            loadBefore, MachineInfo.LoadAverage(), DateTimeOffset.UtcNow - started));
        await File.WriteAllTextAsync(path, TracingReport.Splice(report.ToMarkdown(), tracingSection!), ct);
    }
    else if (views is null)
    {
        log.WriteLine($"SDP_BENCH_ONLY={options.Only}: a partial run; docs/benchmarks.md is left as it is.");
        return 0;
    }
    if (views is not null)
    {
        var viewsRun = new ViewsRun(views, machine, options, viewsLoadBefore, MachineInfo.LoadAverage(), DateTimeOffset.UtcNow - viewsStarted);
        var saved = Path.Combine(Path.GetTempPath(), $"sdp-views-{viewsStarted:yyyyMMdd-HHmmss}.json");
        await File.WriteAllTextAsync(saved, viewsRun.ToJson(), ct);
        await WriteViewsSection(path, viewsRun, ct);
        log.WriteLine($"views results saved to {saved}");
    }
    log.WriteLine($"wrote {path} ({Format.Seconds(DateTimeOffset.UtcNow - started)} in all)");
    return 0;
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await using var admin = new NpgsqlConnection(postgres);
    await admin.OpenAsync(CancellationToken.None);
    await using var drop = new NpgsqlCommand($"drop database if exists {database} with (force)", admin);
    // After the bulk inserts an autovacuum worker may be busy in the database; a role that is not a superuser may not end
    // it (42501), so wait for it to finish.
    for (var attempt = 1; ; attempt++)
    {
        try
        {
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
            break;
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 30)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }
}

static async Task WriteViewsSection(string path, ViewsRun run, CancellationToken ct)
{
    var report = File.Exists(path) ? await File.ReadAllTextAsync(path, ct) : "";
    await File.WriteAllTextAsync(path, ViewsReport.Splice(report, new ViewsReport(run).ToMarkdown()), ct);
}
