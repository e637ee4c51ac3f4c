namespace SocialDomain.Contracts;

/// <summary>
/// What a household's regie and consent events mean on a date. The views show it and the access policy decides on it,
/// so both read the events through these rules and cannot disagree about who coordinates or who was let in.
/// </summary>
public static class HouseholdCoordination
{
    public sealed record Regie(string RegisseurId, string Naam, DateOnly Van);

    /// <summary>
    /// The regisseur on a date, from events in stream order. An overdracht hands over on its per: the previous
    /// regisseur up to the day before, the new one from that day on; a release holds up to and including its tot.
    /// </summary>
    public static Regie? RegisseurOn(IEnumerable<IHouseholdEvent> events, DateOnly date)
    {
        Regie? current = null;
        foreach (var e in events)
            switch (e)
            {
                case RegisseurAssigned a when a.Van <= date: current = new Regie(a.RegisseurId, a.Naam, a.Van); break;
                case RegisseurTransferred t when t.Per <= date: current = new Regie(t.RegisseurId, t.Naam, t.Per); break;
                case RegisseurReleased r when r.Tot < date && current?.RegisseurId == r.RegisseurId: current = null; break;
            }
        return current;
    }

    /// <summary>The consents that hold on a date: from their van up to and including their tot, until the day they are withdrawn.</summary>
    public static IEnumerable<ConsentGiven> ConsentsOn(IReadOnlyList<IHouseholdEvent> events, DateOnly date)
    {
        var withdrawn = events.OfType<ConsentWithdrawn>().Where(w => w.Per <= date).Select(w => w.ConsentId).ToHashSet();
        return events.OfType<ConsentGiven>().DistinctBy(c => c.ConsentId)
            .Where(c => c.Van <= date && (c.Tot is null || date <= c.Tot) && !withdrawn.Contains(c.ConsentId));
    }
}
