using System.Diagnostics;

namespace SocialDomain.Benchmarks;

/// <summary>Latencies of one open-loop run, in milliseconds from each request's scheduled start.</summary>
public sealed record LatencyResult(string Label, double OfferedRate, int Offered, int Answered, int Failed, double AnsweredRate,
    double P50, double P99, double Max, CpuUsage Cpu, GcPauses? Gc = null, IReadOnlyList<SlowSecond>? Slowest = null)
{
    public override string ToString() =>
        $"{Label}: offered {Format.Rate(OfferedRate)}/s, answered {Format.Rate(AnsweredRate)}/s ({Failed} failed), " +
        $"p50 {Format.Number(P50, "F2")} ms, p99 {Format.Number(P99, "F2")} ms, max {Format.Number(Max, "F1")} ms; {Cpu}" +
        (Gc is null ? "" : $"; {Gc}") +
        (Slowest is null or [] ? "" : $"; slowest seconds: {string.Join(", ", Slowest)}");
}

/// <summary>
/// One second of a run (by scheduled start) and the slowest request started in it: a tail made of one long stall
/// shows as a few seconds far above the rest, a tail spread over the run as many alike.
/// </summary>
/// <remarks><see cref="GcMs"/>: this process's garbage-collector pauses during that second, to tell a stall of the
/// process from one of the database.</remarks>
public sealed record SlowSecond(int Second, double MaxMs, double? GcMs = null)
{
    public override string ToString() =>
        $"{Second} s ({Format.Number(MaxMs, "F0")} ms{(GcMs is { } gc ? $", GC {Format.Number(gc, "F0")} ms" : "")})";
}

/// <summary>
/// The garbage collector's pauses in this process while something was measured: with server GC every pause stops
/// the host and the load generator alike, so each request in flight waits it out.
/// </summary>
public sealed record GcPauses(double PausedMs, int Gen0, int Gen1, int Gen2)
{
    public static Func<GcPauses> Start()
    {
        var (paused, gen0, gen1, gen2) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        return () => new GcPauses((GC.GetTotalPauseDuration() - paused).TotalMilliseconds,
            GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
    }

    public override string ToString() =>
        $"GC paused {Format.Number(PausedMs, "F0")} ms in {Gen0} collections (gen1 {Gen1}, gen2 {Gen2})";
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
        var gc = GcPauses.Start();
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

        // The process's total GC pause at the start of each second of the schedule (NaN: the scheduler had stopped).
        var runSeconds = (int)Math.Ceiling(duration.TotalSeconds) + 1;
        var pausedBy = new double[runSeconds + 1];
        Array.Fill(pausedBy, double.NaN);

        // The scheduler starts everything that is due, then sleeps about a millisecond: at 2,000/s it starts two or
        // three at a time, each with its own scheduled moment. It runs on a thread of its own and sleeps with
        // Thread.Sleep: on this machine Task.Delay(1) wakes after 4 ms (p50; Thread.Sleep(1) 1.1 ms), so an awaited
        // delay started requests in bursts of eight and each waited up to 4 ms before it was even sent.
        void Schedule()
        {
            var next = 0;
            var second = 0;
            pausedBy[0] = GC.GetTotalPauseDuration().TotalMilliseconds;
            while (next < count && !ct.IsCancellationRequested)
            {
                var elapsed = Stopwatch.GetTimestamp() - start;
                for (; second < Math.Min(runSeconds, elapsed / Stopwatch.Frequency); second++)
                    pausedBy[second + 1] = GC.GetTotalPauseDuration().TotalMilliseconds;
                var due = Math.Min(count, (int)(elapsed / tick) + 1);
                for (; next < due; next++) outstanding[next] = One(next, start + (long)(next * tick));
                if (next < count) Thread.Sleep(1);
            }
        }
        await Task.Factory.StartNew(Schedule, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        ct.ThrowIfCancellationRequested();
        var all = Task.WhenAll(outstanding);
        await Task.WhenAny(all, Task.Delay(Drain, ct));
        var usage = cpu.Stop();
        var paused = gc();
        var answered = latencies.Where(l => l >= 0).Order().ToArray();
        var slowest = latencies.Select((l, i) => (Second: (int)(i / rate), Latency: l)).Where(x => x.Latency >= 0)
            .GroupBy(x => x.Second, x => x.Latency)
            .Select(g => new SlowSecond(g.Key, g.Max(), g.Key + 1 < pausedBy.Length && !double.IsNaN(pausedBy[g.Key + 1]) ? pausedBy[g.Key + 1] - pausedBy[g.Key] : null))
            .OrderByDescending(s => s.MaxMs).Take(3).ToList();
        var unanswered = count - answered.Length - failed;
        var seconds = Stopwatch.GetElapsedTime(start, Interlocked.Read(ref lastDone)).TotalSeconds;
        return new LatencyResult(label, rate, count, answered.Length, failed + unanswered, seconds > 0 ? answered.Length / seconds : 0,
            Percentile(answered, 0.50), Percentile(answered, 0.99), answered.Length == 0 ? double.NaN : answered[^1], usage, paused, slowest);
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
