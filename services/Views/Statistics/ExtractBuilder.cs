using System.Globalization;
using SocialDomain.Contracts;

namespace SocialDomain.Views.Statistics;

/// <summary>
/// Turns the views' own timelines (from <see cref="ProvisionFold"/> and <see cref="HouseholdFold"/>) into a
/// pseudonymised <see cref="StatisticsExtract"/>, so the statistics count exactly what the views see. What leaves
/// this class carries no BSN and no household id. Only persons with provisions are kept, with their memberships and
/// households: the members without provisions add nothing to any count, so the extract does not hold them.
/// </summary>
public sealed class ExtractBuilder(Pseudonymiser pseudonymiser)
{
    // Keyed by BSN and household id while building: a keyed hash costs about a microsecond, and most members and
    // households have no provision, so only what is kept is hashed, at the end.
    private readonly Dictionary<Bsn, int> _personen = new();
    private readonly List<Bsn> _personenLijst = [];
    private readonly List<int> _geboortemaanden = [];
    private readonly Dictionary<Guid, int> _huishoudens = new();
    private readonly List<(Guid Id, ushort Gemeente, byte Wijk)> _huishoudensLijst = [];
    private readonly List<(int Huishouden, int Van, byte Wijk)> _verhuizingen = [];
    private readonly List<ProvisionRecord> _voorzieningen = [];
    private readonly List<(Bsn Persoon, int Huishouden, int Van, int Tot, int Geboortemaand)> _lidmaatschappen = [];
    private long _bronEvents;

    /// <summary>Adds timelines; may be called for any number of batches, households before or after their members' provisions.</summary>
    public void Add(IEnumerable<ProvisionTimeline> provisions, IEnumerable<HouseholdTimeline> households)
    {
        foreach (var t in provisions)
        {
            if (!Productcategorie.TryParse(t.Law, t.Productcategorie, out var categorie, out var error))
                throw new InvalidDataException($"Provision {t.ProvisionId}: {error}");
            var persoon = Persoon(t.Bsn);
            if (t.Geboortedatum is { } geboren && _geboortemaanden[persoon] == Geboortemaand.Onbekend)
                _geboortemaanden[persoon] = Geboortemaand.Van(geboren);
            var nummer = Soorten.CategorieNummer(categorie);
            var gemeente = ushort.Parse(t.Gemeente.Value, CultureInfo.InvariantCulture);
            foreach (var p in t.Perioden)
                _voorzieningen.Add(new ProvisionRecord(persoon, (byte)Laws.IndexOf(t.Law), nummer, gemeente, p.Begindatum.DayNumber,
                    p.Einddatum?.DayNumber ?? ProvisionRecord.Open));
        }
        foreach (var h in households)
        {
            var huishouden = Huishouden(h);
            foreach (var m in h.Members)
                _lidmaatschappen.Add((m.Bsn, huishouden, m.Van.DayNumber, m.Tot?.DayNumber ?? ProvisionRecord.Open,
                    m.Geboortedatum is { } geboren ? Geboortemaand.Van(geboren) : Geboortemaand.Onbekend));
        }
    }

    /// <summary>Counts events the timelines were folded from (see <see cref="StatisticsExtract.BronEvents"/>).</summary>
    public void CountSourceEvents(long count) => _bronEvents += count;

    public StatisticsExtract Build()
    {
        // Keep only memberships of persons with provisions, and only the households they lead to.
        var gehouden = new List<int>();
        var nieuwNummer = new int[_huishoudensLijst.Count];
        Array.Fill(nieuwNummer, -1);
        var lidmaatschappen = new List<MembershipRecord>();
        var geboortemaanden = _geboortemaanden.ToArray();
        foreach (var (persoon, huishouden, van, tot, geboortemaand) in _lidmaatschappen)
        {
            if (!_personen.TryGetValue(persoon, out var p)) continue;
            // The BRP's birth date (a household join) goes before the one a provision message carried.
            if (geboortemaand != Geboortemaand.Onbekend) geboortemaanden[p] = geboortemaand;
            if (nieuwNummer[huishouden] < 0)
            {
                nieuwNummer[huishouden] = gehouden.Count;
                gehouden.Add(huishouden);
            }
            lidmaatschappen.Add(new MembershipRecord(p, nieuwNummer[huishouden], van, tot));
        }
        var pseudoniemen = pseudonymiser.Huishoudens([.. gehouden.Select(h => _huishoudensLijst[h].Id)]);
        var huishoudens = new HouseholdRecord[gehouden.Count];
        for (var i = 0; i < huishoudens.Length; i++)
        {
            var (_, gemeente, wijk) = _huishoudensLijst[gehouden[i]];
            huishoudens[i] = new HouseholdRecord(pseudoniemen[i], gemeente, wijk);
        }
        var verhuizingen = _verhuizingen.Where(v => nieuwNummer[v.Huishouden] >= 0)
            .Select(v => new VerhuizingRecord(nieuwNummer[v.Huishouden], v.Van, v.Wijk)).ToArray();
        Array.Sort([.. verhuizingen.Select(v => Volgorde(v.Huishouden, v.Van))], verhuizingen);
        var voorzieningen = _voorzieningen.ToArray();
        Array.Sort([.. voorzieningen.Select(v => Volgorde(v.Persoon, v.Begin))], voorzieningen);
        var leden = lidmaatschappen.ToArray();
        Array.Sort([.. leden.Select(l => Volgorde(l.Persoon, l.Van))], leden);
        return new StatisticsExtract(pseudonymiser.Personen(_personenLijst), huishoudens, voorzieningen, leden, _bronEvents, pseudonymiser.Vingerafdruk,
            verhuizingen, geboortemaanden);
    }

    /// <summary>By person (or household), then by date: one number to sort on is much cheaper than a comparison delegate.</summary>
    private static long Volgorde(int persoon, int dag) => ((long)persoon << 32) | (uint)dag;

    private int Persoon(Bsn bsn)
    {
        if (_personen.TryGetValue(bsn, out var nummer)) return nummer;
        _personen[bsn] = nummer = _personenLijst.Count;
        _personenLijst.Add(bsn);
        _geboortemaanden.Add(Geboortemaand.Onbekend);
        return nummer;
    }

    /// <summary>
    /// Where a household lives, per period: each join names the wijk the household lives in from its date on, so the
    /// joins in date order are its moves (a join without a wijk changes nothing). Before the first join that names a
    /// wijk, that first wijk counts: the household did not move, the join just did not say. A wijk of another gemeente
    /// than the household's (a data error) is not trusted: from that join on the household counts under "wijk
    /// onbekend". Timelines made without per-member wijken (the generator's direct path) live in the timeline's wijk.
    /// </summary>
    private int Huishouden(HouseholdTimeline h)
    {
        if (_huishoudens.TryGetValue(h.HouseholdId, out var nummer)) return nummer;
        _huishoudens[h.HouseholdId] = nummer = _huishoudensLijst.Count;
        byte? eerste = null, huidig = null;
        foreach (var m in h.Members.Where(m => m.Wijk is not null).OrderBy(m => m.Van))
        {
            var wijk = Wijknummer(h.Gemeente, m.Wijk);
            if (eerste is null) eerste = huidig = wijk;
            else if (wijk != huidig)
            {
                // Two joins on one day: the later event says where the household lives from that day.
                if (_verhuizingen.Count > 0 && _verhuizingen[^1].Huishouden == nummer && _verhuizingen[^1].Van == m.Van.DayNumber)
                    _verhuizingen[^1] = (nummer, m.Van.DayNumber, wijk);
                else _verhuizingen.Add((nummer, m.Van.DayNumber, wijk));
                huidig = wijk;
            }
        }
        _huishoudensLijst.Add((h.HouseholdId, ushort.Parse(h.Gemeente.Value, CultureInfo.InvariantCulture), eerste ?? Wijknummer(h.Gemeente, h.Wijk)));
        return nummer;
    }

    private static byte Wijknummer(Gemeentecode gemeente, WijkCode? wijk) =>
        wijk is { } w && w.Gemeente == gemeente ? byte.Parse(w.Value.AsSpan(6, 2), CultureInfo.InvariantCulture) : HouseholdRecord.WijkOnbekend;
}
