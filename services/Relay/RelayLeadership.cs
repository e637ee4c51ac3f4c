using Microsoft.Extensions.Logging;
using Npgsql;
using SocialDomain.EventStore;

namespace SocialDomain.Relay;

/// <summary>
/// Which instance of a service publishes its log: one at a time, so a write service can run as several instances on
/// one store (docs/relay.md, "Leadership").
/// </summary>
public interface IRelayLeadership : IAsyncDisposable
{
    /// <summary>Returns once this instance leads, with a token that is cancelled the moment it no longer does.</summary>
    Task<CancellationToken> AcquireAsync(CancellationToken ct);

    /// <summary>
    /// Proves the lead is still held, right before a round publishes. When it is not, the token that
    /// <see cref="AcquireAsync"/> gave is cancelled and this throws <see cref="OperationCanceledException"/> on it.
    /// </summary>
    Task ConfirmAsync(CancellationToken ct);

    /// <summary>Gives the lead up (when the service stops), so a standby takes over without waiting for a timeout.</summary>
    Task ReleaseAsync();
}

public static class RelayLeadership
{
    /// <summary>How often a standby tries to take the lead; configured as <c>Relay:LeadershipInterval</c>.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The leadership that fits the store: a lock on PostgreSQL, none needed for a store only one process opens.</summary>
    public static IRelayLeadership For(EventStoreSettings store, string relay, TimeSpan interval, ILogger logger) => store.Provider switch
    {
        StoreProvider.Postgres => new PostgresRelayLeadership(store.ConnectionString, $"{store.Schema}.{relay}", interval, logger),
        _ => new SingleProcessLeadership(),
    };
}

/// <summary>A SQLite store belongs to the one process that opens it (the embedded host): its relay always leads.</summary>
public sealed class SingleProcessLeadership : IRelayLeadership
{
    public Task<CancellationToken> AcquireAsync(CancellationToken ct) => Task.FromResult(CancellationToken.None);
    public Task ConfirmAsync(CancellationToken ct) => Task.CompletedTask;
    public Task ReleaseAsync() => Task.CompletedTask;
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// The lead is a session-level advisory lock (<c>pg_try_advisory_lock</c>) on a key derived from the store's schema
/// and the relay's name, held on a connection of its own, outside any pool: the lock lives exactly as long as that
/// session. A process that dies (kill -9) closes its socket and PostgreSQL frees the lock at once; a standby, trying
/// every <c>interval</c>, takes it. The leader sends a query on its lock connection before every round that publishes
/// and twice per interval while idle; the first that fails ends its lead, and it closes the connection, so it never
/// holds the lock while it does not act as leader. A host that vanishes without closing its socket (power, network)
/// is dropped by the server's TCP keepalives, set on the lock session to give up after about 16 s of silence; the
/// leader itself has stopped by then: its query fails after at most <see cref="QueryTimeout"/>.
/// </summary>
public sealed class PostgresRelayLeadership : IRelayLeadership
{
    private readonly string _connectionString;
    private readonly string _key;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    // One command at a time on the lock connection: the watch and a round's confirmation share it.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _connection;
    private CancellationTokenSource? _lead;
    private Task _watch = Task.CompletedTask;
    private bool _unreachable;
    private bool _lostBefore;

    public PostgresRelayLeadership(string connectionString, string key, TimeSpan interval, ILogger logger)
    {
        _key = key;
        _interval = interval;
        _logger = logger;
        var name = $"sdp-relay-leadership {key}";
        ApplicationName = name.Length > 63 ? name[..63] : name;
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // A pooled connection would keep the session, and the lock with it, after this instance let it go.
            Pooling = false,
            ApplicationName = ApplicationName,
            Timeout = 5,
            CommandTimeout = (int)QueryTimeout.TotalSeconds,
        };
        builder.Options = $"{builder.Options} -c tcp_keepalives_idle=10 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3 -c tcp_user_timeout=16000".Trim();
        _connectionString = builder.ConnectionString;
    }

    /// <summary>
    /// How long a query on the lock connection may take before the lead counts as lost: generous, so a busy database
    /// does not move the lead for nothing; well below the 16 s after which the server drops a silent session.
    /// </summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The name the lock session shows in <c>pg_stat_activity.application_name</c> (PostgreSQL keeps 63 characters).</summary>
    public string ApplicationName { get; }

    public async Task<CancellationToken> AcquireAsync(CancellationToken ct)
    {
        // The lead this instance had before has ended: its watch is over, its token of no more use.
        await _watch;
        _lead?.Dispose();
        _lead = null;
        // After losing the lead, give a standby the first chance: it tries within one interval, this instance after two.
        if (_lostBefore) await Task.Delay(_interval * 2, ct);
        while (!await TryAcquire(ct)) await Task.Delay(_interval, ct);
        var lead = new CancellationTokenSource();
        _lead = lead;
        _watch = Watch(lead);
        _logger.LogInformation("Relay leadership {Key}: this instance leads", _key);
        return lead.Token;
    }

    public async Task ConfirmAsync(CancellationToken ct)
    {
        var lead = _lead ?? throw new InvalidOperationException("Confirm the lead only after taking it.");
        if (!await Alive(ct)) await Lose(lead);
        lead.Token.ThrowIfCancellationRequested();
    }

    public async Task ReleaseAsync()
    {
        if (_lead is { IsCancellationRequested: false } lead) await lead.CancelAsync();
        await _watch;
        await _gate.WaitAsync();
        try
        {
            await Close();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync();

    private async Task<bool> TryAcquire(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_connection is null)
            {
                var connection = new NpgsqlConnection(_connectionString);
                try
                {
                    await connection.OpenAsync(ct);
                }
                catch
                {
                    await connection.DisposeAsync();
                    throw;
                }
                _connection = connection;
            }
            await using var cmd = new NpgsqlCommand("select pg_try_advisory_lock(hashtextextended($1, 0))", _connection);
            cmd.Parameters.Add(new NpgsqlParameter { Value = _key });
            var acquired = (bool)(await cmd.ExecuteScalarAsync(ct))!;
            _unreachable = false;
            return acquired;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Once per outage, not every interval.
            if (!_unreachable) _logger.LogWarning(ex, "Relay leadership {Key}: cannot ask PostgreSQL for the lead; trying every {Interval} ms", _key, _interval.TotalMilliseconds);
            _unreachable = true;
            await Close();
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task Watch(CancellationTokenSource lead)
    {
        while (!lead.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval / 2, lead.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (!await Alive(CancellationToken.None)) await Lose(lead);
        }
    }

    private async Task<bool> Alive(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_connection is null) return false;
            await using var cmd = new NpgsqlCommand("select 1", _connection);
            await cmd.ExecuteScalarAsync(ct);
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "Relay leadership {Key}: the lock connection broke", _key);
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task Lose(CancellationTokenSource lead)
    {
        if (lead.IsCancellationRequested) return;
        _lostBefore = true;
        // Closed before the relay hears of it, so the connection its next attempt opens is never this one.
        await _gate.WaitAsync();
        try
        {
            await Close();
        }
        finally
        {
            _gate.Release();
        }
        await lead.CancelAsync();
        _logger.LogWarning("Relay leadership {Key}: this instance no longer leads and stops publishing; it tries to take the lead again", _key);
    }

    private async Task Close()
    {
        if (_connection is null) return;
        await _connection.DisposeAsync();
        _connection = null;
    }
}
