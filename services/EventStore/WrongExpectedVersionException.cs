namespace SocialDomain.EventStore;

/// <summary>Another writer changed the stream since it was read: reload and decide again.</summary>
public sealed class WrongExpectedVersionException(string streamId, long expectedVersion, Exception? inner = null)
    : Exception($"Stream '{streamId}' is not at expected version {expectedVersion}.", inner)
{
    public string StreamId { get; } = streamId;
    public long ExpectedVersion { get; } = expectedVersion;
}
