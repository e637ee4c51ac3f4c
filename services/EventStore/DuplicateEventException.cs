namespace SocialDomain.EventStore;

/// <summary>An event with this event id is already stored: event ids are unique across the store.</summary>
public sealed class DuplicateEventException(Exception inner) : Exception("An event with this event id is already stored.", inner);
