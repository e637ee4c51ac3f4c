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
public sealed record ProvisionPeriod(DateOnly Begindatum, DateOnly? Einddatum, string? RedenBeeindiging)
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
    public static IReadOnlyList<ProvisionTimeline> Fold(IEnumerable<IProvisionEvent> events)
    {
        var unique = new Dictionary<Guid, IProvisionEvent>();
        foreach (var e in events) unique.TryAdd(e.EventId, e);
        var retracted = unique.Values.OfType<ProvisionRetracted>().Select(r => r.RetractedEventId).ToHashSet();

        var timelines = new List<ProvisionTimeline>();
        foreach (var provision in unique.Values.Where(e => !retracted.Contains(e.EventId)).GroupBy(e => e.ProvisionId))
            if (Replay(provision.OrderBy(e => e.StreamVersion)) is { } timeline)
                timelines.Add(timeline);
        return timelines;
    }

    private static ProvisionTimeline? Replay(IEnumerable<IProvisionEvent> stream)
    {
        ProvisionStarted? first = null;
        var periods = new List<ProvisionPeriod>();
        foreach (var e in stream)
            switch (e)
            {
                case ProvisionStarted started:
                    first ??= started;
                    periods.Add(new ProvisionPeriod(started.Begindatum, null, null));
                    break;
                case ProvisionEnded ended:
                    // The stop names the start it ends by its begindatum; a stop whose start was withdrawn ends nothing.
                    var index = periods.FindLastIndex(p => p.Begindatum == ended.Begindatum && p.Einddatum is null);
                    if (index >= 0) periods[index] = periods[index] with { Einddatum = ended.Einddatum, RedenBeeindiging = ended.RedenBeeindiging };
                    break;
            }
        return first is null
            ? null
            : new ProvisionTimeline(first.Law, first.ProvisionId, first.Bsn, first.Gemeente, first.Productcategorie, first.ToewijzingNummer, periods)
            {
                Geboortedatum = first.Geboortedatum,
            };
    }
}
