using SocialDomain.Contracts;

namespace SocialDomain.Provisions;

/// <summary>
/// The decision state of one provision, folded from its own stream. A toewijzing can hold several periods: after
/// a temporary stop (reden 20) a new start follows in the same stream. Withdrawn records (StatusAanlevering 3)
/// count as never sent.
/// </summary>
public sealed record Provision(ProvisionStarted First, IReadOnlyList<Provision.Period> Perioden, long Version)
{
    public sealed record Period(
        ProvisionStarted Start,
        ProvisionEnded? Stop)
    {
        public DateOnly Begindatum => Start.Begindatum;
        public DateOnly? Einddatum => Stop?.Einddatum;
        public bool Tijdelijk => Stop?.RedenBeeindiging == RedenBeeindiging.TijdelijkBeeindigd;
    }

    /// <summary>An actual start: a start without a stop (TR326 and TR382 speak of "een actuele start").</summary>
    public Period? Actual => Perioden.Count > 0 && Perioden[^1].Stop is null ? Perioden[^1] : null;

    public Period? WithBegindatum(DateOnly begindatum) => Perioden.LastOrDefault(p => p.Begindatum == begindatum);

    /// <summary>The stream's version even when every record in it was withdrawn: appends need it.</summary>
    public static long VersionOf(IReadOnlyList<IProvisionEvent> stream) => stream.Count == 0 ? 0 : stream.Max(e => e.StreamVersion);

    public static Provision? From(IReadOnlyList<IProvisionEvent> stream)
    {
        var retracted = stream.OfType<ProvisionRetracted>().Select(r => r.RetractedEventId).ToHashSet();
        var periods = new List<Period>();
        foreach (var e in stream.Where(e => !retracted.Contains(e.EventId)).OrderBy(e => e.StreamVersion))
            switch (e)
            {
                case ProvisionStarted start:
                    periods.Add(new Period(start, null));
                    break;
                case ProvisionEnded stop:
                    var index = periods.FindLastIndex(p => p.Begindatum == stop.Begindatum && p.Stop is null);
                    if (index >= 0) periods[index] = periods[index] with { Stop = stop };
                    break;
            }
        return periods.Count == 0 ? null : new Provision(periods[0].Start, periods, VersionOf(stream));
    }

    public ProvisionResponse ToResponse(LawDefinition law, IReadOnlyList<string>? warnings = null) => new(
        First.ProvisionId,
        law.Law.ToString(),
        First.Gemeente.Value,
        First.Productcategorie,
        law.Productcategorieen[First.Productcategorie],
        First.ProductCode,
        First.ToewijzingNummer,
        Actual is null ? "beeindigd" : "actueel",
        [.. Perioden.Select(p => new PeriodResponse(p.Begindatum, p.Einddatum, p.Stop?.RedenBeeindiging))],
        Version,
        warnings ?? []);
}
