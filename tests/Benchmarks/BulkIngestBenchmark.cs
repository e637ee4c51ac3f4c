using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using RabbitMQ.Client;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Jeugdwet;
using SocialDomain.Projections;
using SocialDomain.Provisions;
using SocialDomain.Provisions.IStandaarden;
using SocialDomain.Relay;
using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.Benchmarks;

/// <summary>One request split by the store probe, in milliseconds.</summary>
/// <param name="Receive">From the client's send until the service asks the store for the streams: transfer, authentication, parsing, validation; without a read, until the append (deciding included).</param>
/// <param name="Read">ReadStreamsAsync of every stream the records touch (2 per start: the provision's and the client's).</param>
/// <param name="Decide">From the streams read until the append: deciding on every record and serializing the events.</param>
/// <param name="Append">AppendAsync: one multi-stream append in one transaction, insert and commit.</param>
/// <param name="Answer">From the commit until the client has read the whole answer: rendering, transfer.</param>
/// <param name="Gc">The garbage collector's pauses within each of the five stages (the same order), in milliseconds: part of the stage's time.</param>
/// <param name="Reads">Whether the service read the streams (1) or decided the records as new without reading them (0).</param>
public sealed record RequestStages(double Receive, double Read, double Decide, double Append, double Answer, double[] Gc, int Reads = 1)
{
    public double Total => Receive + Read + Decide + Append + Answer;
    public double GcTotal => Gc.Sum();
}

/// <summary>The law service's own CPU work on the same records, timed in process without I/O, in milliseconds.</summary>
/// <param name="Parse">JSON deserialization of the body with the host's options, or IStandaardBericht.Parse (XML reader, XSD, mapping).</param>
/// <param name="Validate">RecordValidation of every record (incl. the SHA-256 identity), as ProvisionService.Process starts with it.</param>
/// <param name="DecideAndSerialize">The rest of ProvisionService.Process until the append: decisions and event serialization.</param>
/// <param name="Serialize">Serializing the same events alone (EventSerializer: each event's data, the shared metadata once).</param>
/// <param name="Render">The answer: the BatchResponse serialized with the host's options, or the retour rendered and written as UTF-8 (RetourResult).</param>
public sealed record InProcessStages(double Parse, double Validate, double DecideAndSerialize, double Serialize, double Render);

/// <summary>One repetition of one case: the endpoint over HTTP and, on the same rows, the store and raw Npgsql.</summary>
/// <param name="RawCopyMs">Raw Npgsql, the same rows by binary COPY (events, then tags) and COMMIT.</param>
/// <param name="RawProvisionRowsMs">What-if: raw Npgsql with the provision events only, without their client-index tags (insert + commit).</param>
/// <param name="StoreReadMs">The store alone reading the same (not yet existing) streams from a table like the service's.</param>
/// <param name="AnyReadMs">The same read with the query the store used before (<c>where stream_id = any($1)</c>).</param>
/// <param name="Concurrent">What-if, measured for one size only: that many requests of the same size at once, from the first send to the last answer.</param>
/// <param name="JsonBeside">For a JW305: the latency of a JSON batch of as many fresh starts, posted in the same repetition (the issue's "within 20 %").</param>
public sealed record BulkRun(
    TimeSpan Latency,
    RequestStages Stages,
    InProcessStages InProcess,
    double StoreMs,
    double RawInsertMs,
    double RawCommitMs,
    double RawCopyMs,
    double RawProvisionRowsMs,
    double StoreReadMs,
    double AnyReadMs,
    CpuUsage Cpu,
    TimeSpan RelayDrain,
    (int Requests, TimeSpan Wall, CpuUsage Cpu)? Concurrent,
    TimeSpan? JsonBeside)
{
    public double RawMs => RawInsertMs + RawCommitMs;
}

/// <summary>A request size measured over several repetitions.</summary>
/// <param name="Records">Starts per request: provision events written.</param>
/// <param name="Rows">Event rows written per request: each start's event (its client-index tag is a row of the tags table besides).</param>
/// <param name="Streams">Streams appended to in the one transaction.</param>
public sealed record BulkCase(string Label, bool Xml, int Records, int Rows, int Streams, int BodyBytes, int DataBytes, IReadOnlyList<BulkRun> Runs)
{
    public Sample Endpoint => new([.. Runs.Select(r => Records / r.Latency.TotalSeconds)]);
    public Sample Store => new([.. Runs.Select(r => Records / (r.StoreMs / 1000))]);
    public Sample Raw => new([.. Runs.Select(r => Records / (r.RawMs / 1000))]);
    public Sample RawCopy => new([.. Runs.Select(r => Records / (r.RawCopyMs / 1000))]);
    public Sample RawProvisionRows => new([.. Runs.Select(r => Records / (r.RawProvisionRowsMs / 1000))]);

    /// <summary>The ratios of rates within each repetition (measured one after the other), steadier on a noisy machine than a ratio of medians.</summary>
    public Sample EndpointToStore => new([.. Runs.Select(r => r.StoreMs / r.Latency.TotalMilliseconds)]);
    public Sample EndpointToRaw => new([.. Runs.Select(r => r.RawMs / r.Latency.TotalMilliseconds)]);
    public Sample EndpointToRawCopy => new([.. Runs.Select(r => r.RawCopyMs / r.Latency.TotalMilliseconds)]);
    public Sample RawCopyToRaw => new([.. Runs.Select(r => r.RawMs / r.RawCopyMs)]);
    public Sample StoreToRawCopy => new([.. Runs.Select(r => r.RawCopyMs / r.StoreMs)]);
    public Sample StoreToRaw => new([.. Runs.Select(r => r.RawMs / r.StoreMs)]);
    public Sample ProvisionRowsToRaw => new([.. Runs.Select(r => r.RawMs / r.RawProvisionRowsMs)]);
    /// <summary>For a JW305: its rate as a share of the JSON batch's rate of the same size, within each repetition.</summary>
    public Sample? ToJsonBeside => Runs.All(r => r.JsonBeside is not null)
        ? new([.. Runs.Select(r => r.JsonBeside!.Value.TotalMilliseconds / r.Latency.TotalMilliseconds)])
        : null;

    public Sample? ConcurrentToSingle => Runs.All(r => r.Concurrent is not null)
        ? new([.. Runs.Select(r => r.Concurrent!.Value.Requests * r.Latency.TotalMilliseconds / r.Concurrent.Value.Wall.TotalMilliseconds)])
        : null;

    /// <summary>Provision events per second with several requests of this size at once, when measured.</summary>
    public Sample? Concurrent => Runs.All(r => r.Concurrent is not null)
        ? new([.. Runs.Select(r => r.Concurrent!.Value.Requests * Records / r.Concurrent.Value.Wall.TotalSeconds)])
        : null;

    public int ConcurrentRequests => Runs.FirstOrDefault()?.Concurrent?.Requests ?? 0;
    public CpuUsage? ConcurrentCpu => Concurrent is null ? null : CpuUsage.Median([.. Runs.Select(r => r.Concurrent!.Value.Cpu)]);
    public double RowsPerRecord => (double)Rows / Records;
    public double LatencyMs => new Sample([.. Runs.Select(r => r.Latency.TotalMilliseconds)]).Median;
    public double Median(Func<BulkRun, double> f) => new Sample([.. Runs.Select(f)]).Median;
    public CpuUsage Cpu => CpuUsage.Median([.. Runs.Select(r => r.Cpu)]);
}

public sealed record BulkResult(IReadOnlyList<BulkCase> Cases, int ReusedClients, int RelayBatch, long RelayedRows);

/// <summary>
/// Bulk ingest through the law service's own API: the Jeugdwet service as <see cref="LawService.Build"/> makes it (PostgreSQL
/// store, RabbitMQ bus, relay), started on a loopback port and called over real HTTP with a JWT. Per repetition: one
/// POST /api/v1/provisions/batch of N starts of new provisions (or one JW305 with N StartProducts for one client to
/// POST /api/v1/berichten), and beside it, on exactly the rows the service writes for those records, the store alone
/// (<see cref="PostgresEventStore.AppendAsync"/>, one multi-stream append) and raw Npgsql (one INSERT ... SELECT FROM
/// unnest, then COMMIT). The relay publishes each request's events before the next measurement starts, so it does not
/// compete for the CPU while anything is timed.
/// </summary>
public sealed class BulkIngestBenchmark(string postgres, Uri rabbitMq, BenchmarkOptions options, TextWriter log)
{
    private const string StoreSchema = "bench_bulk_store";
    private const string RawSchema = "bench_bulk_raw";
    /// <summary>The key the benchmark's host checks its token with (the host runs as Production): new for every run.</summary>
    private static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    private static readonly string[] Args = ["--urls", "http://127.0.0.1:0", "--environment", "Production", "--Auth:SigningKey", SigningKey];
    private static readonly LawDefinition Law = JeugdwetLaw.Definition;

    /// <summary>What the law service appends: its integration events (ProvisionService.Stored is private).</summary>
    private static readonly EventSerializer Stored =
        new([typeof(ProvisionStarted), typeof(ProvisionEnded), typeof(ProvisionRetracted)]);

    private readonly BulkWorkload _workload = new();
    private readonly StoreProbe _probe = new();
    private long _relayTarget;
    private int _messages;

    public async Task<BulkResult> RunAsync(CancellationToken ct)
    {
        await DeleteProjectionQueue(ct);
        await BindSink(ct);
        var law = LawService.Build(Args, Law, builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Store:Provider"] = "Postgres",
                ["Bus:Transport"] = "RabbitMq",
                ["ConnectionStrings:Postgres"] = postgres,
                ["ConnectionStrings:RabbitMq"] = rabbitMq.ToString(),
                ["Logging:LogLevel:Default"] = "Warning",
                // A migration's loader sends batches far above the default 1 MiB, so its deployment raises the limits
                // (docs/api-edge.md); 20,000 starts are some 4 MB of JSON.
                ["Limits:JsonBodyBytes"] = (64 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Limits:XmlBodyBytes"] = (64 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            // Applied when the host builds its container, after LawService.Build registered everything: the store
            // is decorated with the probe, nothing else changes.
            builder.Host.ConfigureContainer<IServiceCollection>((_, services) => Probe(services, Law.Service, _probe));
        });
        await law.StartAsync(ct);
        var store = new PostgresEventStore(postgres, StoreSchema);
        await using var raw = NpgsqlDataSource.Create(postgres);
        try
        {
            var address = law.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                Tokens.Issue(SigningKey, "bench", Roles.Aanbieder, BulkStart.Gemeente, TimeSpan.FromHours(1), BulkStart.Afzender));
            var relay = law.Services.GetRequiredKeyedService<EventRelay>(Law.Service);
            var json = law.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            await store.InitializeAsync(ct);
            await CreateRawTable(raw, ct);
            var subjects = new Subjects(http, relay, json, store, raw);

            log.WriteLine("bulk ingest: warm-up (1,000 records as JSON, a JW305 of 500 products)");
            await Measure(subjects, xml: false, 1_000, rep: 0, concurrent: options.BulkConcurrency > 1 ? options.BulkConcurrency : 0, ct);
            await Measure(subjects, xml: true, 500, rep: 1, concurrent: 0, ct);

            var cases = new List<BulkCase>();
            foreach (var (xml, size) in options.BulkBatchSizes.Select(s => (false, s)).Append((true, options.BulkMessageProducts)))
            {
                var label = xml ? $"JW305, {size:N0} StartProducts of one client" : $"JSON batch, {size:N0} starts";
                log.WriteLine($"bulk ingest: {label}");
                var runs = new List<BulkRun>();
                (int Rows, int Streams, int BodyBytes, int DataBytes) shape = default;
                for (var rep = 0; rep < options.BulkRepetitions; rep++)
                {
                    var concurrent = !xml && size == options.BulkBatchSizes.Min() && options.BulkConcurrency > 1 ? options.BulkConcurrency : 0;
                    var (run, rows, streams, bodyBytes, dataBytes) = await Measure(subjects, xml, size, rep, concurrent, ct);
                    shape = (rows, streams, bodyBytes, dataBytes);
                    runs.Add(run);
                    log.WriteLine($"  {Format.Rate(size / run.Latency.TotalSeconds)} events/s in {Format.Number(run.Latency.TotalMilliseconds)} ms " +
                                  $"(receive {Ms(run.Stages.Receive)}, read {Ms(run.Stages.Read)}, decide {Ms(run.Stages.Decide)}, append {Ms(run.Stages.Append)}, answer {Ms(run.Stages.Answer)}; " +
                                  $"GC pauses {string.Join("/", run.Stages.Gc.Select(g => Format.Number(g)))} ms); " +
                                  $"store {Format.Rate(size / (run.StoreMs / 1000))}/s, raw {Format.Rate(size / (run.RawMs / 1000))}/s " +
                                  $"(insert {Ms(run.RawInsertMs)}, commit {Ms(run.RawCommitMs)}; COPY {Format.Rate(size / (run.RawCopyMs / 1000))}/s; reads: store {Ms(run.StoreReadMs)}, any() {Ms(run.AnyReadMs)}; provision rows only {Format.Rate(size / (run.RawProvisionRowsMs / 1000))}/s); relayed in {Format.Seconds(run.RelayDrain)}; {run.Cpu}");
                    if (run.Concurrent is { } c)
                        log.WriteLine($"    what-if, {c.Requests} requests at once: {Format.Rate(c.Requests * size / c.Wall.TotalSeconds)} events/s in {Ms(c.Wall.TotalMilliseconds)}; {c.Cpu}");
                    if (run.JsonBeside is { } beside)
                        log.WriteLine($"    a JSON batch of {size:N0} starts beside it: {Format.Rate(size / beside.TotalSeconds)} events/s in {Ms(beside.TotalMilliseconds)}");
                    log.WriteLine($"    in process: parse {Ms(run.InProcess.Parse)}, validate {Ms(run.InProcess.Validate)}, decide+serialize {Ms(run.InProcess.DecideAndSerialize)} " +
                                  $"(serialize alone {Ms(run.InProcess.Serialize)}), answer {Ms(run.InProcess.Render)}");
                }
                var result = new BulkCase(label, xml, size, shape.Rows, shape.Streams, shape.BodyBytes, shape.DataBytes, runs);
                log.WriteLine($"  endpoint {result.Endpoint}   store {result.Store}   raw {result.Raw}   raw COPY {result.RawCopy}   " +
                              $"endpoint/store {Format.Percent(result.EndpointToStore.Median)}, endpoint/raw {Format.Percent(result.EndpointToRaw.Median)}, " +
                              $"endpoint/raw COPY {Format.Percent(result.EndpointToRawCopy.Median)}" +
                              (result.ToJsonBeside is { } toJson ? $", JW305/JSON batch beside it {Format.Percent(toJson.Median)}" : ""));
                cases.Add(result);
            }
            return new BulkResult(cases, _workload.ReusedClients, new RelayOptions().BatchSize, relay.Published);
        }
        finally
        {
            await law.StopAsync(CancellationToken.None);
            await law.DisposeAsync();
            await store.DisposeAsync();
            await DeleteSink();
        }
    }

    private static string Ms(double ms) => Format.Number(ms) + " ms";

    /// <summary>
    /// Collects the garbage of whatever ran before (the in-process run, another measurement), so that every measurement pays
    /// for the collections its own allocations cause and no others: a service between two requests.
    /// </summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private sealed record Subjects(HttpClient Http, EventRelay Relay, JsonSerializerOptions Json, PostgresEventStore Store, NpgsqlDataSource Raw);

    /// <summary>One repetition: fresh records, in process first (which also yields the rows), then endpoint, store and raw in alternating order.</summary>
    private async Task<(BulkRun Run, int Rows, int Streams, int BodyBytes, int DataBytes)> Measure(Subjects s, bool xml, int size, int rep,
        int concurrent, CancellationToken ct)
    {
        var starts = xml ? _workload.OneClient(size) : _workload.Batch(size);
        var body = xml ? BulkWorkload.Jw305(starts, 100_000 + ++_messages) : BulkWorkload.BatchBody(starts);
        Settle();
        var (inProcess, appends) = await InProcess(s.Json, xml, body, starts, ct);
        var rows = appends.Sum(a => a.Events.Count);
        // The reads first, while none of these streams exist in the store's schema yet: as the service reads them.
        var (storeRead, anyRead) = await Reads(s, [.. appends.Select(a => a.StreamId)], rep, ct);

        (TimeSpan Latency, RequestStages Stages, CpuUsage Cpu, TimeSpan Drain) endpoint = (default, new RequestStages(0, 0, 0, 0, 0, [0, 0, 0, 0, 0]), new CpuUsage(0, 0, 0, 0), default);
        double store = 0, insert = 0, commit = 0, copy = 0, provisionRows = 0;
        (int, TimeSpan, CpuUsage)? together = null;
        TimeSpan? jsonBeside = null;
        async Task Endpoint()
        {
            endpoint = await Post(s, xml, body, size, rows, ct);
            if (!xml) return;
            // A JSON batch of as many fresh starts, right after the message: the pair meets the same load of the machine.
            Settle();
            var batch = _workload.Batch(size);
            var (latency, _, _, _) = await Post(s, xml: false, BulkWorkload.BatchBody(batch), size, batch.Length, ct);
            jsonBeside = latency;
        }
        async Task Store() => store = await StoreAppend(s.Store, appends, ct);
        async Task Raw()
        {
            (insert, commit) = await RawInsert(s.Raw, appends, provisionRowsOnly: false, ct);
            copy = await RawCopy(s.Raw, appends, ct);
            var (alone, aloneCommit) = await RawInsert(s.Raw, appends, provisionRowsOnly: true, ct);
            provisionRows = alone + aloneCommit;
        }
        async Task Together()
        {
            if (concurrent > 1) together = await PostConcurrently(s, concurrent, size, rows, ct);
        }
        // The order turns with every repetition, so a drift in the machine's load hits all alike.
        Func<Task>[] order = (rep % 3) switch
        {
            0 => [Endpoint, Store, Raw, Together],
            1 => [Store, Raw, Together, Endpoint],
            _ => [Raw, Together, Endpoint, Store],
        };
        foreach (var step in order)
        {
            Settle();
            await step();
        }
        var run = new BulkRun(endpoint.Latency, endpoint.Stages, inProcess, store, insert, commit, copy, provisionRows, storeRead, anyRead,
            endpoint.Cpu, endpoint.Drain, together, jsonBeside);
        return (run, rows, appends.Count, body.Length, appends.Sum(a => a.Events.Sum(e => e.Data.Length + e.Metadata.Length)));
    }

    /// <summary>The request over HTTP, timed by the client from send to the last byte of the answer; then waits for the relay.</summary>
    private async Task<(TimeSpan, RequestStages, CpuUsage, TimeSpan)> Post(Subjects s, bool xml, byte[] body, int size, int rows, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(xml ? "application/xml" : "application/json");
        _probe.Reset();
        var cpu = CpuSample.Start();
        var sentGc = GC.GetTotalPauseDuration();
        var sent = Stopwatch.GetTimestamp();
        using var response = await s.Http.PostAsync(xml ? "/api/v1/berichten" : "/api/v1/provisions/batch", content, ct);
        var answer = await response.Content.ReadAsStringAsync(ct);
        var received = Stopwatch.GetTimestamp();
        var receivedGc = GC.GetTotalPauseDuration();
        var usage = cpu.Stop();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"The law service answered {(int)response.StatusCode}: {answer[..Math.Min(answer.Length, 2000)]}");
        var accepted = xml
            ? XDocument.Parse(answer).Descendants(Retour.Namespace + "StartProduct")
                .Count(p => p.Element(Retour.Namespace + "RetourCodes")?.Element(Retour.Namespace + "RetourCode")?.Value == CommandOutcome.Geaccepteerd)
            : JsonDocument.Parse(answer).RootElement.GetProperty("accepted").GetInt32();
        if (accepted != size || _probe.Reads > 1 || _probe.Appends != 1)
            throw new InvalidOperationException($"Expected {size} records accepted in at most one read and one append; got {accepted} accepted, {_probe.Reads} read(s), {_probe.Appends} append(s).");

        double Between(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
        // Records decided as new without a read (ProvisionService.AssumeNewFrom) leave no point between receiving and
        // deciding: everything until the append is then counted as receiving.
        var read = _probe.Reads == 1;
        var (readStart, readEnd) = read ? (_probe.ReadStart, _probe.ReadEnd) : (_probe.AppendStart, _probe.AppendStart);
        var (readStartGc, readEndGc) = read ? (_probe.ReadStartGc, _probe.ReadEndGc) : (_probe.AppendStartGc, _probe.AppendStartGc);
        var stages = new RequestStages(
            Between(sent, readStart), Between(readStart, readEnd), Between(readEnd, _probe.AppendStart),
            Between(_probe.AppendStart, _probe.AppendEnd), Between(_probe.AppendEnd, received),
            [.. new[] { (sentGc, readStartGc), (readStartGc, readEndGc), (readEndGc, _probe.AppendStartGc),
                (_probe.AppendStartGc, _probe.AppendEndGc), (_probe.AppendEndGc, receivedGc) }.Select(p => (p.Item2 - p.Item1).TotalMilliseconds)], _probe.Reads);

        return (Stopwatch.GetElapsedTime(sent, received), stages, usage, await Relayed(s, rows, ct));
    }

    /// <summary>The relay publishes the committed events now; nothing else is measured until it has.</summary>
    private async Task<TimeSpan> Relayed(Subjects s, int rows, CancellationToken ct)
    {
        _relayTarget += rows;
        var drain = Stopwatch.StartNew();
        while (s.Relay.Published < _relayTarget)
        {
            if (drain.Elapsed > TimeSpan.FromMinutes(3))
                throw new TimeoutException($"The relay published {s.Relay.Published} of {_relayTarget} rows within 3 minutes.");
            await Task.Delay(2, ct);
        }
        return drain.Elapsed;
    }

    /// <summary>
    /// What-if: <paramref name="requests"/> JSON batches of fresh records sent at once (a loader with several connections),
    /// timed from the first send to the last answer. Each is its own transaction; they touch no common stream.
    /// </summary>
    private async Task<(int, TimeSpan, CpuUsage)> PostConcurrently(Subjects s, int requests, int size, int rowsPerRequest, CancellationToken ct)
    {
        var bodies = Enumerable.Range(0, requests).Select(_ => BulkWorkload.BatchBody(_workload.Batch(size))).ToArray();
        async Task<int> One(byte[] body)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await s.Http.PostAsync("/api/v1/provisions/batch", content, ct);
            var answer = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"The law service answered {(int)response.StatusCode}: {answer[..Math.Min(answer.Length, 2000)]}");
            return JsonDocument.Parse(answer).RootElement.GetProperty("accepted").GetInt32();
        }
        var cpu = CpuSample.Start();
        var sent = Stopwatch.GetTimestamp();
        var accepted = await Task.WhenAll(bodies.Select(b => Task.Run(() => One(b), ct)));
        var wall = Stopwatch.GetElapsedTime(sent);
        var usage = cpu.Stop();
        if (accepted.Any(a => a != size)) throw new InvalidOperationException($"Expected {size} records accepted per request; got {string.Join(", ", accepted)}.");
        await Relayed(s, requests * rowsPerRequest, ct);
        return (requests, wall, usage);
    }

    /// <summary>
    /// The law service's work on the same body in process, with a store that holds nothing: what parsing, validating,
    /// deciding, serializing and rendering cost without any I/O. Yields the rows the service appends for these records.
    /// </summary>
    private static async Task<(InProcessStages, IReadOnlyList<StreamAppend>)> InProcess(JsonSerializerOptions json, bool xml, byte[] body,
        BulkStart[] starts, CancellationToken ct)
    {
        var clock = Stopwatch.GetTimestamp();
        IReadOnlyList<ProvisionCommand> commands;
        IStandaardBericht? bericht = null;
        if (xml)
        {
            bericht = IStandaardBericht.Parse(new MemoryStream(body), JeugdwetLaw.Law);
            commands = bericht.Commands;
        }
        else
        {
            var request = JsonSerializer.Deserialize<BatchRequest>(body, json)!;
            if (request.Records!.Count != starts.Length) throw new InvalidOperationException("The body does not hold every record.");
            commands = [.. starts.Select(s => s.ToCommand())];
        }
        var parse = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;

        var empty = new CapturingStore();
        var service = new ProvisionService(Law, empty, TimeProvider.System);
        var metadata = new EventMetadata(Law.Service, Guid.NewGuid().ToString(), Actor: "bench");
        // A large request is not read at all (ProvisionService.AssumeNewFrom), so its validation is timed alone first.
        var started = Stopwatch.GetTimestamp();
        _ = commands.Select(c => RecordValidation.Validate(Law, c)).ToList();
        var validate = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        started = Stopwatch.GetTimestamp();
        var outcomes = await service.Process(commands, allOrNothing: !xml, metadata, ct);
        if (outcomes.Any(o => !o.Accepted)) throw new InvalidOperationException($"In process, {outcomes.Count(o => !o.Accepted)} records were refused.");
        var decide = Stopwatch.GetElapsedTime(started, empty.AppendCalled).TotalMilliseconds - validate;

        // Serializing alone: the same events, turned back into objects outside the clock.
        var events = empty.Captured.SelectMany(a => a.Events)
            .Select(e => (e.EventId, Event: JsonSerializer.Deserialize(e.Data, Stored.TypeOf(e.Type), EventSerializer.Json)!)).ToArray();
        clock = Stopwatch.GetTimestamp();
        var serializedMetadata = EventSerializer.Serialized(metadata);
        foreach (var (id, e) in events) Stored.Serialize(id, e, serializedMetadata);
        var serialize = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;

        clock = Stopwatch.GetTimestamp();
        if (xml) _ = new RetourResult(Retour.Render(bericht!, outcomes));
        else _ = JsonSerializer.SerializeToUtf8Bytes(new BatchResponse(outcomes.Count, [.. outcomes.Select(o => o.ProvisionId)],
            [.. outcomes.SelectMany(o => o.Warnings.Select(w => new BatchWarning(o.Index, w)))]), json);
        var render = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
        return (new InProcessStages(parse, validate, decide, serialize, render), empty.Captured);
    }

    /// <summary>
    /// The service's read on the store-alone schema, which holds rows like the service's: through the store, and with the
    /// query the store used before this benchmark (in turns, first one then the other).
    /// </summary>
    private static async Task<(double Store, double Any)> Reads(Subjects s, string[] streamIds, int rep, CancellationToken ct)
    {
        async Task<double> Store()
        {
            Settle();
            var clock = Stopwatch.GetTimestamp();
            await s.Store.ReadStreamsAsync(streamIds, ct);
            return Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
        }
        async Task<double> Any()
        {
            Settle();
            await using var cmd = s.Raw.CreateCommand($"""
                select event_id, stream_id, version, type, data::text, metadata::text, created_at, transaction_id, position
                from {StoreSchema}.events where stream_id = any($1) order by stream_id, version
                """);
            cmd.Parameters.Add(new NpgsqlParameter { Value = streamIds });
            var clock = Stopwatch.GetTimestamp();
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) { }
            return Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
        }
        if (rep % 2 == 0) return (await Store(), await Any());
        var any = await Any();
        return (await Store(), any);
    }

    private static async Task<double> StoreAppend(PostgresEventStore store, IReadOnlyList<StreamAppend> appends, CancellationToken ct)
    {
        var clock = Stopwatch.GetTimestamp();
        await store.AppendAsync(appends, ct);
        return Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
    }

    /// <summary>
    /// The same rows into a table like the store's, the fastest reasonable way for one big batch: typed array parameters
    /// (jsonb sent as jsonb), one INSERT ... SELECT FROM unnest, then COMMIT, each timed.
    /// </summary>
    private static async Task<(double Insert, double Commit)> RawInsert(NpgsqlDataSource raw, IReadOnlyList<StreamAppend> appends, bool provisionRowsOnly,
        CancellationToken ct)
    {
        var rows = appends.SelectMany(a => a.Events.Select((e, i) => (a.StreamId, Version: a.ExpectedVersion + 1 + i, Event: e)))
            // The same rows again: fresh event ids and a stream name of their own, so the keys stay unique.
            .Select(r => provisionRowsOnly ? (StreamId: r.StreamId + "-p", r.Version, Event: r.Event with { EventId = Guid.CreateVersion7() }) : r)
            .ToArray();
        var ids = rows.Select(r => r.Event.EventId).ToArray();
        var streams = rows.Select(r => r.StreamId).ToArray();
        var versions = rows.Select(r => r.Version).ToArray();
        var types = rows.Select(r => r.Event.Type).ToArray();
        var data = rows.Select(r => r.Event.Data).ToArray();
        var metadata = rows.Select(r => r.Event.Metadata).ToArray();

        await using var conn = await raw.OpenConnectionAsync(ct);
        var clock = Stopwatch.GetTimestamp();
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            insert into {RawSchema}.events (event_id, stream_id, version, type, data, metadata)
            select * from unnest($1, $2, $3, $4, $5, $6)
            """, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid, Value = ids });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = streams });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = versions });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = types });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb, Value = data });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb, Value = metadata });
        await cmd.ExecuteNonQueryAsync(ct);
        if (!provisionRowsOnly)
        {
            var tags = appends.SelectMany(a => (a.Tags ?? []).Select(t => (Tag: t, a.StreamId))).ToArray();
            await using var tagging = new NpgsqlCommand($"insert into {RawSchema}.stream_tags (tag, stream_id) select * from unnest($1, $2)", conn, tx);
            tagging.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = tags.Select(t => t.Tag).ToArray() });
            tagging.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = tags.Select(t => t.StreamId).ToArray() });
            await tagging.ExecuteNonQueryAsync(ct);
        }
        var inserted = Stopwatch.GetTimestamp();
        await tx.CommitAsync(ct);
        return (Stopwatch.GetElapsedTime(clock, inserted).TotalMilliseconds, Stopwatch.GetElapsedTime(inserted).TotalMilliseconds);
    }

    /// <summary>
    /// The same rows by binary COPY, the bulk path PostgreSQL offers besides INSERT: the events, then the tags, in one
    /// transaction, timed from BEGIN to the end of COMMIT. Fresh event ids and stream names of their own, as the rows
    /// of the provision-rows what-if, so the keys stay unique beside the INSERT's rows.
    /// </summary>
    private static async Task<double> RawCopy(NpgsqlDataSource raw, IReadOnlyList<StreamAppend> appends, CancellationToken ct)
    {
        var rows = appends.SelectMany(a => a.Events.Select((e, i) => (StreamId: a.StreamId + "-c", Version: a.ExpectedVersion + 1 + i, Event: e with { EventId = Guid.CreateVersion7() })))
            .ToArray();
        var tags = appends.SelectMany(a => (a.Tags ?? []).Select(t => (Tag: t, StreamId: a.StreamId + "-c"))).ToArray();

        await using var conn = await raw.OpenConnectionAsync(ct);
        var clock = Stopwatch.GetTimestamp();
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var events = await conn.BeginBinaryImportAsync(
                         $"copy {RawSchema}.events (event_id, stream_id, version, type, data, metadata) from stdin (format binary)", ct))
        {
            foreach (var (streamId, version, e) in rows)
            {
                await events.StartRowAsync(ct);
                await events.WriteAsync(e.EventId, NpgsqlDbType.Uuid, ct);
                await events.WriteAsync(streamId, NpgsqlDbType.Text, ct);
                await events.WriteAsync(version, NpgsqlDbType.Bigint, ct);
                await events.WriteAsync(e.Type, NpgsqlDbType.Text, ct);
                await events.WriteAsync(e.Data, NpgsqlDbType.Jsonb, ct);
                await events.WriteAsync(e.Metadata, NpgsqlDbType.Jsonb, ct);
            }
            await events.CompleteAsync(ct);
        }
        await using (var tagging = await conn.BeginBinaryImportAsync($"copy {RawSchema}.stream_tags (tag, stream_id) from stdin (format binary)", ct))
        {
            foreach (var (tag, streamId) in tags)
            {
                await tagging.StartRowAsync(ct);
                await tagging.WriteAsync(tag, NpgsqlDbType.Text, ct);
                await tagging.WriteAsync(streamId, NpgsqlDbType.Text, ct);
            }
            await tagging.CompleteAsync(ct);
        }
        await tx.CommitAsync(ct);
        return Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
    }

    /// <summary>The store's own events and tags tables, under another schema.</summary>
    private static async Task CreateRawTable(NpgsqlDataSource raw, CancellationToken ct)
    {
        await using var cmd = raw.CreateCommand(PostgresEventStore.EventsTable(RawSchema) + PostgresEventStore.TagsTable(RawSchema));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Replaces the law service's keyed store registration with the same store wrapped in a <see cref="ProbedStore"/>.</summary>
    private static void Probe(IServiceCollection services, string key, StoreProbe probe)
    {
        var original = services.Single(d => d.ServiceType == typeof(IEventStore) && d.IsKeyedService && Equals(d.ServiceKey, key));
        var create = original.KeyedImplementationFactory ?? throw new InvalidOperationException("The law service's store is not registered by a factory.");
        services.Remove(original);
        services.AddKeyedSingleton<IEventStore>(key, (sp, k) => new ProbedStore((IEventStore)create(sp, k), probe));
    }

    /// <summary>
    /// An earlier part of the run leaves the projection's durable queue bound to the provision events' exchanges; with no
    /// consumer left, every event the relay publishes here would pile up in it.
    /// </summary>
    private async Task DeleteProjectionQueue(CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = rabbitMq, ClientProvidedName = "sdp-benchmark-cleanup" };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await channel.QueueDeleteAsync($"{ProjectionsService.Name}-provision-events", cancellationToken: ct);
    }

    /// <summary>
    /// The relay publishes mandatory: an event no queue takes comes back and the relay retries it, so with the
    /// projection's queue gone it would never be done. A queue that keeps nothing (its length limit is 0, the oldest
    /// message dropped) takes every provision event, so the relay's publishing is measured and nothing piles up.
    /// </summary>
    private async Task BindSink(CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = rabbitMq, ClientProvidedName = "sdp-benchmark-sink" };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await channel.QueueDeclareAsync(Sink, durable: false, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-max-length"] = 0, ["x-overflow"] = "drop-head" }, cancellationToken: ct);
        foreach (var type in new[] { typeof(ProvisionStarted), typeof(ProvisionEnded), typeof(ProvisionRetracted), typeof(IntegrationEventBatch) })
        {
            // The exchange MassTransit publishes a message type to, declared as it declares it.
            var exchange = $"{type.Namespace}:{type.Name}";
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
            await channel.QueueBindAsync(Sink, exchange, "", cancellationToken: ct);
        }
    }

    private const string Sink = "sdp-benchmark-sink";

    /// <summary>Later parts publish provision events too: the broker need not route them into the sink as well.</summary>
    private async Task DeleteSink()
    {
        var factory = new ConnectionFactory { Uri = rabbitMq, ClientProvidedName = "sdp-benchmark-cleanup" };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(Sink);
    }
}
