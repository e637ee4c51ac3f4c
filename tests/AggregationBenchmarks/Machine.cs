using System.Runtime.InteropServices;
using Npgsql;

namespace SocialDomain.AggregationBenchmarks;

public static class Machine
{
    public static async Task<string> DescribeAsync(string postgres)
    {
        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "select current_setting('server_version') || ' (shared_buffers=' || current_setting('shared_buffers') || ', synchronous_commit=' || current_setting('synchronous_commit') || ')'", conn);
        var pg = (string)(await cmd.ExecuteScalarAsync())!;
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {memory:F1} GiB, " +
               $"{RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, PostgreSQL {pg} on loopback";
    }
}
