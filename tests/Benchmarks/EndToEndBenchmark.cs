using System.Diagnostics;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using SocialDomain.EventStore;
using SocialDomain.Projections;
using SocialDomain.Provisions;
using SocialDomain.Relay;
using SocialDomain.ServiceDefaults;
using SocialDomain.Wmo;

namespace SocialDomain.Benchmarks;

/// <summary>One end-to-end repetition: when the appends, the relay's confirms and the projection's inbox were done.</summary>
public sealed record EndToEndRun(int Events, TimeSpan Appended, TimeSpan Relayed, TimeSpan Applied, CpuUsage Cpu)
{
    public double Rate => Events / Applied.TotalSeconds;
    public double AppendRate => Events / Appended.TotalSeconds;
    public double RelayRate => Events / Relayed.TotalSeconds;
}

/// <summary>The whole pipeline with one kind of projection host: as shipped, or a what-if.</summary>
/// <param name="Raw">The raw broker measured in turns with this variant's repetitions, when it was.</param>
public sealed record PipelineVariant(string Label, string Prefetch, IReadOnlyList<EndToEndRun> Runs, Sample? Raw = null)
{
    public double? Ratio => Raw is { } raw ? Platform.Median / raw.Median : null;

    public Sample Platform => new([.. Runs.Select(r => r.Rate)]);
    public Sample RelayRates => new([.. Runs.Select(r => r.RelayRate)]);
    public CpuUsage Cpu => CpuUsage.Median([.. Runs.Select(r => r.Cpu)]);
}

/// <summary>
/// The pipeline's repetitions with tracing as shipped and with the OpenTelemetry SDK off (OTEL_SDK_DISABLED), taken
/// in turns in one run. SpansKept: spans the traced hosts showed at the end of their repetitions (their latest traces), evidence that they traced; the hosts with the SDK off must show none.
/// </summary>
public sealed record TracingCostResult(int Events, IReadOnlyList<EndToEndRun> Traced, IReadOnlyList<EndToEndRun> Untraced, long SpansKept)
{
    public Sample TracedRates => new([.. Traced.Select(r => r.Rate)]);
    public Sample UntracedRates => new([.. Untraced.Select(r => r.Rate)]);
    public double Ratio => TracedRates.Median / UntracedRates.Median;

    /// <summary>CPU time of the benchmark's process (both hosts) per event, in microseconds: what tracing adds, apart from the machine's other load.</summary>
    public static double CpuMicroseconds(IReadOnlyList<EndToEndRun> runs) =>
        new Sample([.. runs.Select(r => r.Cpu.Benchmark * r.Applied.TotalSeconds / r.Events * 1e6)]).Median;
}

/// <summary>A stage measured with the other stages out of the way: its capacity, not the pipeline's.</summary>
public sealed record StageRun(string Stage, int Events, TimeSpan Elapsed, CpuUsage Cpu)
{
    public double Rate => Events / Elapsed.TotalSeconds;
}

public sealed record EndToEndResult(
    int Events,
    PipelineVariant Shipped,
    Sample Raw,
    CpuUsage RawCpu,
    StageRun RelayAlone,
    StageRun ConsumerAlone,
    IReadOnlyList<PipelineVariant> Variants,
    long Duplicates,
    long InboxCount,
    long ExpectedInboxCount,
    ushort RawPrefetch,
    int RawPublishBatch,
    int RawMessageBytes,
    int RelayBatch)
{
    public Sample Platform => Shipped.Platform;
    public double Ratio => Platform.Median / Raw.Median;
}

/// <summary>
/// The Wmo law service and the projection service as two real hosts on PostgreSQL and RabbitMQ (as in
/// RealStackTests). Events are appended straight into the law service's store; the clock runs from the first
/// append until the projection's inbox holds every one of them. Beside it: the broker alone (<see cref="RawRabbitBaseline"/>).
/// Then each stage alone, to see which one limits, and the projection with a larger prefetch, as a what-if.
/// </summary>
public sealed class EndToEndBenchmark(string postgres, Uri rabbitMq, BenchmarkOptions options, TextWriter log)
{
    private const int AppendChunk = 500;
    // Its hosts are reached through stores and the bus, never with a token; they still need a key to start.
    private static readonly string[] Args = ["--urls", "http://127.0.0.1:0", "--environment", "Production",
        "--Auth:SigningKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48))];

    public string RabbitMqVersion { get; private set; } = "?";

    /// <summary>How a pipeline with several events per message is labelled; the number follows.</summary>
    public const string EventsPerMessageLabel = "Relay:EventsPerMessage = ";

    /// <summary>The relay's batch size as LawService.Build gives it (RelayOptions' default).</summary>
    public int ShippedRelayBatch { get; private set; }

    public async Task<EndToEndResult> RunAsync(CancellationToken ct)
    {
        await DeleteLeftoverQueues(ct);
        _queuesCleaned = true;

        // The projection first, so its queue is bound before the relay publishes anything.
        var projection = await StartProjection(BuildProjection(prefetch: null), ct);
        var law = LawService.Build(Args, WmoLaw.Definition, Configure);
        await law.StartAsync(ct);
        ShippedRelayBatch = new RelayOptions().BatchSize;
        try
        {
            IEventStore Store() => law.Services.GetRequiredKeyedService<IEventStore>(WmoLaw.Definition.Service);
            EventRelay Relay() => law.Services.GetRequiredKeyedService<EventRelay>(WmoLaw.Definition.Service);
            var store = Store();
            var relay = Relay();

            var bodies = Enumerable.Range(0, 1024)
                .Select(i => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(Workload.Serialize(Workload.NewStart(i)).Data)).ToArray();
            await using var raw = await RawRabbitBaseline.StartAsync(rabbitMq, bodies, options.RawPrefetch, options.RawPublishBatch, ct);
            RabbitMqVersion = raw.ServerVersion;

            var appended = 0L;
            var duplicates = 0L;
            var rawRates = new List<double>();
            var rawCpu = new List<CpuUsage>();
            var shipped = await MeasurePipeline(projection, "as shipped", store, relay, raw, rawRates, rawCpu, ct);
            appended += options.EndToEndWarmupEvents + (long)options.EndToEndEvents * options.EndToEndRepetitions;

            // Each stage alone. The relay with no consumer running: the messages wait in the durable queue. Then the
            // consumer on a new projection host drains that queue with nothing else running.
            duplicates += projection.Services.GetRequiredService<ProjectionMetrics>().DuplicateCount;
            await StopAsync(projection);
            var relayAlone = await RelayAlone(store, relay, ct);
            appended += options.EndToEndEvents;
            (projection, var consumerAlone) = await ConsumerAlone(ct);

            // What-ifs, measured over the same store, queue and inbox. A projection with another prefetch (set through
            // MassTransit's endpoint hook), then a law service whose relay reads and publishes larger batches (the
            // RelayOptions that AddLawService takes; LawService.Build passes none).
            var variants = new List<PipelineVariant>();
            foreach (var prefetch in options.PrefetchVariants)
            {
                duplicates += projection.Services.GetRequiredService<ProjectionMetrics>().DuplicateCount;
                await StopAsync(projection);
                projection = await StartProjection(BuildProjection(prefetch), ct);
                variants.Add(await MeasurePipeline(projection, $"what-if: projection prefetch {prefetch}", store, relay, raw: null, rawRates, rawCpu, ct));
                appended += options.EndToEndWarmupEvents + (long)options.EndToEndEvents * options.EndToEndRepetitions;
            }
            foreach (var batch in options.RelayBatchVariants)
            {
                await StopAsync(law);
                law = BuildLawService(new RelayOptions(BatchSize: batch));
                await law.StartAsync(ct);
                store = Store();
                relay = Relay();
                variants.Add(await MeasurePipeline(projection, $"what-if: relay batch {batch}", store, relay, raw: null, rawRates, rawCpu, ct));
                appended += options.EndToEndWarmupEvents + (long)options.EndToEndEvents * options.EndToEndRepetitions;
            }
            // Relay:EventsPerMessage as a deployment whose subscribers all take batches sets it; with the raw broker
            // measured in turns again, since this is the figure set against the target.
            foreach (var perMessage in options.EventsPerMessageVariants)
            {
                await StopAsync(law);
                law = BuildLawService(new RelayOptions(EventsPerMessage: perMessage));
                await law.StartAsync(ct);
                store = Store();
                relay = Relay();
                var rawOwn = new List<double>();
                variants.Add(await MeasurePipeline(projection, $"{EventsPerMessageLabel}{perMessage}", store, relay, raw, rawOwn, rawCpu, ct)
                    with { Raw = new Sample(rawOwn) });
                appended += options.EndToEndWarmupEvents + (long)options.EndToEndEvents * options.EndToEndRepetitions;
            }

            // Let any redelivery show up before counting: nothing may arrive twice.
            await Task.Delay(500, ct);
            duplicates += projection.Services.GetRequiredService<ProjectionMetrics>().DuplicateCount;
            var inbox = projection.Services.GetRequiredService<IInbox>();
            var result = new EndToEndResult(options.EndToEndEvents, shipped, new Sample(rawRates), CpuUsage.Median(rawCpu),
                relayAlone, consumerAlone, variants, duplicates, await inbox.CountAsync(ct), appended,
                raw.Prefetch, raw.PublishBatch, (int)bodies.Average(b => b.Length), ShippedRelayBatch);
            log.WriteLine($"  platform {result.Platform}   raw {result.Raw}   ratio {Format.Percent(result.Ratio)}");
            return result;
        }
        finally
        {
            await StopAsync(law);
            await StopAsync(projection);
            foreach (var app in _stopped.Distinct()) await app.DisposeAsync();
        }
    }

    /// <summary>
    /// What tracing costs: the law service and the projection started afresh for every repetition, traced as shipped or
    /// with the SDK off, in turns (which goes first alternates), over the same database and queue, so a drift in the
    /// machine's state hits both alike. Nothing comes from a request here, so every relay publish starts a trace of its
    /// own: every event is traced, as when every provision comes in through the API.
    /// </summary>
    public async Task<TracingCostResult> RunTracingCostAsync(CancellationToken ct)
    {
        // After RunAsync in the same run the queue is there and empty, and the projection has the Wmo history. Deleted
        // now, the first projection host would ask for that history again, and the relay would send the whole log of
        // the run so far into the queue while the repetitions are measured.
        if (!_queuesCleaned) await DeleteLeftoverQueues(ct);
        var traced = new List<EndToEndRun>();
        var untraced = new List<EndToEndRun>();
        long spans = 0;
        for (var rep = -1; rep < options.EndToEndRepetitions * 2; rep++)
        {
            // The first round only warms up (JIT, connections, the queue), traced.
            var tracing = rep < 0 || rep % 4 is 0 or 3;
            var projection = await StartProjection(BuildProjection(prefetch: null, tracing), ct);
            var law = LawService.Build(Args, WmoLaw.Definition, builder =>
            {
                Configure(builder);
                if (!tracing) DisableTracing(builder);
            });
            await law.StartAsync(ct);
            try
            {
                var count = rep < 0 ? options.EndToEndWarmupEvents : options.EndToEndEvents;
                var run = await RunPipeline(law.Services.GetRequiredKeyedService<IEventStore>(WmoLaw.Definition.Service),
                    law.Services.GetRequiredKeyedService<EventRelay>(WmoLaw.Definition.Service),
                    projection.Services.GetRequiredService<ProjectionMetrics>(), count, ct);
                var kept = SpansKept(law) + SpansKept(projection);
                log.WriteLine($"  {(rep < 0 ? "warm-up, " : "")}{(tracing ? "traced" : "SDK off")}: {Format.Rate(run.Rate)} events/s; {kept} spans kept; {run.Cpu}");
                if (!tracing && kept > 0) throw new InvalidOperationException("The hosts with the SDK off recorded spans: the comparison would be void.");
                if (rep < 0) continue;
                (tracing ? traced : untraced).Add(run);
                spans += kept;
            }
            finally
            {
                await StopAsync(law);
                await StopAsync(projection);
                // A stopped host is disposed only at the end (see _stopped), but its providers' listeners would go on
                // tracing the next repetition's hosts, which share the process: they go now.
                foreach (var host in new[] { law, projection })
                {
                    host.Services.GetService<OpenTelemetry.Trace.TracerProvider>()?.Dispose();
                    host.Services.GetService<OpenTelemetry.Metrics.MeterProvider>()?.Dispose();
                }
            }
        }
        foreach (var app in _stopped.Distinct()) await app.DisposeAsync();
        _stopped.Clear();
        var result = new TracingCostResult(options.EndToEndEvents, traced, untraced, spans);
        log.WriteLine($"  traced {result.TracedRates}   SDK off {result.UntracedRates}   ratio {Format.Percent(result.Ratio)}");
        return result;
    }

    private static long SpansKept(WebApplication host) =>
        host.Services.GetRequiredService<RecentTelemetry>().RecentTraces().Sum(t => t.Spans.Count);

    private static void DisableTracing(WebApplicationBuilder builder) =>
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_SDK_DISABLED"] = "true" });

    /// <summary>Warm-up, then the repetitions of the whole pipeline; with a raw broker repetition beside each when given one.</summary>
    private async Task<PipelineVariant> MeasurePipeline(WebApplication projection, string label, IEventStore store, EventRelay relay,
        RawRabbitBaseline? raw, List<double> rawRates, List<CpuUsage> rawCpu, CancellationToken ct)
    {
        var metrics = projection.Services.GetRequiredService<ProjectionMetrics>();
        var prefetch = PrefetchOf(projection);
        log.WriteLine($"end-to-end, projection {label} (prefetch {prefetch}): warm-up ({options.EndToEndWarmupEvents} events)");
        await RunPipeline(store, relay, metrics, options.EndToEndWarmupEvents, ct);
        if (raw is not null) await raw.RunAsync(options.EndToEndWarmupEvents, ct);

        var runs = new List<EndToEndRun>();
        for (var rep = 0; rep < options.EndToEndRepetitions; rep++)
        {
            async Task Platform()
            {
                var run = await RunPipeline(store, relay, metrics, options.EndToEndEvents, ct);
                runs.Add(run);
                log.WriteLine($"  platform: {Format.Rate(run.Rate)} events/s (appended in {Format.Seconds(run.Appended)}, relayed in {Format.Seconds(run.Relayed)}, applied in {Format.Seconds(run.Applied)}); {run.Cpu}");
            }
            async Task Raw()
            {
                if (raw is null) return;
                var cpu = CpuSample.Start();
                var rate = await raw.RunAsync(options.EndToEndEvents, ct);
                rawCpu.Add(cpu.Stop());
                rawRates.Add(rate);
                log.WriteLine($"  raw RabbitMQ: {Format.Rate(rate)} messages/s; {rawCpu[^1]}");
            }
            // Alternate which goes first, so a drift in the machine's state hits both alike.
            if (rep % 2 == 0)
            {
                await Platform();
                await Raw();
            }
            else
            {
                await Raw();
                await Platform();
            }
        }
        return new PipelineVariant(label, prefetch, runs);
    }

    /// <summary>Appends <paramref name="count"/> new provisions and waits until the projection recorded them all.</summary>
    private static async Task<EndToEndRun> RunPipeline(IEventStore store, EventRelay relay, ProjectionMetrics metrics, int count, CancellationToken ct)
    {
        var chunks = Chunks(count);
        var relayTarget = relay.Published + count;
        var appliedTarget = metrics.AppliedCount + count;

        var cpu = CpuSample.Start();
        var clock = Stopwatch.StartNew();
        var watch = Task.Run(async () =>
        {
            var relayed = TimeSpan.Zero;
            while (metrics.AppliedCount < appliedTarget)
            {
                if (relayed == TimeSpan.Zero && relay.Published >= relayTarget) relayed = clock.Elapsed;
                Deadline(clock, metrics.AppliedCount - (appliedTarget - count), count, "applied");
                await Task.Delay(1, ct);
            }
            var applied = clock.Elapsed;
            return (Relayed: relayed == TimeSpan.Zero ? applied : relayed, Applied: applied);
        }, ct);
        foreach (var chunk in chunks) await store.AppendAsync(chunk, ct);
        var appended = clock.Elapsed;
        var (relayedAt, appliedAt) = await watch;
        return new EndToEndRun(count, appended, relayedAt, appliedAt, cpu.Stop());
    }

    /// <summary>Appends and relays N events while no projection consumes: what the relay can publish.</summary>
    private async Task<StageRun> RelayAlone(IEventStore store, EventRelay relay, CancellationToken ct)
    {
        var count = options.EndToEndEvents;
        log.WriteLine($"end-to-end, relay alone ({count} events, no consumer)");
        // The appends are timed as in the pipeline; the relay picks the events up as their transactions commit.
        var target = relay.Published + count;
        var cpu = CpuSample.Start();
        var clock = Stopwatch.StartNew();
        foreach (var chunk in Chunks(count)) await store.AppendAsync(chunk, ct);
        while (relay.Published < target)
        {
            Deadline(clock, relay.Published - (target - count), count, "relayed");
            await Task.Delay(1, ct);
        }
        var run = new StageRun("relay", count, clock.Elapsed, cpu.Stop());
        log.WriteLine($"  relay alone: {Format.Rate(run.Rate)} events/s (append included); {run.Cpu}");
        return run;
    }

    /// <summary>A new projection host drains the N messages the relay left in the queue: what the consumer can apply.</summary>
    private async Task<(WebApplication Projection, StageRun Run)> ConsumerAlone(CancellationToken ct)
    {
        var count = options.EndToEndEvents;
        log.WriteLine($"end-to-end, consumer alone ({count} queued messages, projection as shipped)");
        var projection = BuildProjection(prefetch: null);
        var metrics = projection.Services.GetRequiredService<ProjectionMetrics>();
        var clock = new Stopwatch();
        CpuSample? cpu = null;
        // The clock starts at the first message applied, so the host's start-up does not count.
        var watch = Task.Run(async () =>
        {
            while (metrics.AppliedCount == 0) await Task.Delay(1, ct);
            clock.Start();
            cpu = CpuSample.Start();
            while (metrics.AppliedCount < count)
            {
                Deadline(clock, metrics.AppliedCount, count, "applied");
                await Task.Delay(1, ct);
            }
            clock.Stop();
            return cpu.Stop();
        }, ct);
        await projection.StartAsync(ct);
        var usage = await watch;
        var run = new StageRun("consumer", count - 1, clock.Elapsed, usage);
        log.WriteLine($"  consumer alone: {Format.Rate(run.Rate)} events/s; {run.Cpu}");
        return (projection, run);
    }

    private static StreamAppend[][] Chunks(int count) =>
        // Serialized before the clock starts: the law service would have done that while deciding.
        Enumerable.Range(0, count).Select(i => Workload.NewStart(i))
            .Select(e => new StreamAppend(e.StreamId, 0, [Workload.Serialize(e)]))
            .Chunk(AppendChunk).ToArray();

    private static void Deadline(Stopwatch clock, long done, int count, string what)
    {
        var deadline = TimeSpan.FromMinutes(3);
        if (clock.Elapsed > deadline) throw new TimeoutException($"Only {done} of {count} events were {what} in {deadline}.");
    }

    private void Configure(WebApplicationBuilder builder) => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Store:Provider"] = "Postgres",
        ["Bus:Transport"] = "RabbitMq",
        ["ConnectionStrings:Postgres"] = postgres,
        ["ConnectionStrings:RabbitMq"] = rabbitMq.ToString(),
        ["Logging:LogLevel:Default"] = "Warning",
        // Only the Wmo service runs here. Waiting for the others' history too, every new projection host would ask again,
        // and the Wmo relay would send its whole log to the projection's queue while a repetition is measured.
        ["Projection:Sources:0"] = WmoLaw.Definition.Service,
    });

    /// <summary>The law service as <see cref="LawService.Build"/> makes it, less the HTTP API, with the given relay options.</summary>
    private WebApplication BuildLawService(RelayOptions relay)
    {
        var builder = WebApplication.CreateBuilder(Args);
        Configure(builder);
        var settings = builder.AddServiceDefaults(PlatformSettings.Distributed);
        builder.AddPlatformBus(settings, _ => { });
        builder.AddLawService(WmoLaw.Definition, settings, relay);
        return builder.Build();
    }

    private WebApplication BuildProjection(ushort? prefetch, bool tracing = true) =>
        ProjectionsService.Build(Args, builder =>
        {
            Configure(builder);
            if (!tracing) DisableTracing(builder);
            // MassTransit applies every IConfigureReceiveEndpoint in the container to each endpoint it configures.
            if (prefetch is { } count) builder.Services.AddSingleton<IConfigureReceiveEndpoint>(new PrefetchSetting(count));
        });

    private static async Task<WebApplication> StartProjection(WebApplication app, CancellationToken ct)
    {
        await app.StartAsync(ct);
        return app;
    }

    /// <summary>
    /// Stopped hosts are disposed only at the end: MassTransit keeps the logger factory of the first bus created in
    /// the process in a static LogContext, and building another bus after that host was disposed throws
    /// ObjectDisposedException.
    /// </summary>
    private readonly List<WebApplication> _stopped = [];

    private async Task StopAsync(WebApplication app)
    {
        await app.StopAsync(CancellationToken.None);
        _stopped.Add(app);
    }

    /// <summary>The prefetch count the projection's receive endpoint really uses, from MassTransit's probe.</summary>
    private static string PrefetchOf(WebApplication projection)
    {
        var probe = projection.Services.GetRequiredService<IBusControl>().GetProbeResult();
        var json = System.Text.Json.JsonSerializer.Serialize(probe.Results);
        var match = System.Text.RegularExpressions.Regex.Match(json, "\"prefetchCount\"\\s*:\\s*(\\d+)");
        return match.Success ? match.Groups[1].Value : "?";
    }

    private sealed class PrefetchSetting(ushort count) : IConfigureReceiveEndpoint
    {
        public void Configure(string name, IReceiveEndpointConfigurator configurator)
        {
            if (configurator is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.PrefetchCount = count;
            configurator.ConcurrentMessageLimit = count;
        }
    }

    private bool _queuesCleaned;

    /// <summary>A crashed earlier run may have left messages in the projection's queue; they would count as applied.</summary>
    private async Task DeleteLeftoverQueues(CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = rabbitMq, ClientProvidedName = "sdp-benchmark-cleanup" };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await channel.QueueDeleteAsync($"{ProjectionsService.Name}-provision-events", cancellationToken: ct);
        await channel.QueueDeleteAsync(RawRabbitBaseline.Queue, cancellationToken: ct);
    }
}
