using SocialDomain.Contracts;

namespace SocialDomain.Views;

/// <summary>
/// "Eén gezin, één plan, één regisseur": one household whole, on one date, across the three laws: its members,
/// every provision of each, the laws they add up to, the regisseur, the plan, who else is involved, the consents,
/// and the signals the evaluations of the decentralisation found missing.
/// </summary>
public sealed record HouseholdView(
    Guid HouseholdId,
    Gemeentecode Gemeente,
    WijkCode? Wijk,
    DateOnly Peildatum,
    IReadOnlyList<MemberView> Leden,
    LawSet Wetten,
    IReadOnlyList<string> Signalen,
    RegisseurView? Regisseur,
    IReadOnlyList<GoalView> Plan,
    IReadOnlyList<PartyView> Betrokkenen,
    IReadOnlyList<ConsentView> Toestemmingen)
{
    public string Combinatie => Wetten.CbsLabel();

    /// <summary>Stapeling, as for a person: the household's active provisions span more than one law.</summary>
    public bool Gestapeld => Wetten.LawCount() > 1;
}

public sealed record MemberView(Bsn Bsn, HouseholdRole Rol, DateOnly Van, DateOnly? Tot, DateOnly? Geboortedatum,
    IReadOnlyList<ProvisionTimeline> Voorzieningen, LawSet ActieveWetten);

public sealed record RegisseurView(string RegisseurId, string Naam, DateOnly Van);

public sealed record GoalView(Guid GoalId, Leefgebied Leefgebied, string Omschrijving, string Eigenaar, PlanStatus Status,
    IReadOnlyList<ActionView> Acties, IReadOnlyList<ConflictView> Conflicten);

public sealed record ActionView(Guid ActionId, string Omschrijving, string Eigenaar, PlanStatus Status, DateOnly? Deadline);

/// <summary>The other goal, shown beside the one it conflicts with, with who marked it and why.</summary>
public sealed record ConflictView(Guid GoalId, string Omschrijving, Leefgebied Leefgebied, string GemarkeerdDoor, string Toelichting);

public sealed record PartyView(Guid PartyId, string Naam, string Organisatie, Domein Domein, bool Regie, DateOnly Van, DateOnly? Tot);

/// <summary>A consent that holds on the view's date; <see cref="Tot"/> is its last day, null while it holds until withdrawn.</summary>
public sealed record ConsentView(Guid ConsentId, Bsn GegevenDoor, string Ontvanger, IReadOnlyList<Law> Wetten, DateOnly Van, DateOnly? Tot);

/// <summary>When a signal fires. The defaults follow the evaluations; a gemeente may tune them.</summary>
/// <param name="OvergangMaanden">How far ahead an 18th birthday counts as an imminent 18-/18+ transition.</param>
/// <param name="LedenMetVoorzieningen">How many members with provisions make a household a signal by itself.</param>
public sealed record SignalOptions(int OvergangMaanden = 6, int LedenMetVoorzieningen = 3);

public static class HouseholdViews
{
    /// <summary>
    /// Builds the view from the household's events and its members' provision events, in any order and with any
    /// duplicates: both are folded by stream version and event id first. The events arrive one by one, so any subset
    /// may be all there is yet: the view shows what has arrived (a regisseur before any member, say).
    /// </summary>
    /// <exception cref="ArgumentException">No household event: a household is known by at least one.</exception>
    public static HouseholdView Build(IEnumerable<IHouseholdEvent> householdEvents, IEnumerable<IProvisionEvent> provisionEvents,
        DateOnly peildatum, SignalOptions? options = null) =>
        Build(householdEvents, ProvisionFold.Fold(provisionEvents), peildatum, options);

    /// <summary>Builds the view from the household's events and its members' provisions as already folded.</summary>
    public static HouseholdView Build(IEnumerable<IHouseholdEvent> householdEvents, IReadOnlyList<ProvisionTimeline> provisionTimelines,
        DateOnly peildatum, SignalOptions? options = null)
    {
        options ??= new SignalOptions();
        var events = householdEvents.DistinctBy(e => e.EventId).OrderBy(e => e.StreamVersion).ToList();
        if (events.Count == 0) throw new ArgumentException("A household is known by at least one of its events.", nameof(householdEvents));
        var timeline = HouseholdFold.Fold(events).SingleOrDefault()
            ?? new HouseholdTimeline(events[0].HouseholdId, events[0].Gemeente, null, []);
        var geboortedata = events.OfType<HouseholdMemberJoined>().Where(j => j.Geboortedatum is not null)
            .GroupBy(j => j.Bsn).ToDictionary(g => g.Key, g => g.Last().Geboortedatum);
        var provisions = provisionTimelines.ToLookup(p => p.Bsn);

        var leden = timeline.MembersOn(peildatum).Select(m =>
        {
            var own = provisions[m.Bsn].ToList();
            var laws = own.Where(p => p.ActiveOn(peildatum)).Aggregate(LawSet.None, (set, p) => set | p.Law.ToSet());
            return new MemberView(m.Bsn, m.Rol, m.Van, m.Tot, geboortedata.GetValueOrDefault(m.Bsn), own, laws);
        }).ToList();
        var wetten = leden.Aggregate(LawSet.None, (set, m) => set | m.ActieveWetten);

        var regisseur = HouseholdCoordination.RegisseurOn(events, peildatum) is { } regie
            ? new RegisseurView(regie.RegisseurId, regie.Naam, regie.Van)
            : null;
        var plan = Plan(events, peildatum);
        var betrokkenen = events.OfType<InvolvedPartyRecorded>().Where(p => p.Van <= peildatum && (p.Tot is null || peildatum <= p.Tot))
            .Select(p => new PartyView(p.PartyId, p.Naam, p.Organisatie, p.Domein, p.Regie, p.Van, p.Tot)).ToList();
        var toestemmingen = HouseholdCoordination.ConsentsOn(events, peildatum)
            .Select(c => new ConsentView(c.ConsentId, c.GegevenDoor, c.Ontvanger, c.Wetten, c.Van, c.Tot)).ToList();

        var view = new HouseholdView(timeline.HouseholdId, timeline.Gemeente, timeline.Wijk, peildatum, leden, wetten, [],
            regisseur, plan, betrokkenen, toestemmingen);
        return view with { Signalen = Signals(view, options) };
    }

    private static List<GoalView> Plan(IReadOnlyList<IHouseholdEvent> events, DateOnly date)
    {
        // The plan as it was recorded by the end of the date: later versions of a goal or action replace earlier ones.
        var known = events.Where(e => DateOnly.FromDateTime(e.OccurredAt.UtcDateTime) <= date).ToList();
        var goals = known.OfType<PlanGoalSet>().GroupBy(g => g.GoalId).ToDictionary(g => g.Key, g => g.Last());
        var actions = known.OfType<PlanActionSet>().GroupBy(a => a.ActionId).Select(g => g.Last()).ToLookup(a => a.GoalId);
        var conflicts = known.OfType<GoalConflictMarked>().Where(c => goals.ContainsKey(c.GoalId) && goals.ContainsKey(c.ConflictsWithGoalId))
            .SelectMany(c => new[] { (Goal: c.GoalId, Other: c.ConflictsWithGoalId, c), (Goal: c.ConflictsWithGoalId, Other: c.GoalId, c) })
            .ToLookup(x => x.Goal);
        return [.. goals.Values.OrderBy(g => g.Leefgebied).ThenBy(g => g.StreamVersion).Select(g => new GoalView(
            g.GoalId, g.Leefgebied, g.Omschrijving, g.Eigenaar, g.Status,
            [.. actions[g.GoalId].Select(a => new ActionView(a.ActionId, a.Omschrijving, a.Eigenaar, a.Status, a.Deadline))],
            [.. conflicts[g.GoalId].Select(x => new ConflictView(x.Other, goals[x.Other].Omschrijving, goals[x.Other].Leefgebied,
                x.c.GemarkeerdDoor, x.c.Toelichting))]))];
    }

    private static LawSet WettenVoor(Doelgroep doelgroep) =>
        Laws.All.Where(l => l.Doelgroep == doelgroep).Aggregate(LawSet.None, (set, l) => set | l.Law.ToSet());

    private static string Namen(LawSet wetten, string voegwoord)
    {
        var namen = wetten.Members().Select(l => l.Name).ToList();
        return namen.Count < 2 ? string.Concat(namen) : $"{string.Join(", ", namen[..^1])} {voegwoord} {namen[^1]}";
    }

    private static List<string> Signals(HouseholdView view, SignalOptions options)
    {
        var signals = new List<string>();
        if (view.Wetten.LawCount() > 1) signals.Add($"Voorzieningen onder meer dan één wet: {view.Combinatie}.");
        var metVoorzieningen = view.Leden.Count(m => !m.ActieveWetten.IsEmpty);
        if (metVoorzieningen >= options.LedenMetVoorzieningen) signals.Add($"{metVoorzieningen} leden hebben voorzieningen.");
        foreach (var lid in view.Leden)
        {
            var geboortedatum = lid.Geboortedatum ?? lid.Voorzieningen.Select(p => p.Geboortedatum).FirstOrDefault(d => d is not null);
            var jeugd = lid.ActieveWetten & WettenVoor(Doelgroep.Jeugd);
            if (geboortedatum is not { } born || jeugd.IsEmpty) continue;
            var achttien = born.AddYears(18);
            var volwassenen = WettenVoor(Doelgroep.Volwassenen);
            if (achttien >= view.Peildatum && achttien <= view.Peildatum.AddMonths(options.OvergangMaanden)
                && (lid.ActieveWetten & volwassenen).IsEmpty)
                signals.Add($"Overgang 18-/18+: een lid ({lid.Rol}) wordt op {achttien:yyyy-MM-dd} 18, met voorzieningen onder {Namen(jeugd, "en")} en nog geen vervolg onder {Namen(volwassenen, "of")}.");
        }
        var regie = view.Betrokkenen.Where(p => p.Regie).ToList();
        if (regie.Count > 1) signals.Add($"{regie.Count} partijen voeren regie: {string.Join(", ", regie.Select(p => $"{p.Naam} ({p.Organisatie})"))}.");
        var conflicten = view.Plan.Sum(g => g.Conflicten.Count) / 2;
        if (conflicten > 0) signals.Add($"{conflicten} conflict(en) tussen doelen in het plan.");
        return signals;
    }
}
