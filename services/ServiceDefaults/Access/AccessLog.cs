using Microsoft.Data.Sqlite;
using Npgsql;
using SocialDomain.EventStore;
using SocialDomain.ServiceDefaults.Delivery;

namespace SocialDomain.ServiceDefaults.Access;

/// <summary>
/// One read of personal data: who, in which role, when, what (a household or a BSN), for what purpose, and whether
/// it was answered (<see cref="Uitkomsten"/>).
/// </summary>
public sealed record AccessEntry(
    DateTimeOffset At,
    string UserId,
    string Role,
    string Service,
    string Resource,
    string? Bsn,
    Guid? HouseholdId,
    string? Doelbinding,
    string Uitkomst);

/// <summary>
/// The append-only log of reads of personal data. The database refuses updates and deletes (a trigger), so not
/// even a bug in the service can rewrite history.
/// </summary>
public interface IAccessLog
{
    Task InitializeAsync(CancellationToken ct = default);
    Task AppendAsync(AccessEntry entry, CancellationToken ct = default);
    Task<(IReadOnlyList<AccessEntry> Items, int Total)> QueryAsync(string? bsn, Guid? householdId, string? userId, int skip, int take, CancellationToken ct = default);
}

public static class AccessLogs
{
    public static IAccessLog Create(EventStoreSettings settings) => settings.Provider switch
    {
        StoreProvider.Postgres => new PostgresAccessLog(settings.ConnectionString, settings.Schema),
        _ => new SqliteAccessLog(settings.ConnectionString),
    };
}

/// <summary>
/// Every read waits until its entry is committed, but concurrent reads share the commit (<see cref="GroupCommit{T}"/>):
/// one commit per read was what limited the read endpoints.
/// </summary>
internal sealed class PostgresAccessLog : IAccessLog
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly GroupCommit<AccessEntry> _writer;

    public PostgresAccessLog(string connectionString, string schema)
    {
        _dataSource = NpgsqlDataSource.Create(PostgresConnections.Tuned(connectionString, autoPrepare: false));
        _schema = schema;
        _writer = new GroupCommit<AccessEntry>(Write);
    }

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            select pg_advisory_xact_lock(hashtext('{_schema}.access_log'));
            create schema if not exists {_schema};
            create table if not exists {_schema}.access_log (
                id bigint generated always as identity primary key,
                at timestamptz not null, user_id text not null, role text not null, service text not null,
                resource text not null, bsn text, household_id uuid, doelbinding text);
            -- Logs from before refusals were logged hold only answered reads.
            alter table {_schema}.access_log add column if not exists uitkomst text not null default 'toegestaan';
            create index if not exists access_log_bsn on {_schema}.access_log (bsn);
            create index if not exists access_log_household on {_schema}.access_log (household_id);
            create or replace function {_schema}.access_log_append_only() returns trigger language plpgsql as
                $$ begin raise exception 'the access log is append-only'; end $$;
            drop trigger if exists access_log_append_only on {_schema}.access_log;
            create trigger access_log_append_only before update or delete on {_schema}.access_log
                for each row execute function {_schema}.access_log_append_only();
            """, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    public Task AppendAsync(AccessEntry entry, CancellationToken ct = default) => _writer.Add(entry, ct);

    private async Task<bool[]> Write(IReadOnlyList<AccessEntry> entries)
    {
        await using var cmd = _dataSource.CreateCommand($"""
            insert into {_schema}.access_log (at, user_id, role, service, resource, bsn, household_id, doelbinding, uitkomst)
            select * from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::text[], $9::text[])
            """);
        foreach (var column in new object[]
                 {
                     entries.Select(e => e.At).ToArray(), entries.Select(e => e.UserId).ToArray(), entries.Select(e => e.Role).ToArray(),
                     entries.Select(e => e.Service).ToArray(), entries.Select(e => e.Resource).ToArray(), entries.Select(e => e.Bsn).ToArray(),
                     entries.Select(e => e.HouseholdId).ToArray(), entries.Select(e => e.Doelbinding).ToArray(), entries.Select(e => e.Uitkomst).ToArray(),
                 })
            cmd.Parameters.Add(new NpgsqlParameter { Value = column });
        await cmd.ExecuteNonQueryAsync();
        return [.. entries.Select(_ => true)];
    }

    public async Task<(IReadOnlyList<AccessEntry> Items, int Total)> QueryAsync(string? bsn, Guid? householdId, string? userId, int skip, int take, CancellationToken ct = default)
    {
        const string Filter = "($1::text is null or bsn = $1) and ($2::uuid is null or household_id = $2) and ($3::text is null or user_id = $3)";
        await using var cmd = _dataSource.CreateCommand($"""
            select at, user_id, role, service, resource, bsn, household_id, doelbinding, uitkomst, count(*) over ()
            from {_schema}.access_log where {Filter} order by id desc offset $4 limit $5
            """);
        foreach (var value in new object?[] { bsn, householdId, userId, skip, take })
            cmd.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        var items = new List<AccessEntry>();
        var total = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(new AccessEntry(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetGuid(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8)));
            total = (int)reader.GetInt64(9);
        }
        return (items, total);
    }
}

/// <summary>As on PostgreSQL, concurrent reads share the commit of their entries.</summary>
internal sealed class SqliteAccessLog : IAccessLog
{
    private readonly string _connectionString;
    private readonly GroupCommit<AccessEntry> _writer;

    public SqliteAccessLog(string connectionString)
    {
        _connectionString = connectionString;
        _writer = new GroupCommit<AccessEntry>(Write);
    }

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            create table if not exists access_log (
                id integer primary key autoincrement,
                at text not null, user_id text not null, role text not null, service text not null,
                resource text not null, bsn text, household_id text, doelbinding text);
            create index if not exists access_log_bsn on access_log (bsn);
            create trigger if not exists access_log_no_update before update on access_log
                begin select raise(abort, 'the access log is append-only'); end;
            create trigger if not exists access_log_no_delete before delete on access_log
                begin select raise(abort, 'the access log is append-only'); end;
            """;
        await cmd.ExecuteNonQueryAsync(ct);
        // SQLite has no "add column if not exists": a log from before refusals were logged gets the column here,
        // its rows (answered reads only) as 'toegestaan'.
        cmd.CommandText = "select count(*) from pragma_table_info('access_log') where name = 'uitkomst'";
        if ((long)(await cmd.ExecuteScalarAsync(ct))! == 0)
        {
            cmd.CommandText = "alter table access_log add column uitkomst text not null default 'toegestaan'";
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    public Task AppendAsync(AccessEntry entry, CancellationToken ct = default) => _writer.Add(entry, ct);

    private async Task<bool[]> Write(IReadOnlyList<AccessEntry> entries)
    {
        await using var conn = await Open(CancellationToken.None);
        await using var tx = conn.BeginTransaction(deferred: false);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            insert into access_log (at, user_id, role, service, resource, bsn, household_id, doelbinding, uitkomst)
            values ($at, $user, $role, $service, $resource, $bsn, $household, $doel, $uitkomst)
            """;
        foreach (var e in entries)
        {
            cmd.Parameters.Clear();
            cmd.Parameters.AddWithValue("$at", e.At.ToString("O"));
            cmd.Parameters.AddWithValue("$user", e.UserId);
            cmd.Parameters.AddWithValue("$role", e.Role);
            cmd.Parameters.AddWithValue("$service", e.Service);
            cmd.Parameters.AddWithValue("$resource", e.Resource);
            cmd.Parameters.AddWithValue("$bsn", (object?)e.Bsn ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$household", (object?)e.HouseholdId?.ToString() ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$doel", (object?)e.Doelbinding ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$uitkomst", e.Uitkomst);
            await cmd.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        return [.. entries.Select(_ => true)];
    }

    public async Task<(IReadOnlyList<AccessEntry> Items, int Total)> QueryAsync(string? bsn, Guid? householdId, string? userId, int skip, int take, CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            select at, user_id, role, service, resource, bsn, household_id, doelbinding, uitkomst, count(*) over ()
            from access_log where ($bsn is null or bsn = $bsn) and ($household is null or household_id = $household)
              and ($user is null or user_id = $user)
            order by id desc limit $take offset $skip
            """;
        cmd.Parameters.AddWithValue("$bsn", (object?)bsn ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$household", (object?)householdId?.ToString() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$user", (object?)userId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$skip", skip);
        cmd.Parameters.AddWithValue("$take", take);
        var items = new List<AccessEntry>();
        var total = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(new AccessEntry(DateTimeOffset.Parse(reader.GetString(0), System.Globalization.CultureInfo.InvariantCulture),
                reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : Guid.Parse(reader.GetString(6)),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8)));
            total = (int)reader.GetInt64(9);
        }
        return (items, total);
    }

    private async Task<SqliteConnection> Open(CancellationToken ct)
    {
        var builder = new SqliteConnectionStringBuilder(_connectionString) { DefaultTimeout = 30 };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(builder.DataSource))!);
        var conn = new SqliteConnection(builder.ToString());
        await conn.OpenAsync(ct);
        return conn;
    }
}
