namespace SocialDomain.Contracts;

/// <summary>
/// A subscriber asks every owning service for its log from the start, sent to the subscriber's own queues only: a
/// projection that starts for the first time, lost its queues, or is a view added later gets the whole history. Each
/// event keeps its original message id, so what the subscriber already has is deduplicated by its inbox.
/// </summary>
/// <param name="Subscriber">The subscriber's name; the answer <see cref="HistoryReplayed"/> names it.</param>
/// <param name="Routes">Which event types (short type names) go to which of the subscriber's queues.</param>
/// <param name="ReplyQueue">Where the source sends <see cref="HistoryReplayed"/> when it has sent everything; none for a beheerder's replay.</param>
public sealed record HistoryRequested(string Subscriber, IReadOnlyList<ReplayRoute> Routes, string? ReplyQueue);

public sealed record ReplayRoute(string Queue, IReadOnlyList<string> EventTypes);

/// <summary>A source has sent its log up to the position its relay had published when the request came; the relay publishes the rest.</summary>
public sealed record HistoryReplayed(string Source, string Subscriber, long Events);
