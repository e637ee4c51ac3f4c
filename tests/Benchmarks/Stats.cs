using System.Globalization;

namespace SocialDomain.Benchmarks;

/// <summary>The repetitions of one figure: events (or messages) per second, best first is not assumed.</summary>
public sealed record Sample(IReadOnlyList<double> Rates)
{
    public double Median
    {
        get
        {
            var sorted = Rates.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    public double Min => Rates.Min();
    public double Max => Rates.Max();

    /// <summary>Half the spread between the slowest and fastest repetition, relative to the median.</summary>
    public double Spread => Median == 0 ? 0 : (Max - Min) / 2 / Median;

    public override string ToString() => $"{Format.Rate(Median)}/s (min {Format.Rate(Min)}, max {Format.Rate(Max)})";
}

public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Rate(double perSecond) => perSecond.ToString("N0", Invariant);

    public static string Percent(double ratio) => (ratio * 100).ToString("F1", Invariant) + " %";

    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F2", Invariant) + " s";

    public static string Number(double value, string format = "N0") => value.ToString(format, Invariant);
}

/// <summary>
/// CPU time spent by this process, by PostgreSQL and by RabbitMQ, and by the whole machine, between two points, read
/// from /proc. It tells which process was busy while a figure was measured; on a two-core machine that is often the
/// answer to what limits it.
/// </summary>
public sealed class CpuSample
{
    private static readonly long TicksPerSecond = 100; // USER_HZ on every Linux that .NET runs on.

    private readonly long _start = System.Diagnostics.Stopwatch.GetTimestamp();
    private readonly Snapshot _begin = Snapshot.Take();

    public static CpuSample Start() => new();

    public CpuUsage Stop()
    {
        var end = Snapshot.Take().Since(_begin);
        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(_start).TotalSeconds;
        double Cores(long ticks) => wall <= 0 ? 0 : ticks / (double)TicksPerSecond / wall;
        var machineBusy = end.MachineTotal - _begin.MachineTotal is var total and > 0
            ? 1 - (end.MachineIdle - _begin.MachineIdle) / (double)total
            : 0;
        return new CpuUsage(
            Cores(end.Self),
            Cores(end.Postgres),
            Cores(end.Rabbit),
            machineBusy);
    }

    /// <summary>CPU ticks per process group; a process counts with what it used since the first snapshot (or since it started).</summary>
    private sealed record Snapshot(long Self, long Postgres, long Rabbit, long MachineTotal, long MachineIdle, Dictionary<int, long> PerProcess)
    {
        public long Self { get; set; } = Self;
        public long Postgres { get; set; } = Postgres;
        public long Rabbit { get; set; } = Rabbit;

        /// <summary>
        /// Makes the group sums of this (later) snapshot relative to <paramref name="before"/>, process by process. A
        /// process's ticks include those of its children that ended and were reaped (cutime, cstime): PostgreSQL backends,
        /// autovacuum and parallel workers that end while something is measured hand their whole lifetime's CPU to the
        /// postmaster then, so what such a process had used before the measurement began is taken off again.
        /// </summary>
        public Snapshot Since(Snapshot before)
        {
            long self = 0, postgres = 0, rabbit = 0;
            void Add(int group, long delta)
            {
                if (group == 1) self += delta;
                else if (group == 2) postgres += delta;
                else if (group == 3) rabbit += delta;
            }
            foreach (var (pid, ticks) in PerProcess)
            {
                var delta = ticks - before.PerProcess.GetValueOrDefault(pid);
                if (delta < 0) continue; // a pid reused by a new process
                Add(Groups.GetValueOrDefault(pid), delta);
            }
            foreach (var (pid, ticks) in before.PerProcess)
                if (!PerProcess.ContainsKey(pid)) Add(before.Groups.GetValueOrDefault(pid), -ticks);
            return this with { Self = Math.Max(0, self), Postgres = Math.Max(0, postgres), Rabbit = Math.Max(0, rabbit) };
        }

        public Dictionary<int, int> Groups { get; } = [];

        public static Snapshot Take()
        {
            long total = 0, idle = 0;
            var snapshot = new Snapshot(0, 0, 0, 0, 0, []);
            if (!OperatingSystem.IsLinux()) return snapshot;
            var me = Environment.ProcessId;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                var ticks = ProcessTicks(dir, out var comm);
                var group = pid == me ? 1 : comm == "postgres" ? 2 : comm is "beam.smp" or "erl_child_setup" or "epmd" ? 3 : 0;
                if (group == 0) continue;
                snapshot.PerProcess[pid] = ticks;
                snapshot.Groups[pid] = group;
            }
            try
            {
                var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                    .Select(long.Parse).ToArray();
                total = cpu.Take(8).Sum();
                idle = cpu[3] + cpu[4];
            }
            catch (IOException)
            {
            }
            return snapshot with { MachineTotal = total, MachineIdle = idle };
        }

        private static long ProcessTicks(string dir, out string comm)
        {
            comm = "";
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                comm = stat[(open + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                // Fields after the name, 0-based: 11 utime, 12 stime, 13 cutime, 14 cstime (fields 14 to 17 of proc(5)).
                return fields[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
                return 0;
            }
        }
    }
}

/// <summary>Average cores busy during a measurement, per process group, and the machine's busy fraction.</summary>
public sealed record CpuUsage(double Benchmark, double Postgres, double RabbitMq, double MachineBusy)
{
    /// <summary>Cores busy with anything else on the machine (other programs, the kernel): the disturbance.</summary>
    public double Others => Math.Max(0, MachineBusy * Environment.ProcessorCount - Benchmark - Postgres - RabbitMq);

    public override string ToString() =>
        $"bench {Format.Number(Benchmark, "F2")}, postgres {Format.Number(Postgres, "F2")}, rabbitmq {Format.Number(RabbitMq, "F2")}, others {Format.Number(Others, "F2")} cores";

    public static CpuUsage Median(IReadOnlyList<CpuUsage> usages)
    {
        double M(Func<CpuUsage, double> f) => new Sample([.. usages.Select(f)]).Median;
        return new CpuUsage(M(u => u.Benchmark), M(u => u.Postgres), M(u => u.RabbitMq), M(u => u.MachineBusy));
    }
}
