using System.Text;

namespace SocialDomain.Benchmarks;

/// <summary>The section of docs/benchmarks.md on what telemetry costs the pipeline; <c>--only tracing</c> replaces it alone.</summary>
/// <param name="alone">Whether this part ran alone (<c>--only tracing</c>) or in a full run, after the end-to-end part.</param>
public sealed class TracingReport(TracingCostResult result, MachineInfo machine, string loadBefore, string loadAfter, bool alone)
{
    public const string Heading = "## (f) What telemetry costs the pipeline";

    private readonly StringBuilder _md = new();

    private void Line(string text = "") => _md.AppendLine(text);

    public string ToMarkdown()
    {
        var (traced, untraced) = (result.TracedRates, result.UntracedRates);
        var (tracedCpu, untracedCpu) = (TracingCostResult.CpuMicroseconds(result.Traced), TracingCostResult.CpuMicroseconds(result.Untraced));
        Line(Heading);
        Line();
        Line($"Measured {machine.Date:yyyy-MM-dd HH:mm} UTC " + (alone ? "in a run of this part alone (`--only tracing`)" : "in a full run, after the end-to-end part,") +
             $" on {machine.Cores} cores " +
             $"({machine.CpuModel}), {machine.Memory}, PostgreSQL {machine.PostgreSql}, {machine.DotNet}; load average {loadBefore} " +
             $"before, {loadAfter} after.");
        Line();
        Line($"The end-to-end pipeline of (b) (the Wmo law service and the projection on PostgreSQL and RabbitMQ, {Format.Number(result.Events)} " +
             "events appended, the clock stopped when the projection recorded the last), with OpenTelemetry as shipped (traces of " +
             "every event: store, relay publish, MassTransit send and receive, projection record, Npgsql inside them; the platform's " +
             "and the frameworks' metrics; the recent telemetry kept in memory for the beheerder) and with the SDK off " +
             "(`OTEL_SDK_DISABLED=true`: no listener, so no activity is even created). Both hosts start afresh for every repetition; " +
             "the two kinds take turns, which goes first alternating, so a drift in the machine's load hits both alike. No event " +
             "comes from a request here, so each relay publish starts a trace: every event is traced, as when all come through the API.");
        Line();
        Line("| Pipeline | Events/s, median (min–max) | CPU of both hosts per event | Traced / SDK off |");
        Line("| --- | ---: | ---: | ---: |");
        Line($"| Telemetry as shipped | {Report.Range(traced)} | {Format.Number(tracedCpu, "F1")} µs | **{Format.Percent(result.Ratio)}** |");
        Line($"| OpenTelemetry SDK off | {Report.Range(untraced)} | {Format.Number(untracedCpu, "F1")} µs | 100 % |");
        Line();
        Line($"Throughput with telemetry is {Format.Percent(result.Ratio)} of the pipeline without it; the hosts' CPU per event is " +
             $"{Format.Percent(tracedCpu / untracedCpu)} of it ({Format.Number(tracedCpu - untracedCpu, "F1")} µs more per event). " +
             $"The traced hosts showed {Format.Number(result.SpansKept)} spans in their latest traces, the others none. CPU per " +
             "event counts only this process's time, so it is the steadier of the two figures on a shared machine.");
        Line();
        Line("Every repetition:");
        Line();
        Line("| Pipeline | Events/s | Appended | Relayed | Applied | CPU (cores) |");
        Line("| --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var (label, runs) in new[] { ("traced", result.Traced), ("SDK off", result.Untraced) })
            foreach (var run in runs)
                Line($"| {label} | {Format.Rate(run.Rate)} | {Format.Seconds(run.Appended)} | {Format.Seconds(run.Relayed)} | {Format.Seconds(run.Applied)} | {run.Cpu} |");
        Line();
        return _md.ToString();
    }

    public static string Splice(string document, string section) => Report.SpliceSection(document, Heading, section);
}
