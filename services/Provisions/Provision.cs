using SocialDomain.Contracts;

namespace SocialDomain.Provisions;

/// <summary>A provision as the law service answers about it: a stream with at least one start that still counts.</summary>
public sealed record Provision(ProvisionStarted First, ProvisionState State)
{
    public static Provision? Of(ProvisionState state) => state.First is { } first ? new Provision(first, state) : null;

    public ProvisionResponse ToResponse(LawDefinition law, IReadOnlyList<string>? warnings = null) => new(
        First.ProvisionId,
        law.Law.ToString(),
        First.Gemeente.Value,
        First.Productcategorie,
        Productcategorie.NaamOf(law.Law, First.Productcategorie),
        First.ProductCode,
        First.ToewijzingNummer,
        State.Actual is null ? "beeindigd" : "actueel",
        [.. State.Perioden.Select(p => new PeriodResponse(p.Begindatum, p.Einddatum, p.RedenBeeindiging))],
        State.Version,
        warnings ?? []);
}
