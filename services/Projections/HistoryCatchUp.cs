using MassTransit;
using Microsoft.Data.Sqlite;
using Npgsql;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Platform;
using SocialDomain.ServiceDefaults.Delivery;

namespace SocialDomain.Projections;

/// <summary>
/// Gets the projection the whole history of every owning service it has no record of having received it from: on its
/// first start, after its queues were deleted (events in them are gone), for a view added later, and at every start on
/// the in-memory bus, which keeps no queue across a stop. It asks over the
/// bus (<see cref="HistoryRequested"/>, on each source's own history queue); each source's relay sends its log to this
/// projection's queues only and answers <see cref="HistoryReplayed"/>, which is recorded here. A crash before the
/// answer asks again at the next start; the inbox deduplicates what arrives twice. See docs/relay.md.
/// </summary>
public sealed class HistoryCatchUp(
    IHistoryRecord record,
    IBus bus,
    IReadOnlyList<string> sources,
    BrokerQueues? broker,
    TimeSpan askAgain,
    ILogger<HistoryCatchUp> logger) : IHostedLifecycleService
{
    public const string ReplyQueue = $"{ProjectionsService.Name}-history";

    /// <summary>How long the projection waits before it asks a source again that has no history queue on the broker yet.</summary>
    public static readonly TimeSpan DefaultAskAgain = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private Task _asking = Task.CompletedTask;

    /// <summary>The owning services whose events the projection folds: the laws and the households service.</summary>
    public static IReadOnlyList<string> DefaultSources => [.. PlatformLaws.All.Select(l => l.Service), "households"];

    /// <summary>Which event types each of the projection's queues takes, from its consumers.</summary>
    public static IReadOnlyList<ReplayRoute> Routes =>
    [
        new(ProjectionsService.ProvisionEventsQueue, ConsumedTypes(typeof(ProvisionEventsConsumer))),
        new(ProjectionsService.HouseholdEventsQueue, ConsumedTypes(typeof(HouseholdEventsConsumer))),
    ];

    private static IReadOnlyList<string> ConsumedTypes(Type consumer) =>
        [.. consumer.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0].Name)];

    /// <summary>Before the bus declares the queues: a queue that is missing now lost whatever was in it.</summary>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await record.InitializeAsync(cancellationToken);
        if (broker is null)
        {
            // The in-memory bus keeps nothing across a stop, while the relays checkpointed what they handed to it: what
            // the projection had not applied by then is in no queue now, so every start asks for the whole history
            // again (the inbox keeps each event id once).
            logger.LogInformation("The in-memory bus kept nothing from before this start; asking every source for its history");
            await record.ForgetAsync(cancellationToken);
            return;
        }
        try
        {
            foreach (var queue in Routes.Select(r => r.Queue))
                if (await broker.MessageCountAsync(queue, cancellationToken) is null)
                {
                    logger.LogWarning("The projection's queue {Queue} does not exist; asking every source for its history", queue);
                    await record.ForgetAsync(cancellationToken);
                    return;
                }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Cannot see whether the projection's queues exist; keeping the history record as it is");
        }
    }

    /// <summary>After the bus has declared the queues, so the replay has somewhere to go.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var replies = bus.ConnectReceiveEndpoint(ReplyQueue, e =>
        {
            Relay.QuorumQueues.Apply(e);
            e.Handler<HistoryReplayed>(async c =>
            {
                await record.ReceivedAsync(c.Message.Source, c.Message.Events, c.CancellationToken);
                logger.LogInformation("History from {Source} received ({Count} events)", c.Message.Source, c.Message.Events);
            });
        });
        await replies.Ready.WaitAsync(cancellationToken);
        var received = await record.SourcesAsync(cancellationToken);
        var missing = sources.Except(received).ToList();
        if (missing.Count == 0) return;
        logger.LogInformation("Asking for the history of {Sources}", string.Join(", ", missing));
        _asking = Ask(missing, _stopping.Token);
    }

    /// <summary>
    /// Sends the request to each source's own history queue, mandatory: a source that has not started on this broker
    /// since it was new (or since its queues were lost) has no queue yet, and a request published to nobody would be
    /// dropped while the projection waits for its answer until the next start. The broker returns such a request, and
    /// the source is asked again after <c>askAgain</c> until a queue takes it; it is asked once per start only.
    /// </summary>
    private async Task Ask(IReadOnlyList<string> missing, CancellationToken ct)
    {
        var request = new HistoryRequested(ProjectionsService.Name, Routes, ReplyQueue);
        var waiting = missing.ToList();
        try
        {
            while (true)
            {
                foreach (var source in waiting.ToList())
                {
                    try
                    {
                        var queue = await bus.GetSendEndpoint(new Uri($"exchange:{Relay.EventRelay.HistoryQueueOf(source)}"));
                        await queue.Send(request, (SendContext context) => Relay.EventRelay.Mandatory(context), ct);
                        waiting.Remove(source);
                    }
                    catch (Exception ex) when (Relay.EventRelay.Unroutable(ex))
                    {
                        logger.LogInformation("{Source} has no history queue on the broker yet; asking again in {Seconds} s", source, askAgain.TotalSeconds);
                    }
                    catch (Exception ex) when (!ct.IsCancellationRequested)
                    {
                        logger.LogWarning(ex, "Cannot ask {Source} for its history; asking again in {Seconds} s", source, askAgain.TotalSeconds);
                    }
                }
                if (waiting.Count == 0) return;
                await Task.Delay(askAgain, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A host may be stopped twice (stop, then dispose): the second finds the asking done.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _asking;
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static void Register(IServiceCollection services, EventStoreSettings store, IConfiguration configuration)
    {
        services.AddSingleton(HistoryRecords.Create(store));
        var sources = configuration.GetSection("Projection:Sources").Get<string[]>() ?? DefaultSources;
        var askAgain = configuration.GetValue("Projection:HistoryAskAgain", DefaultAskAgain);
        services.AddSingleton<IHostedService>(sp => new HistoryCatchUp(sp.GetRequiredService<IHistoryRecord>(), sp.GetRequiredService<IBus>(),
            sources, sp.GetService<BrokerQueues>(), askAgain, sp.GetRequiredService<ILogger<HistoryCatchUp>>()));
    }
}

/// <summary>Which sources' history the projection has received, kept in its own store beside the inbox.</summary>
public interface IHistoryRecord
{
    Task InitializeAsync(CancellationToken ct);
    Task<IReadOnlyList<string>> SourcesAsync(CancellationToken ct);
    Task ReceivedAsync(string source, long events, CancellationToken ct);
    Task ForgetAsync(CancellationToken ct);
}

public static class HistoryRecords
{
    public static IHistoryRecord Create(EventStoreSettings settings) => settings.Provider switch
    {
        StoreProvider.Postgres => new Postgres(settings.ConnectionString, settings.Schema),
        _ => new Sqlite(settings.ConnectionString),
    };

    private sealed class Postgres(string connectionString, string schema) : IHistoryRecord
    {
        private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

        // The same lock as the inbox's migration: CREATE ... IF NOT EXISTS alone races on the catalog.
        public Task InitializeAsync(CancellationToken ct) => Execute($"""
            begin;
            select pg_advisory_xact_lock(hashtext('{schema}.schema'));
            create schema if not exists {schema};
            create table if not exists {schema}.history_received (
                source text primary key,
                events bigint not null,
                received_at timestamptz not null default now()
            );
            commit;
            """, ct);

        public async Task<IReadOnlyList<string>> SourcesAsync(CancellationToken ct)
        {
            await using var cmd = _dataSource.CreateCommand($"select source from {schema}.history_received");
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var sources = new List<string>();
            while (await reader.ReadAsync(ct)) sources.Add(reader.GetString(0));
            return sources;
        }

        public Task ReceivedAsync(string source, long events, CancellationToken ct) => Execute($"""
            insert into {schema}.history_received (source, events) values ($1, $2)
            on conflict (source) do update set events = excluded.events, received_at = now()
            """, ct, source, events);

        public Task ForgetAsync(CancellationToken ct) => Execute($"delete from {schema}.history_received", ct);

        private async Task Execute(string sql, CancellationToken ct, params object[] values)
        {
            await using var cmd = _dataSource.CreateCommand(sql);
            foreach (var value in values) cmd.Parameters.Add(new NpgsqlParameter { Value = value });
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private sealed class Sqlite(string connectionString) : IHistoryRecord
    {
        public Task InitializeAsync(CancellationToken ct) => Execute("""
            create table if not exists history_received (
                source text primary key,
                events integer not null,
                received_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            );
            """, ct);

        public async Task<IReadOnlyList<string>> SourcesAsync(CancellationToken ct)
        {
            await using var conn = new SqliteConnection(connectionString);
            await conn.OpenAsync(ct);
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "select source from history_received";
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var sources = new List<string>();
            while (await reader.ReadAsync(ct)) sources.Add(reader.GetString(0));
            return sources;
        }

        public Task ReceivedAsync(string source, long events, CancellationToken ct) => Execute("""
            insert into history_received (source, events) values ($source, $events)
            on conflict (source) do update set events = excluded.events, received_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            """, ct, ("$source", source), ("$events", events));

        public Task ForgetAsync(CancellationToken ct) => Execute("delete from history_received", ct);

        private async Task Execute(string sql, CancellationToken ct, params (string Name, object Value)[] values)
        {
            await using var conn = new SqliteConnection(connectionString);
            await conn.OpenAsync(ct);
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            foreach (var (name, value) in values) cmd.Parameters.AddWithValue(name, value);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}
