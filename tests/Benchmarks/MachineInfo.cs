using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;

namespace SocialDomain.Benchmarks;

/// <summary>What the figures were measured on.</summary>
public sealed record MachineInfo(
    int Cores,
    string CpuModel,
    string Memory,
    string OperatingSystem,
    string DotNet,
    string PostgreSql,
    string PostgreSqlSettings,
    DateTimeOffset Date)
{
    public static async Task<MachineInfo> CollectAsync(string postgres, CancellationToken ct)
    {
        string pgVersion, pgSettings;
        await using (var conn = new NpgsqlConnection(postgres))
        {
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand("""
                select current_setting('server_version'),
                       'synchronous_commit=' || current_setting('synchronous_commit') || ', fsync=' || current_setting('fsync')
                       || ', wal_sync_method=' || current_setting('wal_sync_method') || ', shared_buffers=' || current_setting('shared_buffers')
                       || ', max_wal_size=' || current_setting('max_wal_size')
                """, conn);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            pgVersion = reader.GetString(0);
            pgSettings = reader.GetString(1);
        }
        return new MachineInfo(
            Environment.ProcessorCount,
            ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
            TotalMemory(),
            OsName(),
            $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier}), server GC: {System.Runtime.GCSettings.IsServerGC}",
            pgVersion,
            pgSettings,
            DateTimeOffset.UtcNow);
    }

    /// <summary>The 1, 5 and 15 minute load averages: how busy the machine was with anything, ours included.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string? ProcField(string path, string field)
    {
        if (!File.Exists(path)) return null;
        return File.ReadLines(path).Where(l => l.StartsWith(field, StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault();
    }

    private static string TotalMemory()
    {
        var kb = ProcField("/proc/meminfo", "MemTotal")?.Split(' ')[0];
        return kb is not null && long.TryParse(kb, CultureInfo.InvariantCulture, out var k)
            ? (k / 1024.0 / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " GiB"
            : "?";
    }

    private static string OsName() =>
        File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"')
              ?? RuntimeInformation.OSDescription
            : RuntimeInformation.OSDescription;
}
