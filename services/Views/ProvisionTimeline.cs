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
        var periods = t_periods ??= [];
        return ProvisionState.Replay(stream, periods) is not { } first
            ? null
            : new ProvisionTimeline(first.Law, first.ProvisionId, first.Bsn, first.Gemeente, first.Productcategorie, first.ToewijzingNummer, [.. periods])
            {
                Geboortedatum = first.Geboortedatum,
            };
    }
}
