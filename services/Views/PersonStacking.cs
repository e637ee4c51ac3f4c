using SocialDomain.Contracts;

namespace SocialDomain.Views;

/// <summary>A person's provisions on one date, and the combination of laws they fall under.</summary>
public sealed record PersonStacking(DateOnly Peildatum, LawSet Laws, IReadOnlyList<ProvisionTimeline> Active)
{
    public string Combinatie => Laws.CbsLabel();

    /// <summary>Provisions under more than one law at once: stapeling.</summary>
    public bool Gestapeld => Laws.LawCount() > 1;

    public static PersonStacking At(IEnumerable<ProvisionTimeline> timelines, DateOnly peildatum)
    {
        var active = timelines.Where(t => t.ActiveOn(peildatum)).OrderBy(t => t.Law).ThenBy(t => t.Productcategorie).ToList();
        var laws = active.Aggregate(LawSet.None, (set, t) => set | t.Law.ToSet());
        return new PersonStacking(peildatum, laws, active);
    }
}
