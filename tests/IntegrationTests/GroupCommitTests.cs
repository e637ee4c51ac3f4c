using System.Net.Sockets;
using Npgsql;
using SocialDomain.Projections;
using SocialDomain.ServiceDefaults.Delivery;

namespace SocialDomain.IntegrationTests;

/// <summary>Many consumers share one commit; one bad record must not take the others with it.</summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task A_record_the_store_refuses_fails_alone_and_the_rest_of_its_group_is_committed()
    {
        var committed = new List<int>();
        var commit = new GroupCommit<int>(batch =>
        {
            // As PostgreSQL does: one bad row fails the whole statement.
            if (batch.Contains(13)) throw new InvalidOperationException("a row the store refuses");
            lock (committed) committed.AddRange(batch);
            return Task.FromResult(batch.Select(_ => true).ToArray());
        });

        var adds = Enumerable.Range(0, 200).Select(i => (Item: i, Task: commit.Add(i, TestContext.Current.CancellationToken))).ToList();
        await Task.WhenAll(adds.Select(a => a.Task.ContinueWith(_ => { }, TestContext.Current.CancellationToken)));

        adds.Where(a => a.Task.IsFaulted).Select(a => a.Item).ShouldBe([13]);
        committed.Order().ShouldBe(Enumerable.Range(0, 200).Where(i => i != 13));
    }

    [Fact]
    public async Task When_the_store_is_away_every_record_of_the_group_fails_to_be_tried_again()
    {
        var commit = new GroupCommit<int>(_ => throw new NpgsqlException("connection refused", new SocketException((int)SocketError.ConnectionRefused)));

        var adds = Enumerable.Range(0, 50).Select(i => commit.Add(i, TestContext.Current.CancellationToken)).ToList();
        await Task.WhenAll(adds.Select(a => a.ContinueWith(_ => { }, TestContext.Current.CancellationToken)));

        adds.ShouldAllBe(a => a.IsFaulted && Failures.IsTransient(a.Exception!.InnerException!));
    }

    [Fact]
    public async Task With_two_writers_the_next_group_is_written_while_the_first_is_still_in_the_store()
    {
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writing = 0;
        var most = 0;
        var commit = new GroupCommit<int>(async batch =>
        {
            var now = Interlocked.Increment(ref writing);
            InterlockedMax(ref most, now);
            // The first group stays in the store until a second one is being written beside it.
            if (batch.Contains(0)) await first.Task.WaitAsync(TimeSpan.FromSeconds(10));
            else first.TrySetResult();
            Interlocked.Decrement(ref writing);
            return [.. batch.Select(_ => true)];
        }, writers: 2);

        var zero = commit.Add(0, TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        var rest = Enumerable.Range(1, 100).Select(i => commit.Add(i, TestContext.Current.CancellationToken)).ToList();

        (await Task.WhenAll([zero, .. rest])).ShouldAllBe(added => added);
        most.ShouldBe(2);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = target; value > seen; seen = target)
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }
}
