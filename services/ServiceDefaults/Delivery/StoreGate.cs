using Microsoft.Extensions.Logging;

namespace SocialDomain.ServiceDefaults.Delivery;

/// <summary>
/// Holds a consumer's messages while its store cannot be reached, instead of failing them towards the error queue.
/// The first transient failure closes the gate. Every consumer then waits at it with the message it holds: the
/// message stays unacknowledged, so the broker keeps it and hands out nothing beyond what is held. One probe tries the
/// store with a growing pause, and once the store answers the gate opens and each consumer tries its message again.
/// Stopping the host cancels the wait, which returns the message to its queue, not to the error queue.
/// </summary>
public sealed class StoreGate : IDisposable
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly Func<CancellationToken, Task> _probe;
    private readonly ILogger<StoreGate> _logger;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _longestPause;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource? _reopened;

    /// <param name="probe">Asks the store something cheap; throws while it cannot be reached.</param>
    /// <param name="longestPause">The longest pause between two probes (30 s when not given).</param>
    public StoreGate(Func<CancellationToken, Task> probe, ILogger<StoreGate> logger, TimeProvider? clock = null, TimeSpan? longestPause = null)
    {
        (_probe, _logger, _clock) = (probe, logger, clock ?? TimeProvider.System);
        _longestPause = longestPause ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>When the store stopped answering; null while it answers.</summary>
    public DateTimeOffset? ClosedSince { get; private set; }

    /// <summary>
    /// The kind of the last failure (its exception type). Its message, which may name hosts, is only logged: the health
    /// endpoint that shows this answers anyone.
    /// </summary>
    public string? LastFailure { get; private set; }

    /// <summary>Runs the action until it succeeds or fails for a reason that will not pass; waits while the gate is closed.</summary>
    public async Task<T> Run<T>(Func<CancellationToken, Task<T>> action, CancellationToken ct)
    {
        while (true)
        {
            if (Volatile.Read(ref _reopened) is { } closed) await closed.Task.WaitAsync(ct);
            try
            {
                return await action(ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && Failures.IsTransient(ex))
            {
                Close(ex);
            }
        }
    }

    private void Close(Exception cause)
    {
        lock (_lock)
        {
            LastFailure = Describe(cause);
            if (_reopened is not null) return;
            _reopened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ClosedSince = _clock.GetUtcNow();
        }
        _logger.LogWarning(cause, "The store cannot be reached; consumers hold their messages until it answers again");
        _ = ProbeUntilItAnswers();
    }

    private async Task ProbeUntilItAnswers()
    {
        var pause = FirstPause;
        while (!_disposed.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(pause, _clock, _disposed.Token);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
                timeout.CancelAfter(ProbeTimeout);
                await _probe(timeout.Token);
                break;
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LastFailure = Describe(ex);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, _longestPause.Ticks));
            }
        }
        if (_disposed.IsCancellationRequested) return;
        TaskCompletionSource reopened;
        DateTimeOffset since;
        lock (_lock)
        {
            (reopened, since) = (_reopened!, ClosedSince!.Value);
            (_reopened, ClosedSince) = (null, null);
        }
        _logger.LogInformation("The store answers again after {Seconds:0.0} s; consumers go on", (_clock.GetUtcNow() - since).TotalSeconds);
        reopened.SetResult();
    }

    private static string Describe(Exception ex) => ex.GetType().Name;

    /// <summary>Stops probing; a consumer still waiting is released by its own cancellation when its host stops.</summary>
    public void Dispose() => _disposed.Cancel();
}
