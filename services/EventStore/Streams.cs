namespace SocialDomain.EventStore;

/// <summary>Rules both adapters apply in the same way.</summary>
internal static class Streams
{
    public static void Validate(StreamAppend append)
    {
        ArgumentException.ThrowIfNullOrEmpty(append.StreamId);
        ArgumentOutOfRangeException.ThrowIfNegative(append.ExpectedVersion);
        if (append.Events.Count == 0) throw new ArgumentException($"Nothing to append to '{append.StreamId}'.");
        if (append.Tags?.Any(string.IsNullOrEmpty) == true) throw new ArgumentException($"An empty tag for '{append.StreamId}'.");
    }

    public static IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>> Group(IReadOnlyList<StoredEvent> events) =>
        events.GroupBy(e => e.StreamId).ToDictionary(g => g.Key, g => (IReadOnlyList<StoredEvent>)[.. g.OrderBy(e => e.Version)]);
}
