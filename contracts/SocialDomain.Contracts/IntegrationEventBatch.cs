using System.Text.Json;

namespace SocialDomain.Contracts;

/// <summary>
/// Several integration events of one service in one message, in the order of its log. A relay sends these instead of
/// one message per event when <c>Relay:EventsPerMessage</c> is above 1 (docs/relay.md): the broker and the bus then
/// handle one message where they handled many. Each event keeps its own id, so a consumer deduplicates per event,
/// exactly as for single messages; a batch sent again after a crash is harmless.
/// </summary>
/// <param name="Source">The service whose log the events come from.</param>
public sealed record IntegrationEventBatch(string Source, IReadOnlyList<BatchedEvent> Events);

/// <summary>One event of an <see cref="IntegrationEventBatch"/>.</summary>
/// <param name="Type">The event's type name, as a single message of it is typed: ProvisionStarted, HouseholdMemberJoined, …</param>
/// <param name="Data">The event as its service stored it: the same JSON a single message of <paramref name="Type"/> carries.</param>
/// <param name="TraceParent">
/// The W3C trace context of the request that recorded the event. A message can continue one trace only, so the spans of
/// a batch link to each event's own.
/// </param>
public sealed record BatchedEvent(Guid EventId, string Type, JsonElement Data, string? TraceParent = null, string? TraceState = null);
