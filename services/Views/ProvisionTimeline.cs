using SocialDomain.Contracts;

namespace SocialDomain.Views;

/// <summary>One provision as the views see it: who, which law and category, and its periods.</summary>
public sealed record ProvisionTimeline(
    Law Law,
    Guid ProvisionId,
    Bsn Bsn,
    Gemeentecode Gemeente,
    string Productcategorie,
    string? ToewijzingNummer,
    IReadOnlyList<ProvisionPeriod> Perioden)
{
    /// <summary>The client's birth date when the sender gave it with the start.</summary>
    public DateOnly? Geboortedatum { get; init; }

    public bool ActiveOn(DateOnly date) => Perioden.Any(p => p.Covers(date));

    /// <summary>Active at any moment of the period ("op enig moment in de periode", as CBS counts).</summary>
    public bool ActiveDuring(DateOnly from, DateOnly to) => Perioden.Any(p => p.Overlaps(from, to));
}

/// <summary>A period of provision; <see cref="Einddatum"/> is the last day, null while it runs.</summary>
public readonly record struct ProvisionPeriod(DateOnly Begindatum, DateOnly? Einddatum, string? RedenBeeindiging)
{
    public bool Covers(DateOnly date) => Begindatum <= date && (Einddatum is null || date <= Einddatum);

    public bool Overlaps(DateOnly from, DateOnly to) => Begindatum <= to && (Einddatum is null || from <= Einddatum);
}

public static class ProvisionFold
{
    /// <summary>
    /// Folds provision events in any order, with any duplicates, into timelines. The bus guarantees neither order
    /// nor single delivery; what orders a provision's events is their stream version, and what identifies an event
    /// is its id. A retracted event counts as never sent.
    /// </summary>
    public static IReadOnlyList<ProvisionTimeline> Fold(IEnumerable<IProvisionEvent> events) =>
        new VersionedStreams<IProvisionEvent>(events, e => e.ProvisionId).Replay(Replay);

    [ThreadStatic] private static List<ProvisionPeriod>? t_periods;

    private static ProvisionTimeline? Replay(List<IProvisionEvent> stream)
    {
        ProvisionStarted? first = null;
        var periods = t_periods ??= [];
        periods.Clear();
        var retracted = Retracted(stream);
        foreach (var e in stream)
        {
            if (retracted?.Contains(e.EventId) == true) continue;
            switch (e)
            {
                case ProvisionStarted started:
                    first ??= started;
                    periods.Add(new ProvisionPeriod(started.Begindatum, null, null));
                    break;
                case ProvisionEnded ended:
                    // The stop names the start it ends by its begindatum; a stop whose start was withdrawn ends nothing.
                    for (var i = periods.Count - 1; i >= 0; i--)
                        if (periods[i].Begindatum == ended.Begindatum && periods[i].Einddatum is null)
                        {
                            periods[i] = periods[i] with { Einddatum = ended.Einddatum, RedenBeeindiging = ended.RedenBeeindiging };
                            break;
                        }
                    break;
            }
        }
        return first is null
            ? null
            : new ProvisionTimeline(first.Law, first.ProvisionId, first.Bsn, first.Gemeente, first.Productcategorie, first.ToewijzingNummer, [.. periods])
            {
                Geboortedatum = first.Geboortedatum,
            };
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
