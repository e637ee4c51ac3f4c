namespace SocialDomain.Contracts;

/// <summary>A period of provision; <see cref="Einddatum"/> is the last day, null while it runs.</summary>
public readonly record struct ProvisionPeriod(DateOnly Begindatum, DateOnly? Einddatum, string? RedenBeeindiging)
{
    /// <summary>The start that opened this period.</summary>
    public Guid StartEventId { get; init; }

    /// <summary>The stop that ended this period; null while it runs.</summary>
    public Guid? StopEventId { get; init; }

    /// <summary>Only a temporary stop (reden 20) leaves room for a new start in the same toewijzing.</summary>
    public bool Tijdelijk => RedenBeeindiging == Contracts.RedenBeeindiging.TijdelijkBeeindigd;

    public bool Covers(DateOnly date) => Begindatum <= date && (Einddatum is null || date <= Einddatum);

    public bool Overlaps(DateOnly from, DateOnly to) => Begindatum <= to && (Einddatum is null || from <= Einddatum);
}

/// <summary>
/// What one provision stream means: its periods, each opened by a start and perhaps closed by a stop. A toewijzing
/// can hold several periods, as a temporary stop (reden 20) may be followed by a new start in the same stream. A
/// retracted event (StatusAanlevering 3) counts as never sent. The law services decide against this state and the
/// views show it, so both read a stream the same way.
/// </summary>
public sealed class ProvisionState
{
    public static readonly ProvisionState Empty = new([], null, [], 0);

    private readonly IReadOnlyList<IProvisionEvent> _events;

    private ProvisionState(IReadOnlyList<IProvisionEvent> events, ProvisionStarted? first, ProvisionPeriod[] perioden, long version) =>
        (_events, First, Perioden, Version) = (events, first, perioden, version);

    /// <summary>The first start that counts; null when every start in the stream was withdrawn, or there is none.</summary>
    public ProvisionStarted? First { get; }

    public IReadOnlyList<ProvisionPeriod> Perioden { get; }

    /// <summary>The stream's version, also when every record in it was withdrawn: the next event follows it.</summary>
    public long Version { get; }

    /// <summary>An actual start: a start without a stop (TR326 and TR382 speak of "een actuele start").</summary>
    public ProvisionPeriod? Actual => Perioden is [.., { StopEventId: null } last] ? last : null;

    public ProvisionPeriod? WithBegindatum(DateOnly begindatum)
    {
        for (var i = Perioden.Count - 1; i >= 0; i--)
            if (Perioden[i].Begindatum == begindatum) return Perioden[i];
        return null;
    }

    public ProvisionStarted StartOf(ProvisionPeriod period)
    {
        foreach (var e in _events)
            if (e is ProvisionStarted start && start.EventId == period.StartEventId) return start;
        throw new ArgumentException("The period was not folded from this stream.", nameof(period));
    }

    /// <summary>Folds one stream's events, in any order and with any duplicates.</summary>
    public static ProvisionState From(IEnumerable<IProvisionEvent> events)
    {
        List<IProvisionEvent> stream = [.. events.DistinctBy(e => e.EventId).OrderBy(e => e.StreamVersion)];
        if (stream.Count == 0) return Empty;
        var periods = new List<ProvisionPeriod>();
        var first = Replay(stream, periods);
        return new ProvisionState(stream, first, [.. periods], stream[^1].StreamVersion);
    }

    /// <summary>
    /// The fold itself, for callers that order and deduplicate streams themselves and fold millions of them (the
    /// views): <paramref name="stream"/> is one stream in version order, every event once; <paramref name="periods"/>
    /// is cleared and filled, so one list can serve every stream.
    /// </summary>
    /// <returns>The first start that counts; null when the stream holds no provision.</returns>
    public static ProvisionStarted? Replay(List<IProvisionEvent> stream, List<ProvisionPeriod> periods)
    {
        ProvisionStarted? first = null;
        periods.Clear();
        var retracted = Retracted(stream);
        foreach (var e in stream)
        {
            if (retracted?.Contains(e.EventId) == true) continue;
            switch (e)
            {
                case ProvisionStarted started:
                    first ??= started;
                    periods.Add(new ProvisionPeriod(started.Begindatum, null, null) { StartEventId = started.EventId });
                    break;
                case ProvisionEnded ended:
                    // The stop names the start it ends by its begindatum; a stop whose start was withdrawn ends nothing.
                    for (var i = periods.Count - 1; i >= 0; i--)
                        if (periods[i].Begindatum == ended.Begindatum && periods[i].StopEventId is null)
                        {
                            periods[i] = periods[i] with
                            {
                                Einddatum = ended.Einddatum, RedenBeeindiging = ended.RedenBeeindiging, StopEventId = ended.EventId,
                            };
                            break;
                        }
                    break;
            }
        }
        return first;
    }

    /// <summary>The events withdrawn in this stream; null (nothing to look up) in the usual stream without retractions.</summary>
    private static List<Guid>? Retracted(List<IProvisionEvent> stream)
    {
        List<Guid>? retracted = null;
        foreach (var e in stream)
            if (e is ProvisionRetracted r) (retracted ??= []).Add(r.RetractedEventId);
        return retracted;
    }
}
