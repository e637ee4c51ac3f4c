using Microsoft.Data.Sqlite;

namespace SocialDomain.EventStore.Tests;

/// <summary>The contract on SQLite: every test gets a fresh file in a temp directory of its own, deleted afterwards.</summary>
public sealed class SqliteEventStoreTests : EventStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sdp-eventstore-tests", Guid.NewGuid().ToString("N"));

    protected override IEventStore CreateStore() => new SqliteEventStore($"Data Source={Path.Combine(_directory, "events.db")}");

    protected override ValueTask DeleteDatabaseAsync()
    {
        // Pooled connections keep the file (and its -wal/-shm companions) open; idle ones close here.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
