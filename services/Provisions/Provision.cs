using SocialDomain.Contracts;

namespace SocialDomain.Provisions;

/// <summary>
/// The decision state of one provision, folded from its own stream. A toewijzing can hold several periods:
/// after a temporary stop (reden 20) a new start follows in the same stream.
/// </summary>
public sealed record Provision(
    ProvisionStarted First,
    IReadOnlyList<Provision.Period> Perioden,
    long Version)
{
    public sealed record Period(Guid StartEventId, DateOnly Begindatum, DateOnly? Einddatum, string? RedenBeeindiging);

    /// <summary>An actual start: a start without a stop (TR326 and TR382 speak of "een actuele start").</summary>
    public Period? Actual => Perioden.Count > 0 && Perioden[^1].Einddatum is null ? Perioden[^1] : null;

    public static Provision? From(IEnumerable<IProvisionEvent> stream)
    {
        Provision? provision = null;
        foreach (var e in stream)
            provision = (provision, e) switch
            {
                (null, ProvisionStarted s) => new Provision(s, [new Period(s.EventId, s.Begindatum, null, null)], s.StreamVersion),
                (not null, ProvisionStarted s) => provision with
                {
                    Perioden = [.. provision.Perioden, new Period(s.EventId, s.Begindatum, null, null)],
                    Version = s.StreamVersion,
                },
                (not null, ProvisionEnded end) => provision with
                {
                    Perioden = [.. provision.Perioden.Select(p => p.Begindatum == end.Begindatum && p.Einddatum is null
                        ? p with { Einddatum = end.Einddatum, RedenBeeindiging = end.RedenBeeindiging } : p)],
                    Version = end.StreamVersion,
                },
                (not null, _) => provision with { Version = e.StreamVersion },
                _ => provision,
            };
        return provision;
    }

    public ProvisionResponse ToResponse(LawDefinition law) => new(
        First.ProvisionId,
        law.Law.ToString(),
        First.Gemeente.Value,
        First.Productcategorie,
        law.Productcategorieen[First.Productcategorie],
        First.ProductCode,
        First.ToewijzingNummer,
        Actual is null ? "beeindigd" : "actueel",
        [.. Perioden.Select(p => new PeriodResponse(p.Begindatum, p.Einddatum, p.RedenBeeindiging))],
        Version);
}
