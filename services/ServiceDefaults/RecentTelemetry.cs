using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.ServiceDefaults;

/// <param name="TraceId">The trace it belongs to (W3C, 32 hex digits): the same in every service a provision passes.</param>
/// <param name="SpanId">The span's own id (16 hex digits).</param>
/// <param name="ParentSpanId">The span it is part of; null for the first span of a trace.</param>
/// <param name="Name">What it is: an HTTP request by its route template, "store append", "relay publish", a bus operation, "projection record".</param>
/// <param name="Source">The activity source that made it: Microsoft.AspNetCore, SocialDomain.*, MassTransit, Npgsql.</param>
/// <param name="Kind">Server, Client, Producer, Consumer or Internal.</param>
/// <param name="Start">When it started (UTC).</param>
/// <param name="DurationMilliseconds">How long it took.</param>
/// <param name="Status">Unset, Ok or Error, with the error's description.</param>
/// <param name="Tags">Its attributes: route template, status code, event type and id, queue; never the request's own path, its query or data.</param>
/// <param name="Links">Spans of other traces it stems from: a "relay replay" links to the request that stored the event.</param>
public sealed record SpanSummary(string TraceId, string SpanId, string? ParentSpanId, string Name, string Source, string Kind,
    DateTimeOffset Start, double DurationMilliseconds, string Status, IReadOnlyDictionary<string, string?> Tags, IReadOnlyList<SpanLink> Links);

/// <param name="TraceId">The linked span's trace.</param>
/// <param name="SpanId">The linked span.</param>
public sealed record SpanLink(string TraceId, string SpanId);

/// <param name="TraceId">The trace's id (W3C, 32 hex digits); a problem answer's traceId holds it (00-{traceId}-{spanId}-01).</param>
/// <param name="Start">When its first span kept here started (UTC).</param>
/// <param name="Spans">The trace's spans that this process finished lately, in the order they started.</param>
public sealed record TraceSummary(string TraceId, DateTimeOffset Start, IReadOnlyList<SpanSummary> Spans);

/// <param name="Service">The process that answers: each instance keeps its own.</param>
/// <param name="Traces">The traces, the most recently finished first.</param>
public sealed record RecentTracesResponse(string Service, IReadOnlyList<TraceSummary> Traces);

/// <param name="Tags">The attributes that tell this point from the metric's others, such as a route or a queue.</param>
/// <param name="Value">A counter's total or a gauge's last value; null for a histogram.</param>
/// <param name="Count">A histogram's number of measurements; null for others.</param>
/// <param name="Sum">A histogram's sum of measurements.</param>
/// <param name="Min">A histogram's smallest measurement.</param>
/// <param name="Max">A histogram's largest measurement.</param>
public sealed record MetricPointSummary(IReadOnlyDictionary<string, string?> Tags, double? Value, long? Count, double? Sum, double? Min, double? Max);

/// <param name="Name">The instrument, such as sdp.store.appended or http.server.request.duration.</param>
/// <param name="Unit">Its unit (UCUM): s, {event}, {message}, By.</param>
/// <param name="Description">What it measures.</param>
/// <param name="Meter">The meter it belongs to, such as SocialDomain.Relay.</param>
/// <param name="Points">Its values, one per combination of tags, totals since the process started.</param>
public sealed record MetricSummary(string Name, string Unit, string Description, string Meter, IReadOnlyList<MetricPointSummary> Points);

/// <param name="Service">The process that answers: each instance measures its own.</param>
/// <param name="Metrics">Every metric, by name.</param>
public sealed record CurrentMetricsResponse(string Service, IReadOnlyList<MetricSummary> Metrics);

/// <summary>
/// What this process traced and measured lately, kept in memory so that telemetry can be read without a collector (in
/// Development, or on a host where no OTLP endpoint is set): the last <see cref="SpansKept"/> finished spans, and the
/// metrics as they stand, read when asked for. On a busy host those spans are a second or two of traffic, while an
/// operator comes with a problem answer's traceId minutes later: so the traces of the last
/// <see cref="ProblemTracesKept"/> requests answered with a problem (or with a span that failed) are kept apart as well.
/// </summary>
public sealed class RecentTelemetry
{
    public const int SpansKept = 2_000;
    public const int TracesShown = 50;
    public const int ProblemTracesKept = 200;

    /// <summary>A bound per kept trace: a trace that goes on (a retried message, a long replay) cannot take all memory.</summary>
    private const int SpansKeptPerProblemTrace = 200;

    private readonly ConcurrentQueue<SpanSummary> _spans = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SpanSummary>> _problemTraces = new();
    private readonly ConcurrentQueue<string> _problemTraceOrder = new();
    private IReadOnlyList<MetricSummary> _metrics = [];

    public RecentTelemetry()
    {
        Spans = new SpanExporter(this);
        Metrics = new BaseExportingMetricReader(new MetricExporter(this));
    }

    /// <summary>Keeps the finished spans; the tracer provider exports to it.</summary>
    internal BaseExporter<Activity> Spans { get; }

    /// <summary>Reads the metrics when <see cref="CurrentMetrics"/> asks; the meter provider's reader.</summary>
    internal MetricReader Metrics { get; }

    /// <summary>
    /// The traces of the spans kept, the most recently finished first; when one is asked for, that trace and the traces
    /// with a span linked to it (a replay of its events), so an operator who follows a provision finds it sent again.
    /// </summary>
    public IReadOnlyList<TraceSummary> RecentTraces(string? traceId = null)
    {
        var spans = _spans.Concat(_problemTraces.Values.SelectMany(t => t)).DistinctBy(s => (s.TraceId, s.SpanId)).ToArray();
        var traces = traceId is null ? null
            : spans.Where(s => s.TraceId == traceId || s.Links.Any(l => l.TraceId == traceId)).Select(s => s.TraceId).ToHashSet();
        return [.. spans
            .Where(s => traces is null || traces.Contains(s.TraceId))
            .GroupBy(s => s.TraceId)
            .OrderByDescending(t => t.Max(s => s.Start.AddMilliseconds(s.DurationMilliseconds)))
            .Take(TracesShown)
            .Select(t => new TraceSummary(t.Key, t.Min(s => s.Start), [.. t.OrderBy(s => s.Start)]))];
    }

    public IReadOnlyList<MetricSummary> CurrentMetrics()
    {
        Metrics.Collect();
        return _metrics;
    }

    private static Dictionary<string, string?> Tags(IEnumerable<KeyValuePair<string, object?>> tags) =>
        tags.ToDictionary(t => t.Key, t => Convert.ToString(t.Value, CultureInfo.InvariantCulture));

    private sealed class SpanExporter(RecentTelemetry recent) : BaseExporter<Activity>
    {
        // The processor exports one span at a time (SimpleActivityExportProcessor holds a lock), so this is never concurrent.
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var span in batch)
            {
                var summary = new SpanSummary(span.TraceId.ToHexString(), span.SpanId.ToHexString(),
                    span.ParentSpanId == default ? null : span.ParentSpanId.ToHexString(), span.DisplayName, span.Source.Name,
                    span.Kind.ToString(), span.StartTimeUtc, span.Duration.TotalMilliseconds,
                    span.StatusDescription is { } description ? $"{span.Status}: {description}" : span.Status.ToString(), Tags(span.TagObjects),
                    [.. span.Links.Select(l => new SpanLink(l.Context.TraceId.ToHexString(), l.Context.SpanId.ToHexString()))]);
                recent._spans.Enqueue(summary);
                while (recent._spans.Count > SpansKept) recent._spans.TryDequeue(out _);
                if (recent._problemTraces.TryGetValue(summary.TraceId, out var kept))
                    Add(kept, summary);
                else if (IsProblem(span))
                    Keep(summary.TraceId);
            }
            return ExportResult.Success;
        }

        /// <summary>
        /// A request answered with a problem (a 4xx or 5xx: refused input, a denied caller, a failure), or any span that
        /// failed (a consumer's exception). A request's server span ends after the spans inside it, so those are still
        /// among the recent spans when it is kept.
        /// </summary>
        private static bool IsProblem(Activity span) =>
            span.Status == ActivityStatusCode.Error
            || span.Kind == ActivityKind.Server && span.GetTagItem("http.response.status_code") is int status && status >= 400;

        private void Keep(string traceId)
        {
            var kept = new ConcurrentQueue<SpanSummary>();
            foreach (var span in recent._spans.Where(s => s.TraceId == traceId)) Add(kept, span);
            recent._problemTraces[traceId] = kept;
            recent._problemTraceOrder.Enqueue(traceId);
            while (recent._problemTraceOrder.Count > ProblemTracesKept && recent._problemTraceOrder.TryDequeue(out var oldest))
                recent._problemTraces.TryRemove(oldest, out _);
        }

        private static void Add(ConcurrentQueue<SpanSummary> trace, SpanSummary span)
        {
            if (trace.Count < SpansKeptPerProblemTrace) trace.Enqueue(span);
        }
    }

    /// <summary>Copies the points while exporting: the SDK reuses them for the next collection.</summary>
    private sealed class MetricExporter(RecentTelemetry recent) : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch)
        {
            var metrics = new List<MetricSummary>();
            foreach (var metric in batch)
            {
                var points = new List<MetricPointSummary>();
                foreach (ref readonly var point in metric.GetMetricPoints())
                    points.Add(Summary(metric.MetricType, point));
                metrics.Add(new MetricSummary(metric.Name, metric.Unit, metric.Description, metric.MeterName, points));
            }
            recent._metrics = [.. metrics.OrderBy(m => m.Name, StringComparer.Ordinal)];
            return ExportResult.Success;
        }

        private static MetricPointSummary Summary(MetricType type, in MetricPoint point)
        {
            var tags = new List<KeyValuePair<string, object?>>();
            foreach (var tag in point.Tags) tags.Add(tag);
            if (type.IsHistogram())
            {
                var (min, max) = point.TryGetHistogramMinMaxValues(out var low, out var high) ? (low, high) : ((double?)null, (double?)null);
                return new MetricPointSummary(Tags(tags), null, point.GetHistogramCount(), point.GetHistogramSum(), min, max);
            }
            double value = (type.IsSum(), type.IsDouble()) switch
            {
                (true, true) => point.GetSumDouble(),
                (true, false) => point.GetSumLong(),
                (false, true) => point.GetGaugeLastValueDouble(),
                (false, false) => point.GetGaugeLastValueLong(),
            };
            return new MetricPointSummary(Tags(tags), value, null, null, null, null);
        }
    }
}

/// <summary>The beheerder reads the recent telemetry of the process that answers (docs/operations.md, Telemetry).</summary>
public static class RecentTelemetryEndpoints
{
    public static void MapRecentTelemetry(this RouteGroupBuilder group)
    {
        var api = group.MapGroup("/beheer/telemetry").WithTags("Beheer").WithProblems();
        static string Service(HttpContext http) => http.RequestServices.GetRequiredService<IHostEnvironment>().ApplicationName;

        api.MapGet("/traces", (string? traceId, HttpContext http, RecentTelemetry recent) =>
            {
                http.Authorize(AccessAction.OperatePlatform, new AccessTarget.Platform());
                return TypedResults.Ok(new RecentTracesResponse(Service(http), recent.RecentTraces(TraceIdOf(traceId))));
            })
            .WithName("telemetry-traces")
            .WithSummary($"The last {RecentTelemetry.TracesShown} traces this process finished spans of, or the one asked for and those linked to it, spans in start order (beheerder only)")
            .WithDescription($"De laatste {RecentTelemetry.TracesShown} traces waarvan dit proces spans afrondde, of alleen de gevraagde (traceId, zoals in een " +
                "probleemantwoord) en de traces die ernaar verwijzen (een replay van zijn events), elk met zijn spans in volgorde van start: verzoek, opslag, relay, bus en projectie. Alleen voor de beheerder; zonder BSN of naam.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/metrics", (HttpContext http, RecentTelemetry recent) =>
            {
                http.Authorize(AccessAction.OperatePlatform, new AccessTarget.Platform());
                return TypedResults.Ok(new CurrentMetricsResponse(Service(http), recent.CurrentMetrics()));
            })
            .WithName("telemetry-metrics")
            .WithSummary("Every metric of this process as it stands now: totals, last values, histograms' count, sum, min and max (beheerder only)")
            .WithDescription("Alle metrieken van dit proces zoals ze nu staan: totalen, laatste waarden en van histogrammen aantal, som, minimum en maximum. " +
                "Alleen voor de beheerder.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    /// <summary>A trace id, also as a problem answer quotes it: the W3C traceparent 00-{traceId}-{spanId}-01.</summary>
    private static string? TraceIdOf(string? value) =>
        value is null ? null
        : ActivityContext.TryParse(value, null, out var context) ? context.TraceId.ToHexString()
        : value.Length == 32 && value.All(char.IsAsciiHexDigitLower) ? value
        : throw ApiProblem.Invalid("traceId", "A trace id is 32 lower-case hexadecimal characters, or a problem answer's traceId (00-{traceId}-{spanId}-01).");
}
