using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SocialDomain.Jeugdwet;
using SocialDomain.Projections;
using SocialDomain.Provisions;
using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// The embedded host's telemetry: nothing of a BSN or a name in any log line, span or metric, whatever the requests
/// carry; one trace from a provision's request to the projection's write; the beheerder's view of both. Alone, as the
/// other trace tests: every host in this process sees every span and the beheer page keeps the last
/// <see cref="ServiceDefaults.RecentTelemetry.SpansKept"/>, so a parallel test's thousands of events push a trace out.
/// </summary>
[Collection(TracesCollection.Name)]
public sealed class TelemetryTests : EmbeddedPlatformTests
{
    private static readonly string[] Bsns = [.. RealStackTests.TestPersons.Skip(77_000).Take(4)];
    private static readonly string[] Names = ["Wilhelmina", "Zwartkop", "Annegien van Regie"];
    private readonly TelemetryCapture _capture = new();

    protected override void Configure(WebApplicationBuilder builder) => _capture.AddTo(builder);

    [Fact]
    public async Task Requests_carrying_bsns_and_names_leave_none_in_any_log_line_span_or_metric()
    {
        var household = Guid.NewGuid();
        var provision = await Start("jeugdwet", new { bsn = Bsns[0], gemeente = "0344", productcategorie = "45", begindatum = "2025-01-01" });
        // Refused, in the URL (a deprecated route and a query), in an XML message, a household and its regisseur's name.
        await Client.PostAsJsonAsync("/api/v1/jeugdwet/provisions", new { bsn = Bsns[0], gemeente = "0344", productcategorie = "45", begindatum = "2025-01-01" }, Ct);
        await Client.GetAsync($"/api/v1/persons/{Bsns[1]}/stacking?date=2025-02-01&bsn={Bsns[1]}", Ct);
        await Client.GetAsync($"/api/v1/jeugdwet/clients/{Bsns[2]}/provisions", Ct);
        await Client.GetAsync($"/api/v1/nowhere/{Bsns[2]}?naam={Names[0]}", Ct);
        await Client.PostAsync("/api/v1/jeugdwet/berichten", new StringContent(
            $"<?xml version=\"1.0\"?><x><Bsn>{Bsns[3]}</Bsn><Achternaam>{Names[1]}</Achternaam><Voornamen>{Names[0]}</Voornamen></x>",
            Encoding.UTF8, "application/xml"), Ct);
        (await Client.PostAsJsonAsync($"/api/v1/households/{household}/members",
            new { bsn = Bsns[1], gemeente = "0344", rol = "Ouder", van = "2020-01-01" }, Ct)).EnsureSuccessStatusCode();
        (await Client.PostAsJsonAsync($"/api/v1/households/{household}/regisseur",
            new { regisseurId = "regisseur-x", naam = Names[2], van = "2025-01-01" }, Ct)).EnsureSuccessStatusCode();
        await Host.As(Roles.Regisseur, "0344").PostAsJsonAsync("/api/v1/persons/stacking/zoeken", new { bsn = Bsns[0] }, Ct);
        await Client.PostAsJsonAsync("/api/v1/households/zoeken", new { bsn = Bsns[1] }, Ct);
        await (await Client.GetAsync($"/api/v1/jeugdwet/provisions/{provision}/history", Ct)).Content.ReadAsStringAsync(Ct);
        await Projected("jeugdwet", Bsns[0]);
        await Eventually.Get(() => Task.FromResult(_capture.Spans.Count(s => s.DisplayName == "projection record")), n => n >= 3);
        var beheer = await Client.GetStringAsync("/api/v1/beheer/telemetry/traces", Ct) + await Client.GetStringAsync("/api/v1/beheer/telemetry/metrics", Ct);

        // The capture sees what matters, so that finding nothing means something.
        _capture.Logs().ShouldContain(l => l.Contains("POST /api/v1/jeugdwet/provisions answered 201"));
        _capture.Logs().ShouldContain(l => l.Contains("GET /api/v1/persons/{bsn}/stacking answered"));
        _capture.Spans.ShouldContain(s => s.GetTagItem("url.path") as string == "/api/v1/persons/{bsn}/stacking");
        _capture.Spans.ShouldContain(s => s.DisplayName == "relay publish");
        var metrics = _capture.MetricTexts(Services);
        metrics.ShouldContain(m => m.StartsWith("http.server.request.duration") && m.Contains("/api/v1/jeugdwet/provisions"));
        beheer.ShouldContain("sdp.store.appended");

        string[] forbidden = [.. Bsns, .. Names];
        foreach (var (what, texts) in new[] { ("log", _capture.Logs()), ("span", _capture.SpanTexts()), ("metric", metrics), ("beheer", [beheer]) })
            foreach (var text in texts)
                foreach (var secret in forbidden)
                    text.ShouldNotContain(secret, Case.Insensitive, $"a {what} names {secret}: {text}");
    }

    [Fact]
    public async Task One_provision_is_one_trace_from_the_request_through_store_relay_and_bus_to_the_projections_write()
    {
        var bsn = Bsns[0];
        await Start("jeugdwet", new { bsn, gemeente = "0344", productcategorie = "45", begindatum = "2025-01-01" });
        await Projected("jeugdwet", bsn);

        await TraceAssertions.OneTraceFromRequestToProjection(_capture, Host, "/api/v1/jeugdwet/provisions", expectDatabaseSpans: false);
    }

    [Fact]
    public async Task The_beheerder_reads_the_recent_traces_and_metrics_and_anyone_else_gets_a_problem()
    {
        // The caller's own trace context: the answer's spans are found by its trace id, as an operator finds a problem's.
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jeugdwet/provisions")
        {
            Content = JsonContent.Create(new { bsn = Bsns[1], gemeente = "0344", productcategorie = "45", begindatum = "2025-01-01" }),
        };
        post.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        (await Client.SendAsync(post, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var trace = (await Eventually.Get(() => Client.GetFromJsonAsync<JsonElement>($"/api/v1/beheer/telemetry/traces?traceId=00-{traceId}-0000000000000001-01", Ct),
            t => t.GetProperty("traces").EnumerateArray().Any(t => SpanNames(t).Contains("projection record")))).GetProperty("traces").EnumerateArray().ToList();
        trace.ShouldHaveSingleItem().GetProperty("traceId").GetString().ShouldBe(traceId);
        foreach (var name in new[] { "POST /api/v1/jeugdwet/provisions", "store append", "relay publish", "projection record" })
            SpanNames(trace[0]).ShouldContain(name);
        (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/beheer/telemetry/traces?traceId={traceId}", Ct))
            .GetProperty("traces").EnumerateArray().ShouldHaveSingleItem();
        await ShouldBeProblem(await Client.GetAsync("/api/v1/beheer/telemetry/traces?traceId=nonsense", Ct), HttpStatusCode.BadRequest);

        // Other hosts in this process have instruments of the same names (one meter per host), hence every match.
        var metrics = (await Client.GetFromJsonAsync<JsonElement>("/api/v1/beheer/telemetry/metrics", Ct)).GetProperty("metrics").EnumerateArray().ToList();
        List<JsonElement> Points(string name, string unit)
        {
            var named = metrics.Where(m => m.GetProperty("name").GetString() == name).ToList();
            named.ShouldNotBeEmpty(name);
            foreach (var metric in named) metric.GetProperty("unit").GetString().ShouldBe(unit);
            return [.. named.SelectMany(m => m.GetProperty("points").EnumerateArray())];
        }
        Points("sdp.store.appended", "{event}").ShouldContain(p =>
            p.GetProperty("tags").GetProperty("store").GetString() == "jeugdwet" && p.GetProperty("value").GetDouble() >= 1);
        Points("sdp.projection.lag", "s").ShouldContain(p => p.GetProperty("count").GetInt64() >= 1);
        Points("http.server.request.duration", "s").Select(p => p.GetProperty("tags").ToString()).ShouldContain(t => t.Contains("\"http.route\":\"/api/v1/jeugdwet/provisions\""));
        Points("sdp.relay.lag.seconds", "s").ShouldNotBeEmpty();

        foreach (var path in new[] { "/api/v1/beheer/telemetry/traces", "/api/v1/beheer/telemetry/metrics" })
        {
            await ShouldBeProblem(await Host.As(Roles.Regisseur, "0344").GetAsync(path, Ct), HttpStatusCode.Forbidden);
            await ShouldBeProblem(await Host.Anonymous().GetAsync(path, Ct), HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task A_problem_answers_trace_outlives_the_traffic_that_pushes_the_other_recent_spans_out()
    {
        async Task<string> Post(object body, HttpStatusCode expected)
        {
            var traceId = ActivityTraceId.CreateRandom().ToHexString();
            using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jeugdwet/provisions") { Content = JsonContent.Create(body) };
            post.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            (await Client.SendAsync(post, Ct)).StatusCode.ShouldBe(expected);
            return traceId;
        }
        async Task<List<JsonElement>> Traced(string traceId) =>
            [.. (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/beheer/telemetry/traces?traceId={traceId}", Ct)).GetProperty("traces").EnumerateArray()];

        var accepted = await Post(new { bsn = Bsns[2], gemeente = "0344", productcategorie = "45", begindatum = "2025-01-01" }, HttpStatusCode.Created);
        var refused = await Post(new { bsn = Bsns[2], gemeente = "0344", productcategorie = "45", begindatum = "2025-13-01" }, HttpStatusCode.BadRequest);
        (await Traced(refused)).ShouldHaveSingleItem();
        // The accepted provision's trace goes on through the relay and the bus: it must be done before the traffic comes.
        await Eventually.Get(() => Traced(accepted), t => t.Count == 1 && SpanNames(t[0]) is var names
            && names.Contains("projection record") && names.Any(n => n!.EndsWith(" receive", StringComparison.Ordinal)));

        // Traffic of a busy host: finished spans of a source the host traces, more than it keeps.
        using (var source = new ActivitySource("SocialDomain.Relay"))
            for (var i = 0; i < 2 * RecentTelemetry.SpansKept; i++)
                source.StartActivity("relay publish")?.Dispose();

        (await Traced(accepted)).ShouldBeEmpty("the busy traffic pushed the recent spans out");
        var trace = (await Traced(refused)).ShouldHaveSingleItem();
        var request = trace.GetProperty("spans").EnumerateArray().ShouldHaveSingleItem();
        request.GetProperty("name").GetString().ShouldBe("POST /api/v1/jeugdwet/provisions");
        request.GetProperty("tags").GetProperty("http.response.status_code").GetString().ShouldBe("400");
    }

    private static List<string?> SpanNames(JsonElement trace) => [.. trace.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("name").GetString())];
}

/// <summary>
/// Separate hosts on PostgreSQL and RabbitMQ: the trace crosses processes' boundaries as it would between services (the
/// broker carries it), and a configured OTLP endpoint gets the traces, metrics and logs, without a BSN.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class DistributedTelemetryTests : IAsyncLifetime
{
    private static readonly string Bsn = RealStackTests.TestPersons.ElementAt(77_010);
    private TestDatabase _database = null!;
    private readonly List<RunningHost> _hosts = [];

    public async ValueTask InitializeAsync() => _database = await TestInfrastructure.CreateDatabaseAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_provision_is_one_trace_from_the_jeugdwet_service_through_postgres_and_rabbitmq_to_the_projection()
    {
        var capture = new TelemetryCapture();
        var jeugdwet = await Start(settings => LawService.Build(RunningHost.Args, JeugdwetLaw.Definition, settings));
        // Listeners are process-wide: the projection's capture also sees the Jeugdwet host's spans, as a collector would.
        await Start(settings => ProjectionsService.Build(RunningHost.Args, builder => { settings(builder); capture.AddTo(builder); }));

        await Post(jeugdwet);
        await Eventually.Get(() => Task.FromResult(capture.Spans.Count(s => s.DisplayName == "projection record")), n => n >= 1, TimeSpan.FromSeconds(30));

        await TraceAssertions.OneTraceFromRequestToProjection(capture, jeugdwet, "/api/v1/provisions", expectDatabaseSpans: true);
    }

    [Fact]
    public async Task A_configured_otlp_endpoint_receives_traces_metrics_and_logs_and_none_names_a_bsn()
    {
        using var collector = new OtlpCollector();
        var otlp = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "sdp-jeugdwet-test",
            // Export at once instead of every 5 s (spans, logs) and every 60 s (metrics).
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        };
        var jeugdwet = await Start(settings => LawService.Build(RunningHost.Args, JeugdwetLaw.Definition, builder =>
        {
            settings(builder);
            RunningHost.With(otlp)(builder);
        }));

        await Post(jeugdwet);
        await jeugdwet.Client.GetAsync($"/api/v1/clients/{Bsn}/provisions", Ct);

        var received = await Eventually.Get(() => Task.FromResult(collector.Received()),
            r => r.ContainsKey("/v1/traces") && r.ContainsKey("/v1/metrics") && r.ContainsKey("/v1/logs")
                 && r["/v1/traces"].Contains("relay publish") && r["/v1/traces"].Contains("/api/v1/clients/{bsn}/provisions")
                 && r["/v1/metrics"].Contains("sdp.store.appended") && r["/v1/logs"].Contains("answered"),
            TimeSpan.FromSeconds(30));
        received["/v1/traces"].ShouldContain("sdp-jeugdwet-test");
        foreach (var (signal, text) in received) text.ShouldNotContain(Bsn, customMessage: $"{signal} names the BSN");
    }

    [Fact]
    public async Task A_replay_is_the_beheerders_trace_and_links_each_event_to_the_request_that_stored_it()
    {
        var capture = new TelemetryCapture();
        var jeugdwet = await Start(settings => LawService.Build(RunningHost.Args, JeugdwetLaw.Definition, settings));
        await Start(settings => ProjectionsService.Build(RunningHost.Args, builder => { settings(builder); capture.AddTo(builder); }));
        var stored = ActivityTraceId.CreateRandom().ToHexString();
        await Post(jeugdwet, stored);
        await Eventually.Get(() => Task.FromResult(capture.Spans.Count(s => s.DisplayName == "projection record")), n => n >= 1, TimeSpan.FromSeconds(30));

        // Sent again to the projection's own queue: it recognises the event id, so no view changes. A replay sends the
        // log up to the relay's checkpoint, which the relay writes after the broker's confirm: asked until it has.
        var replay = ActivityTraceId.CreateRandom().ToHexString();
        async Task<HttpResponseMessage> Replay()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/beheer/relay/jeugdwet/replays")
            {
                Content = JsonContent.Create(new { queue = ProjectionsService.ProvisionEventsQueue, eventTypes = new[] { "ProvisionStarted" } }),
            };
            request.Headers.Add("traceparent", $"00-{replay}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            return await jeugdwet.Client.SendAsync(request, Ct);
        }
        var accepted = await Eventually.Get(Replay, answer => answer.StatusCode != HttpStatusCode.Conflict);
        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync(Ct));
        await Eventually.Get(() => jeugdwet.Client.GetFromJsonAsync<JsonElement>(accepted.Headers.Location, Ct),
            p => p.GetProperty("state").GetString() == "done");

        var traces = (await Eventually.Get(() => jeugdwet.Client.GetFromJsonAsync<JsonElement>($"/api/v1/beheer/telemetry/traces?traceId={stored}", Ct),
            t => t.GetProperty("traces").GetArrayLength() == 2)).GetProperty("traces").EnumerateArray().ToList();
        var replayed = traces.Where(t => t.GetProperty("traceId").GetString() == replay).ToList().ShouldHaveSingleItem();
        var spans = replayed.GetProperty("spans").EnumerateArray().ToList();
        var send = spans.Where(s => s.GetProperty("name").GetString() == "relay replay"
            && s.GetProperty("links").EnumerateArray().Any(l => l.GetProperty("traceId").GetString() == stored)).ToList().ShouldHaveSingleItem();
        send.GetProperty("parentSpanId").GetString().ShouldNotBeNull("the replay's span is part of the beheerder's request");
        spans.ShouldContain(s => s.GetProperty("name").GetString() == "POST /api/v1/beheer/relay/jeugdwet/replays");
        traces.ShouldContain(t => t.GetProperty("traceId").GetString() == stored
            && t.GetProperty("spans").EnumerateArray().Any(s => s.GetProperty("name").GetString() == "relay publish"));
    }

    private async Task<RunningHost> Start(Func<Action<WebApplicationBuilder>, WebApplication> build)
    {
        var host = await RunningHost.StartAsync(build(RunningHost.With(Distributed.Settings(_database.ConnectionString))));
        _hosts.Add(host);
        return host;
    }

    private static async Task Post(RunningHost jeugdwet, string? traceId = null)
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/provisions")
        {
            Content = JsonContent.Create(new { bsn = Bsn, gemeente = "0344", productcategorie = "45", begindatum = "2025-01-01" }),
        };
        if (traceId is not null) post.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var response = await jeugdwet.Client.SendAsync(post, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>An OTLP/HTTP receiver that keeps what it is sent; protobuf keeps strings as UTF-8, so they can be searched.</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();

        public OtlpCollector()
        {
            var free = new TcpListener(IPAddress.Loopback, 0);
            free.Start();
            Address = $"http://127.0.0.1:{((IPEndPoint)free.LocalEndpoint).Port}";
            free.Stop();
            _listener.Prefixes.Add(Address + "/");
            _listener.Start();
            _ = Task.Run(Receive);
        }

        public string Address { get; }

        /// <summary>All that arrived per path, as text.</summary>
        public Dictionary<string, string> Received() =>
            _received.ToArray().GroupBy(r => r.Path).ToDictionary(g => g.Key, g => string.Concat(g.Select(r => Encoding.UTF8.GetString(r.Body))));

        private async Task Receive()
        {
            while (_listener.IsListening)
            {
                var context = await _listener.GetContextAsync();
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                _received.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}

internal static class TraceAssertions
{
    /// <summary>
    /// The POST's trace holds the store's append, the relay's publish, the bus's send and receive and the projection's
    /// write, and each of them reaches the request through its parents: one unbroken trace. Listeners are process-wide,
    /// so the capture also holds the spans of other tests' hosts: the request is the one <paramref name="host"/> answered.
    /// </summary>
    public static async Task OneTraceFromRequestToProjection(TelemetryCapture capture, RunningHost host, string route, bool expectDatabaseSpans)
    {
        var request = capture.Spans.Single(s => s.Source.Name == "Microsoft.AspNetCore" && s.GetTagItem("http.route") as string == route
            && s.GetTagItem("http.request.method") as string == "POST" && $"{s.GetTagItem("server.port")}" == $"{host.Address.Port}");
        request.DisplayName.ShouldBe($"POST {route}");
        var trace = await Eventually.Get(() => Task.FromResult(capture.Spans.Where(s => s.TraceId == request.TraceId).ToList()),
            t => t.Any(s => s.DisplayName == "projection record"));
        var bySpan = trace.ToDictionary(s => s.SpanId);
        foreach (var (source, name) in new[] { ("SocialDomain.EventStore", "store append"), ("SocialDomain.Relay", "relay publish"),
                     ("SocialDomain.Projections", "projection record") })
        {
            var matching = trace.Where(s => s.Source.Name == source && s.DisplayName == name).ToList();
            matching.Count.ShouldBe(1, $"{name} in the trace: {string.Join(", ", trace.Select(s => $"{s.Source.Name}/{s.DisplayName}"))}");
            var chain = new List<string> { name };
            for (var span = matching[0]; span.ParentSpanId != default; span = bySpan[span.ParentSpanId])
            {
                bySpan.ShouldContainKey(span.ParentSpanId, $"the parent of {span.DisplayName}, in {string.Join(" < ", chain)}");
                chain.Add(bySpan[span.ParentSpanId].DisplayName);
            }
            chain[^1].ShouldBe(request.DisplayName, string.Join(" < ", chain));
        }
        trace.ShouldContain(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer);
        trace.ShouldContain(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer);
        trace.Any(s => s.Source.Name == "Npgsql").ShouldBe(expectDatabaseSpans);
    }
}

/// <summary>Every log line with its state and scopes, every finished span and every metric of a host.</summary>
public sealed class TelemetryCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _logs = new();
    private readonly Locked<Activity> _spans = new();
    private readonly Locked<MetricSnapshot> _metrics = new();

    public void AddTo(WebApplicationBuilder builder)
    {
        builder.Logging.AddProvider(this);
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(_spans));
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(_metrics));
    }

    public IReadOnlyList<Activity> Spans => _spans.ToList();

    public IReadOnlyList<string> Logs() => [.. _logs];

    /// <summary>What a span carries: its name, tags, status, events and their tags, baggage.</summary>
    public IReadOnlyList<string> SpanTexts() =>
        [.. Spans.Select(s => string.Join(" | ", new[] { s.DisplayName, s.OperationName, s.StatusDescription ?? "" }
            .Concat(s.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(s.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}").Append(e.Name)))
            .Concat(s.Baggage.Select(b => $"{b.Key}={b.Value}"))))];

    /// <summary>Every metric point as "name tag=value ...", after the host's meter provider has exported all it has.</summary>
    public IReadOnlyList<string> MetricTexts(IServiceProvider host)
    {
        host.GetRequiredService<MeterProvider>().ForceFlush().ShouldBeTrue();
        return [.. _metrics.ToList().SelectMany(m => m.MetricPoints.Select(p =>
        {
            var tags = new List<string>();
            foreach (var tag in p.Tags) tags.Add($"{tag.Key}={tag.Value}");
            return $"{m.Name} {m.Description} {string.Join(' ', tags)}";
        }))];
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(TelemetryCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            capture._logs.Enqueue($"{category} scope: {Values(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture._logs.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {Values(state)} {exception}");

        private static string Values(object? state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
            : $"{state}";
    }

    /// <summary>The in-memory exporters add from their own threads while the test reads.</summary>
    private sealed class Locked<T> : ICollection<T>
    {
        private readonly List<T> _items = [];

        public List<T> ToList()
        {
            lock (_items) return [.. _items];
        }

        public void Add(T item)
        {
            lock (_items) _items.Add(item);
        }

        public void Clear()
        {
            lock (_items) _items.Clear();
        }

        public int Count => ToList().Count;
        public bool IsReadOnly => false;
        public bool Contains(T item) => ToList().Contains(item);
        public void CopyTo(T[] array, int arrayIndex) => ToList().CopyTo(array, arrayIndex);
        public bool Remove(T item) => throw new NotSupportedException();
        public IEnumerator<T> GetEnumerator() => ToList().GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
