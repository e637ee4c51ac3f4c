using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SocialDomain.EventStore;

/// <summary>
/// The embedded event store: one SQLite file per service. SQLite lets one writer in at a time, so the position
/// order is the commit order and the log needs no transaction id (it is always 0).
/// </summary>
public sealed class SqliteEventStore : IEventStore, IParkedEvents
{
    private readonly string _connectionString;
    private readonly string _name;
    // Writers queue here instead of spinning on SQLITE_BUSY; other processes on the same file still meet the busy timeout.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public SqliteEventStore(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30 };
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (builder.DataSource != ":memory:" && directory is not null) Directory.CreateDirectory(directory);
        _connectionString = builder.ToString();
        _name = Path.GetFileNameWithoutExtension(builder.DataSource);
    }

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            await using var conn = await Open(ct);
            await Execute(conn, """
                pragma journal_mode = wal;
                create table if not exists events (
                    position integer primary key autoincrement,
                    event_id text not null unique,
                    stream_id text not null,
                    version integer not null,
                    type text not null,
                    data text not null,
                    metadata text not null,
                    created_at text not null,
                    unique (stream_id, version)
                );
                create table if not exists checkpoints (
                    name text primary key,
                    transaction_id integer not null,
                    position integer not null
                );
                create table if not exists parked_events (
                    event_id text primary key references events (event_id),
                    reason text not null,
                    parked_at text not null
                );
                create table if not exists stream_tags (
                    tag text not null,
                    stream_id text not null,
                    primary key (tag, stream_id)
                ) without rowid;
                """, ct);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct = default)
    {
        foreach (var append in appends) Streams.Validate(append);
        var count = appends.Sum(a => a.Events.Count);
        using var activity = StoreTelemetry.StartAppend(_name, count);
        await _writeLock.WaitAsync(ct);
        try
        {
            await using var conn = await Open(ct);
            await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct);
            await using var version = conn.CreateCommand();
            version.CommandText = "select coalesce(max(version), 0) from events where stream_id = $stream";
            var versionStream = version.Parameters.Add("$stream", SqliteType.Text);
            await using var insert = conn.CreateCommand();
            insert.CommandText = """
                insert into events (event_id, stream_id, version, type, data, metadata, created_at)
                values ($id, $stream, $version, $type, $data, $metadata, $created)
                """;
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var stream = insert.Parameters.Add("$stream", SqliteType.Text);
            var number = insert.Parameters.Add("$version", SqliteType.Integer);
            var type = insert.Parameters.Add("$type", SqliteType.Text);
            var data = insert.Parameters.Add("$data", SqliteType.Text);
            var metadata = insert.Parameters.Add("$metadata", SqliteType.Text);
            insert.Parameters.AddWithValue("$created", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            await using var tagging = conn.CreateCommand();
            tagging.CommandText = "insert into stream_tags (tag, stream_id) values ($tag, $stream) on conflict do nothing";
            var tag = tagging.Parameters.Add("$tag", SqliteType.Text);
            var tagged = tagging.Parameters.Add("$stream", SqliteType.Text);

            foreach (var append in appends)
            {
                // A new stream needs no look-up: if it exists, its version 1 is taken and the unique key refuses the insert.
                if (append.ExpectedVersion > 0)
                {
                    versionStream.Value = append.StreamId;
                    var current = (long)(await version.ExecuteScalarAsync(ct))!;
                    if (current != append.ExpectedVersion) throw new WrongExpectedVersionException(append.StreamId, append.ExpectedVersion);
                }
                var next = append.ExpectedVersion;
                foreach (var e in append.Events)
                {
                    (id.Value, stream.Value, number.Value, type.Value, data.Value, metadata.Value) =
                        (e.EventId.ToString(), append.StreamId, ++next, e.Type, e.Data, e.Metadata);
                    try
                    {
                        await insert.ExecuteNonQueryAsync(ct);
                    }
                    catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == 2067 && ex.Message.Contains("events.event_id"))
                    {
                        throw new DuplicateEventException(ex);
                    }
                    catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == 2067)
                    {
                        // Another process wrote to this stream between our read and our insert.
                        throw new WrongExpectedVersionException(append.StreamId, append.ExpectedVersion, ex);
                    }
                }
                foreach (var t in append.Tags ?? [])
                {
                    (tag.Value, tagged.Value) = (t, append.StreamId);
                    await tagging.ExecuteNonQueryAsync(ct);
                }
            }
            await tx.CommitAsync(ct);
            StoreTelemetry.Appended(_name, count);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"select {Columns} from events where stream_id = $stream order by version";
        cmd.Parameters.AddWithValue("$stream", streamId);
        return await ReadEvents(cmd, ct);
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadStreamsAsync(IReadOnlyCollection<string> streamIds, CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        // json_each takes the ids as one parameter: no limit on how many, no SQL built from values.
        cmd.CommandText = $"select {Columns} from events where stream_id in (select value from json_each($ids)) order by stream_id, version";
        cmd.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(streamIds));
        return Streams.Group(await ReadEvents(cmd, ct));
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadTaggedStreamsAsync(string tag, CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"select {Columns} from events where stream_id in (select stream_id from stream_tags where tag = $tag) order by stream_id, version";
        cmd.Parameters.AddWithValue("$tag", tag);
        return Streams.Group(await ReadEvents(cmd, ct));
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadAllAsync(LogPosition after, int max, CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"select {Columns} from events where position > $after order by position limit $max";
        cmd.Parameters.AddWithValue("$after", after.Sequence);
        cmd.Parameters.AddWithValue("$max", max);
        return await ReadEvents(cmd, ct);
    }

    public async Task<LogPosition> ReadCheckpointAsync(string name, CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "select transaction_id, position from checkpoints where name = $name";
        cmd.Parameters.AddWithValue("$name", name);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new LogPosition(reader.GetInt64(0), reader.GetInt64(1)) : LogPosition.Start;
    }

    /// <summary>Moves the checkpoint forward only, as on PostgreSQL.</summary>
    public async Task SaveCheckpointAsync(string name, LogPosition position, CancellationToken ct = default)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            await using var conn = await Open(ct);
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = """
                insert into checkpoints (name, transaction_id, position) values ($name, $tx, $position)
                on conflict (name) do update set transaction_id = excluded.transaction_id, position = excluded.position
                where (checkpoints.transaction_id, checkpoints.position) < (excluded.transaction_id, excluded.position)
                """;
            cmd.Parameters.AddWithValue("$name", name);
            cmd.Parameters.AddWithValue("$tx", position.TransactionId);
            cmd.Parameters.AddWithValue("$position", position.Sequence);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task ParkAsync(StoredEvent stored, string reason, CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "insert into parked_events (event_id, reason, parked_at) values ($id, $reason, $at) on conflict (event_id) do nothing";
        cmd.Parameters.AddWithValue("$id", stored.EventId.ToString());
        cmd.Parameters.AddWithValue("$reason", reason);
        cmd.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<ParkedEvent>> ReadParkedAsync(CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"select e.{Columns.Replace(", ", ", e.")}, p.reason, p.parked_at from parked_events p join events e on e.event_id = p.event_id order by e.position";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var parked = new List<ParkedEvent>();
        while (await reader.ReadAsync(ct))
            parked.Add(new ParkedEvent(Read(reader), reader.GetString(8), DateTimeOffset.Parse(reader.GetString(9), CultureInfo.InvariantCulture)));
        return parked;
    }

    public async Task UnparkAsync(Guid eventId, CancellationToken ct = default)
    {
        await using var conn = await Open(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "delete from parked_events where event_id = $id";
        cmd.Parameters.AddWithValue("$id", eventId.ToString());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private const string Columns = "event_id, stream_id, version, type, data, metadata, created_at, position";

    private async Task<SqliteConnection> Open(CancellationToken ct)
    {
        var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync(ct);
        await Execute(conn, ConnectionPragmas, ct);
        return conn;
    }

    /// <summary>What every connection of the store sets. Accepted means durable: FULL syncs the WAL on every commit.</summary>
    public const string ConnectionPragmas = "pragma synchronous = full;";

    private static async Task<IReadOnlyList<StoredEvent>> ReadEvents(SqliteCommand cmd, CancellationToken ct)
    {
        var events = new List<StoredEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) events.Add(Read(reader));
        return events;
    }

    private static StoredEvent Read(SqliteDataReader reader) => new(
        Guid.Parse(reader.GetString(0)), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4),
        reader.GetString(5), DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture),
        new LogPosition(0, reader.GetInt64(7)));

    private static async Task Execute(SqliteConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
