namespace SocialDomain.EventStore;

/// <summary>
/// Events the relay could not publish for a reason of their own, set aside with the reason, and the events of the same
/// stream behind them (docs/relay.md). The log itself never changes: parking only records that the relay passed them.
/// </summary>
public interface IParkedEvents
{
    Task ParkAsync(StoredEvent stored, string reason, CancellationToken ct = default);

    /// <summary>Every parked event with the reason, in log order.</summary>
    Task<IReadOnlyList<ParkedEvent>> ReadParkedAsync(CancellationToken ct = default);

    Task UnparkAsync(Guid eventId, CancellationToken ct = default);
}

/// <summary>A parked event as it now stands in the log (a repaired row shows its repaired data).</summary>
public sealed record ParkedEvent(StoredEvent Event, string Reason, DateTimeOffset ParkedAt);
