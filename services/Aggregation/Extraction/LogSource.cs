using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SocialDomain.Aggregation.Extraction;

/// <summary>
/// One stored event as the extraction needs it: its type name and its JSON as UTF-8, the form the JSON reader
/// parses fastest (read as a string, every event would be decoded to UTF-16 and encoded back).
/// </summary>
public readonly record struct LogRow(string Type, byte[] Data);

/// <summary>
/// A table of stored events to read whole: a service's event store, or the projection's inbox. The folds are
/// order-independent, so a log is read in physical order, the cheapest way a database can give it.
/// </summary>
public abstract class LogSource
{
    public abstract string Naam { get; }

    public abstract IAsyncEnumerable<LogRow> ReadAsync(CancellationToken ct);
}

/// <summary>A PostgreSQL table read with binary COPY, the fastest way out of PostgreSQL.</summary>
public sealed class PostgresLog(string connectionString, string schema, string table = "events") : LogSource
{
    public override string Naam => $"{schema}.{table}";

    public override async IAsyncEnumerable<LogRow> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        if (!await TableExists(conn, ct)) throw new UsageException($"There is no table {Naam} in this database.");
        await using var reader = await conn.BeginBinaryExportAsync(
            $"copy (select type, data::text from {Quote(schema)}.{Quote(table)}) to stdout (format binary)", ct);
        while (await reader.StartRowAsync(ct) != -1)
            yield return new LogRow(await reader.ReadAsync<string>(ct), await reader.ReadAsync<byte[]>(ct));
    }

    private async Task<bool> TableExists(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select to_regclass($1) is not null", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = $"{Quote(schema)}.{Quote(table)}" });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>A table in a service's SQLite file.</summary>
public sealed class SqliteLog(string path, string table = "events") : LogSource
{
    public override string Naam => $"{path}:{table}";

    public override async IAsyncEnumerable<LogRow> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        if (!File.Exists(path)) throw new UsageException($"There is no SQLite file {path}.");
        await using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await conn.OpenAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"select type, data from \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return new LogRow(reader.GetString(0), reader.GetFieldValue<byte[]>(1));
    }
}

/// <summary>Where the extraction reads provisions and household memberships from.</summary>
public sealed record ExtractSources(IReadOnlyList<LogSource> Voorzieningen, IReadOnlyList<LogSource> Huishoudens)
{
    /// <summary>The services' own stores and schema (or file) names.</summary>
    public static readonly IReadOnlyList<string> LawStores = ["participatiewet", "wmo", "jeugdwet"];
    public const string HouseholdStore = "households";
    public const string ProjectionSchema = "projections";

    /// <summary>The event logs of the three law services and the Households service.</summary>
    public static ExtractSources PostgresStores(string connectionString) =>
        new([.. LawStores.Select(s => new PostgresLog(connectionString, s))], [new PostgresLog(connectionString, HouseholdStore)]);

    public static ExtractSources SqliteStores(string directory) =>
        new([.. LawStores.Select(s => new SqliteLog(Path.Combine(directory, s + ".db")))], [new SqliteLog(Path.Combine(directory, HouseholdStore + ".db"))]);

    /// <summary>The projection service's inbox: every integration event it received, deduplicated by event id.</summary>
    public static ExtractSources PostgresProjection(string connectionString, string schema = ProjectionSchema) =>
        new([new PostgresLog(connectionString, schema, "provision_events")], [new PostgresLog(connectionString, schema, "household_events")]);

    public static ExtractSources SqliteProjection(string directory) =>
        new([new SqliteLog(Path.Combine(directory, ProjectionSchema + ".db"), "provision_events")],
            [new SqliteLog(Path.Combine(directory, ProjectionSchema + ".db"), "household_events")]);
}
