namespace SocialDomain.Views.Statistics;

/// <summary>
/// Chooses, for one primary cell at a time, the cheapest hypercube that protects it, and suppresses its cells.
/// <para>
/// A hypercube is a pattern of rows u (<see cref="SoortPatronen"/>, signs ±1) times a cycle of regions w (signs ±1):
/// cell (region q, row s) changes by w[q]·u[s]·t and no relation changes. Counts are never negative, so t can go up
/// until the smallest cell that goes down reaches 0, and down until the smallest cell that goes up does: to an
/// outsider the cell can lie anywhere from its value minus the smallest cell going up to its value plus the smallest
/// cell going down, whatever else is suppressed. A hypercube protects the cell when that interval is at least the
/// protection interval wide (<see cref="DisclosureRule.Beschermingsinterval"/>). A true 0 in it blocks one direction,
/// so the other must give the whole width.
/// </para>
/// <para>
/// The cycles of regions, for a cell in region r: a wijk against a sibling wijk (their gemeente stays published); a
/// wijk and its gemeente against another gemeente and one of its wijken; a gemeente and one of its wijken against
/// another gemeente and one of its wijken; and, always possible but dear, a region with its parents up to Nederland,
/// every sign +1 (with a row pattern whose cells all go up, nothing limits going up: that one always protects).
/// </para>
/// </summary>
internal sealed class Hyperkubus(RegioIndeling regios, int[] waarden, CelStatus[] status, int bescherming)
{
    private static readonly int S = Soorten.Count;

    /// <summary>What suppressing a hypercube's still published cells costs, compared in this order.</summary>
    private readonly record struct Kosten(int Marges, long Aantal, int Cellen) : IComparable<Kosten>
    {
        public static readonly Kosten Onbetaalbaar = new(int.MaxValue, long.MaxValue, int.MaxValue);

        public static Kosten operator +(Kosten a, Kosten b) => new(a.Marges + b.Marges, a.Aantal + b.Aantal, a.Cellen + b.Cellen);

        public static bool operator <(Kosten a, Kosten b) => a.CompareTo(b) < 0;

        public static bool operator >(Kosten a, Kosten b) => a.CompareTo(b) > 0;

        public int CompareTo(Kosten o) =>
            Marges != o.Marges ? Marges.CompareTo(o.Marges) : Aantal != o.Aantal ? Aantal.CompareTo(o.Aantal) : Cellen.CompareTo(o.Cellen);
    }

    /// <summary>Regions of a hypercube together: the cost of their new cells, the smallest cell going up and going down.</summary>
    private readonly record struct Deel(Kosten Kosten, int Op, int Neer)
    {
        public static Deel operator +(Deel a, Deel b) => new(a.Kosten + b.Kosten, Math.Min(a.Op, b.Op), Math.Min(a.Neer, b.Neer));
    }

    private Kosten _beste;
    private (int Soort, int Teken)[] _patroon = [];
    private (int Regio, int Teken)[] _cyclus = [];

    public void Bescherm(int cel)
    {
        var (r, soort) = (cel / S, cel % S);
        _beste = Kosten.Onbetaalbaar;
        foreach (var u in SoortPatronen.Van(soort))
        {
            var eigen = DeelVan(r, 1, u);
            switch (regios.Regios[r].Niveau)
            {
                case RegioNiveau.Wijk:
                    Wijk(r, u, eigen);
                    break;
                case RegioNiveau.Gemeente:
                    Gemeente(r, u, eigen);
                    break;
                default:
                    Land(r, u, eigen);
                    break;
            }
        }
        if (_beste == Kosten.Onbetaalbaar)
            throw new InvalidOperationException($"No hypercube protects cell {cel}: the all-up pattern up to Nederland always should.");
        foreach (var (q, _) in _cyclus)
            foreach (var (s, _) in _patroon)
                if (status[q * S + s] == CelStatus.Gepubliceerd) status[q * S + s] = CelStatus.Secundair;
    }

    private void Wijk(int r, (int Soort, int Teken)[] u, Deel eigen)
    {
        var g = regios.Regios[r].Ouder;
        foreach (var zus in regios.Kinderen[g])
            if (zus != r) Overweeg(eigen + DeelVan(zus, -1, u), u, (r, 1), (zus, -1));
        var omhoog = eigen + DeelVan(g, 1, u);
        // Through the gemeente costs at least its own cells: usually more than a sibling wijk already found.
        if (!(omhoog.Kosten < _beste)) return;
        var land = regios.Regios[g].Ouder;
        Overweeg(omhoog + DeelVan(land, 1, u), u, (r, 1), (g, 1), (land, 1));
        foreach (var ander in regios.Kinderen[land])
        {
            if (ander == g) continue;
            var via = omhoog + DeelVan(ander, -1, u);
            if (!(via.Kosten < _beste)) continue;
            foreach (var wijk in regios.Kinderen[ander])
                Overweeg(via + DeelVan(wijk, -1, u), u, (r, 1), (g, 1), (ander, -1), (wijk, -1));
        }
    }

    private void Gemeente(int g, (int Soort, int Teken)[] u, Deel eigen)
    {
        var land = regios.Regios[g].Ouder;
        foreach (var (wijk, deel) in Onovertroffen(regios.Kinderen[g], u))
        {
            var basis = eigen + deel;
            if (!(basis.Kosten < _beste)) continue;
            Overweeg(basis + DeelVan(land, 1, u), u, (g, 1), (wijk, 1), (land, 1));
            foreach (var ander in regios.Kinderen[land])
            {
                if (ander == g) continue;
                var via = basis + DeelVan(ander, -1, u);
                if (!(via.Kosten < _beste)) continue;
                foreach (var andereWijk in regios.Kinderen[ander])
                    Overweeg(via + DeelVan(andereWijk, -1, u), u, (g, 1), (wijk, 1), (ander, -1), (andereWijk, -1));
            }
        }
    }

    private void Land(int land, (int Soort, int Teken)[] u, Deel eigen)
    {
        foreach (var g in regios.Kinderen[land])
        {
            var via = eigen + DeelVan(g, 1, u);
            if (!(via.Kosten < _beste)) continue;
            foreach (var wijk in regios.Kinderen[g])
                Overweeg(via + DeelVan(wijk, 1, u), u, (land, 1), (g, 1), (wijk, 1));
        }
    }

    /// <summary>
    /// The wijken of a gemeente that no other wijk beats on all three of cost, smallest cell up and smallest down: a
    /// gemeente's hypercube takes one of them, and only these can be the best.
    /// </summary>
    private List<(int Wijk, Deel Deel)> Onovertroffen(int[] wijken, (int Soort, int Teken)[] u)
    {
        var delen = wijken.Select(w => (Wijk: w, Deel: DeelVan(w, 1, u))).ToList();
        return [.. delen.Where((a, i) => !delen.Where((b, j) => j != i).Any(b =>
            !(b.Deel.Kosten > a.Deel.Kosten) && b.Deel.Op >= a.Deel.Op && b.Deel.Neer >= a.Deel.Neer
            && (b.Deel.Kosten < a.Deel.Kosten || b.Deel.Op > a.Deel.Op || b.Deel.Neer > a.Deel.Neer || b.Wijk < a.Wijk)))];
    }

    private Deel DeelVan(int regio, int teken, (int Soort, int Teken)[] u)
    {
        // Nederland's row is the margin of every region, as the total and the law rows are of the combinations.
        var nederland = regios.Regios[regio].Ouder < 0;
        var (kosten, op, neer) = (new Kosten(0, 0, 0), int.MaxValue, int.MaxValue);
        foreach (var (soort, t) in u)
        {
            var cel = regio * S + soort;
            var waarde = waarden[cel];
            if (teken * t > 0) op = Math.Min(op, waarde);
            else neer = Math.Min(neer, waarde);
            if (status[cel] == CelStatus.Gepubliceerd) kosten += new Kosten(nederland || SoortPatronen.IsMarge(soort) ? 1 : 0, waarde, 1);
        }
        return new(kosten, op, neer);
    }

    /// <summary>Takes the hypercube when its interval is wide enough and it is cheaper than the best so far.</summary>
    private void Overweeg(Deel hyperkubus, (int Soort, int Teken)[] u, params ReadOnlySpan<(int Regio, int Teken)> cyclus)
    {
        if ((long)hyperkubus.Neer + hyperkubus.Op < bescherming || !(hyperkubus.Kosten < _beste)) return;
        (_beste, _patroon, _cyclus) = (hyperkubus.Kosten, u, cyclus.ToArray());
    }
}
