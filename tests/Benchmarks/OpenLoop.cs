using System.Diagnostics;

namespace SocialDomain.Benchmarks;

/// <summary>Latencies of one open-loop run, in milliseconds from each request's scheduled start.</summary>
public sealed record LatencyResult(string Label, double OfferedRate, int Offered, int Answered, int Failed, double AnsweredRate,
    double P50, double P99, double Max, CpuUsage Cpu)
{
    public override string ToString() =>
        $"{Label}: offered {Format.Rate(OfferedRate)}/s, answered {Format.Rate(AnsweredRate)}/s ({Failed} failed), " +
        $"p50 {Format.Number(P50, "F2")} ms, p99 {Format.Number(P99, "F2")} ms, max {Format.Number(Max, "F1")} ms; {Cpu}";
}

/// <summary>
/// An open-loop load generator: request i is started at start + i / rate whether or not earlier ones have answered,
/// and its latency counts from that scheduled moment, not from when it was really sent. A server that stalls then
/// shows every request that waited behind the stall (no coordinated omission), and a late scheduler counts against
/// the figure, never for it.
/// </summary>
public static class OpenLoop
{
    /// <summary>How long a run waits for the answers still out after the last request was started.</summary>
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(30);

    public static async Task<LatencyResult> RunAsync(string label, double rate, TimeSpan duration, Func<int, CancellationToken, Task> request,
        CancellationToken ct)
    {
        var count = (int)(rate * duration.TotalSeconds);
        var latencies = new double[count];
        Array.Fill(latencies, -1);
        var failed = 0;
        var outstanding = new Task[count];
        var tick = Stopwatch.Frequency / rate;
        var cpu = CpuSample.Start();
        var start = Stopwatch.GetTimestamp();
        long lastDone = start;

        async Task One(int i, long scheduled)
        {
            try
            {
                await request(i, ct);
                var now = Stopwatch.GetTimestamp();
                latencies[i] = Stopwatch.GetElapsedTime(scheduled, now).TotalMilliseconds;
                InterlockedMax(ref lastDone, now);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                latencies[i] = double.NaN;
                Interlocked.Increment(ref failed);
            }
        }

        // The scheduler starts everything that is due, then sleeps about a millisecond: at 2,000/s it starts two or
        // three at a time, each with its own scheduled moment.
        var next = 0;
        while (next < count)
        {
            var elapsed = Stopwatch.GetTimestamp() - start;
            var due = Math.Min(count, (int)(elapsed / tick) + 1);
            for (; next < due; next++) outstanding[next] = One(next, start + (long)(next * tick));
            if (next < count) await Task.Delay(1, ct);
        }
        var all = Task.WhenAll(outstanding);
        await Task.WhenAny(all, Task.Delay(Drain, ct));
        var usage = cpu.Stop();
        var answered = latencies.Where(l => l >= 0).Order().ToArray();
        var unanswered = count - answered.Length - failed;
        var seconds = Stopwatch.GetElapsedTime(start, Interlocked.Read(ref lastDone)).TotalSeconds;
        return new LatencyResult(label, rate, count, answered.Length, failed + unanswered, seconds > 0 ? answered.Length / seconds : 0,
            Percentile(answered, 0.50), Percentile(answered, 0.99), answered.Length == 0 ? double.NaN : answered[^1], usage);
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }
}
