using SocialDomain.Contracts;
using SocialDomain.Views;
using SocialDomain.Views.Statistics;

namespace SocialDomain.Population;

/// <summary>
/// Writes a population straight into a pseudonymised extract, without events or a store in between: for national
/// scale, where going through a database would take hours here. It hands the builder the same timelines the views'
/// folds make, so the extract is the one the store path would give (the folds are tested to agree).
/// </summary>
public sealed class ExtractSink(Pseudonymiser pseudonymiser) : IPopulationSink
{
    private readonly ExtractBuilder _builder = new(pseudonymiser);

    /// <summary>The events the store path would have written (and the extraction folded) for the same population.</summary>
    public long BronEvents { get; private set; }

    public void Huishouden(Huishouden huishouden)
    {
        BronEvents += PopulationEvents.Count(huishouden);
        // Households without provisions add nothing to any count; the builder would drop them anyway.
        if (!huishouden.HeeftVoorzieningen) return;
        _builder.Add([], [new HouseholdTimeline(huishouden.Id, huishouden.Gemeente, huishouden.Wijk,
            [.. huishouden.Leden.Select(l => new Membership(l.Persoon.Bsn, l.Rol, l.Van, l.Tot, huishouden.Wijk, l.Persoon.Geboortedatum))])]);
    }

    public void Persoon(Persoon persoon)
    {
        if (persoon.Voorzieningen.Count == 0) return;
        foreach (var v in persoon.Voorzieningen) BronEvents += PopulationEvents.Count(v);
        _builder.Add(persoon.Voorzieningen.Select(v => new ProvisionTimeline(v.Law, v.Id, persoon.Bsn, v.Gemeente, v.Productcategorie, null,
            [.. v.Perioden.Select(p => new ProvisionPeriod(p.Begin, p.Eind, p.Reden))]) { Geboortedatum = persoon.Geboortedatum }), []);
    }

    public StatisticsExtract Build()
    {
        _builder.CountSourceEvents(BronEvents);
        return _builder.Build();
    }
}
