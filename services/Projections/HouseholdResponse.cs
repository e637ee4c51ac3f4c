using SocialDomain.Contracts;
using SocialDomain.ServiceDefaults.Access;
using SocialDomain.Views;

namespace SocialDomain.Projections;

/// <summary>
/// The household view as the API shows it: each member with only the provisions of the laws the caller may see of
/// that member (<see cref="MemberResponse.ZichtbareWetten"/>); <see cref="ZichtbareWetten"/> is their union.
/// </summary>
public sealed record HouseholdResponse(
    Guid HouseholdId,
    string Gemeente,
    string? Wijk,
    DateOnly Peildatum,
    string Combinatie,
    bool Gestapeld,
    IReadOnlyList<string> Signalen,
    IReadOnlyList<string> ZichtbareWetten,
    IReadOnlyList<MemberResponse> Leden,
    RegisseurView? Regisseur,
    IReadOnlyList<GoalView> Plan,
    IReadOnlyList<PartyView> Betrokkenen,
    IReadOnlyList<ConsentResponse> Toestemmingen)
{
    public static HouseholdResponse From(HouseholdView view, ProvisionScope visible) => new(
        view.HouseholdId, view.Gemeente.Value, view.Wijk?.Value, view.Peildatum, view.Combinatie, view.Gestapeld, view.Signalen,
        Names(AllLaws.Where(l => visible.IsEverything || view.Leden.Any(m => visible.Shows(m.Bsn, l)))),
        [.. view.Leden.Select(m => new MemberResponse(m.Bsn.Value, m.Rol.ToString(), m.Van, m.Tot, m.Geboortedatum,
            m.ActieveWetten.CbsLabel(), Names(visible.LawsOf(m.Bsn, AllLaws)),
            [.. m.Voorzieningen.Where(p => visible.Shows(m.Bsn, p.Law)).OrderBy(p => p.Law).ThenBy(p => p.Perioden[0].Begindatum).Select(p => new MemberProvision(
                p.Law.ToString(), p.ProvisionId, p.Productcategorie, Productcategorie.NaamOf(p.Law, p.Productcategorie),
                p.ActiveOn(view.Peildatum) ? "actueel" : "niet actueel",
                [.. p.Perioden.Select(x => new PeriodView(x.Begindatum, x.Einddatum, x.RedenBeeindiging))]))]))],
        view.Regisseur, view.Plan, view.Betrokkenen,
        [.. view.Toestemmingen.Select(c => new ConsentResponse(c.ConsentId, c.GegevenDoor.Value, c.Ontvanger, [.. c.Wetten.Select(w => w.ToString())],
            c.Van, c.Tot))]);

    private static IEnumerable<Law> AllLaws => Contracts.Laws.All.Select(l => l.Law);

    private static List<string> Names(IEnumerable<Law> laws) => [.. laws.Select(l => l.ToString())];
}

public sealed record MemberResponse(string Bsn, string Rol, DateOnly Van, DateOnly? Tot, DateOnly? Geboortedatum, string Combinatie,
    IReadOnlyList<string> ZichtbareWetten, IReadOnlyList<MemberProvision> Voorzieningen);

public sealed record MemberProvision(string Law, Guid ProvisionId, string Productcategorie, string ProductcategorieNaam, string Status,
    IReadOnlyList<PeriodView> Perioden);

public sealed record PeriodView(DateOnly Begindatum, DateOnly? Einddatum, string? RedenBeeindiging);

public sealed record ConsentResponse(Guid ConsentId, string GegevenDoor, string Ontvanger, IReadOnlyList<string> Wetten, DateOnly Van, DateOnly? Tot);
