using SocialDomain.Contracts;

namespace SocialDomain.Population;

/// <summary>A person of the synthetic population; the BSN is handed out when first asked for (see <see cref="SyntheticBsn"/>).</summary>
public sealed class Persoon(SyntheticBsn bsns, DateOnly geboortedatum)
{
    private Bsn? _bsn;

    public Bsn Bsn => _bsn ??= bsns.Next();

    public DateOnly Geboortedatum => geboortedatum;

    public List<Voorziening> Voorzieningen { get; } = [];

    public int LeeftijdOp(DateOnly datum)
    {
        var leeftijd = datum.Year - geboortedatum.Year;
        return datum < geboortedatum.AddYears(leeftijd) ? leeftijd - 1 : leeftijd;
    }
}

/// <summary>One period of a provision; <see cref="Eind"/> is the last day, null while it runs.</summary>
public sealed record VoorzieningPeriode(DateOnly Begin, DateOnly? Eind, string? Reden);

/// <summary>
/// A provision as the law service would have recorded it.
/// <paramref name="IngetrokkenBegin"/>: a start with this begindatum was delivered first and then withdrawn
/// (StatusAanlevering 3); the views must count it as never sent.
/// </summary>
public sealed record Voorziening(Guid Id, Law Law, string Productcategorie, Gemeentecode Gemeente,
    IReadOnlyList<VoorzieningPeriode> Perioden, DateOnly? IngetrokkenBegin = null);

/// <summary>A membership; <see cref="Tot"/> is the last day as a member.</summary>
public sealed record Lid(Persoon Persoon, HouseholdRole Rol, DateOnly Van, DateOnly? Tot);

public sealed record Huishouden(Guid Id, Gemeentecode Gemeente, WijkCode? Wijk, List<Lid> Leden)
{
    public bool HeeftVoorzieningen => Leden.Exists(l => l.Persoon.Voorzieningen.Count > 0);
}

/// <summary>
/// Receives the population as it is generated: every household once (after its members' provisions are known), and
/// every person once, with their provisions. A person with provisions who is in no household has no known household.
/// </summary>
public interface IPopulationSink
{
    void Huishouden(Huishouden huishouden);

    void Persoon(Persoon persoon);
}

/// <summary>Keeps the whole population in memory: for small scales and tests.</summary>
public sealed class Populatie : IPopulationSink
{
    public List<Huishouden> Huishoudens { get; } = [];
    public List<Persoon> Personen { get; } = [];

    void IPopulationSink.Huishouden(Huishouden huishouden) => Huishoudens.Add(huishouden);
    void IPopulationSink.Persoon(Persoon persoon) => Personen.Add(persoon);

    /// <summary>Hands a hand-made population to another sink, households first.</summary>
    public void WriteTo(IPopulationSink sink)
    {
        foreach (var h in Huishoudens) sink.Huishouden(h);
        foreach (var p in Personen) sink.Persoon(p);
    }
}
