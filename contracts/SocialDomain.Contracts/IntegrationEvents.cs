namespace SocialDomain.Contracts;

/// <summary>
/// What every integration event carries. <see cref="EventId"/> is unique, so consumers can deduplicate;
/// <see cref="StreamVersion"/> orders the events of one source stream, because the bus does not.
/// </summary>
public interface IIntegrationEvent
{
    Guid EventId { get; }
    string StreamId { get; }
    long StreamVersion { get; }
    DateTimeOffset OccurredAt { get; }
    Gemeentecode Gemeente { get; }
}

/// <summary>An event about one provision (voorziening) of one citizen under one law.</summary>
public interface IProvisionEvent : IIntegrationEvent
{
    Law Law { get; }
    Guid ProvisionId { get; }
    Bsn Bsn { get; }
}
