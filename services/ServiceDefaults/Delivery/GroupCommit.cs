using System.Threading.Channels;

namespace SocialDomain.ServiceDefaults.Delivery;

/// <summary>
/// Lets many concurrent consumers share one transaction: each waits until the batch holding its item is durable,
/// so a message is still acknowledged only after its record is committed, at a fraction of the commits. With more
/// than one writer, the next batch is gathered and written while the one before is still in the database: the writes
/// must then be safe side by side, as they are between competing instances.
/// </summary>
public sealed class GroupCommit<T>
{
    private readonly Channel<(T Item, TaskCompletionSource<bool> Done)> _pending =
        Channel.CreateUnbounded<(T, TaskCompletionSource<bool>)>();
    private readonly Func<IReadOnlyList<T>, Task<bool[]>> _write;
    private readonly int _maxBatch;

    /// <param name="write">Commits a batch in one transaction and tells per item whether it was new.</param>
    /// <param name="writers">Batches written at the same time.</param>
    public GroupCommit(Func<IReadOnlyList<T>, Task<bool[]>> write, int maxBatch = 1000, int writers = 1)
    {
        (_write, _maxBatch) = (write, maxBatch);
        for (var i = 0; i < writers; i++) _ = Task.Run(WriteLoop);
    }

    public Task<bool> Add(T item, CancellationToken ct)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.Writer.TryWrite((item, done))) throw new InvalidOperationException("The writer is closed.");
        return done.Task.WaitAsync(ct);
    }

    private async Task WriteLoop()
    {
        var batch = new List<(T Item, TaskCompletionSource<bool> Done)>(_maxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _pending.Reader.TryRead(out var next)) batch.Add(next);
            // Another writer may have taken what woke this one.
            if (batch.Count == 0) continue;
            try
            {
                var results = await _write([.. batch.Select(b => b.Item)]);
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
            }
            catch (Exception ex) when (batch.Count > 1 && !Failures.IsTransient(ex))
            {
                // One bad record fails the whole statement; written one by one, only that record fails.
                foreach (var (item, done) in batch)
                    try
                    {
                        done.TrySetResult((await _write([item]))[0]);
                    }
                    catch (Exception single)
                    {
                        done.TrySetException(single);
                    }
            }
            catch (Exception ex)
            {
                // The store is away: every waiter fails and tries again once it is back (StoreGate), so nothing is lost.
                foreach (var (_, done) in batch) done.TrySetException(ex);
            }
            batch.Clear();
        }
    }
}
