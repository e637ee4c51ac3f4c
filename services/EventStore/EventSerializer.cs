using System.Text.Json;

namespace SocialDomain.EventStore;

/// <summary>Who caused an event and why, stored beside it. Never holds personal data.</summary>
/// <param name="Actor">The authenticated caller (the token's subject) whose request recorded the event.</param>
/// <param name="Afzender">For an iJw/iWmo message: the Afzender it names, which the policy has checked is the caller's own AGB code.</param>
/// <param name="Agb">The caller's AGB code when a care provider recorded the event.</param>
/// <param name="TraceParent">
/// The W3C trace context (traceparent, and tracestate) of the request that recorded the event: the relay publishes it
/// later, from a loop of its own, and continues that trace from here.
/// </param>
public sealed record EventMetadata(string Source, string? CorrelationId = null, string? CausationId = null, string? Actor = null,
    string? ActorRole = null, string? Agb = null, string? Afzender = null, string? TraceParent = null, string? TraceState = null);

/// <summary>
/// Turns events into <see cref="EventData"/> and back. The stored type name is the CLR type's short name:
/// a stored name must never change meaning, so a breaking change gets a new name (ProvisionStartedV2).
/// </summary>
public sealed class EventSerializer
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, Type> _types;

    public EventSerializer(IEnumerable<Type> eventTypes) => _types = eventTypes.ToDictionary(t => t.Name);

    public bool Knows(string type) => _types.ContainsKey(type);

    public Type TypeOf(string type) => _types[type];

    public EventData Serialize(Guid eventId, object @event, EventMetadata metadata) => Serialize(eventId, @event, Serialized(metadata));

    /// <summary>
    /// With metadata as <see cref="Serialized(EventMetadata)"/> made it: the events of one request share their metadata,
    /// so it is serialized once for all of them (a batch of 20,000 records held 20,000 copies).
    /// </summary>
    public EventData Serialize(Guid eventId, object @event, string serializedMetadata)
    {
        var name = @event.GetType().Name;
        if (!_types.ContainsKey(name)) throw new ArgumentException($"Event type '{name}' is not registered.", nameof(@event));
        return new EventData(eventId, name, JsonSerializer.Serialize(@event, @event.GetType(), Json), serializedMetadata);
    }

    /// <summary>Metadata as it is stored.</summary>
    public static string Serialized(EventMetadata metadata) => JsonSerializer.Serialize(metadata, Json);

    public object Deserialize(StoredEvent stored) =>
        JsonSerializer.Deserialize(stored.Data, TypeOf(stored.Type), Json)
        ?? throw new InvalidDataException($"Event {stored.EventId} has no data.");

    public static EventMetadata Metadata(StoredEvent stored) =>
        JsonSerializer.Deserialize<EventMetadata>(stored.Metadata, Json) ?? new EventMetadata("unknown");
}
