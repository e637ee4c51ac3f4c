using System.Globalization;
using SocialDomain.Contracts;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Wmo;

namespace SocialDomain.Population;

/// <param name="Schaal">1.0 is national: 8 million households.</param>
/// <param name="AantalGemeenten">Fewer gemeenten than the national 342 give small test populations fuller cells.</param>
/// <param name="BuitenTestBereik">Hand out BSNs below the 999 test range (see <see cref="SyntheticBsn"/>).</param>
public sealed record GeneratorOptions(double Schaal = 0.001, int Seed = 42, int EersteJaar = 2023, int LaatsteJaar = 2025, int AantalGemeenten = 342,
    bool BuitenTestBereik = false);

/// <summary>
/// Generates households with members (roles, ages) across gemeenten and wijken, and their provisions under the three
/// laws over several years; deterministic for a seed. Whether someone uses a law in a year depends on age, household
/// type and a risk shared by the household, and persists from year to year; the shared risk is what makes
/// stacking, and more so per household than per person (<see cref="Kalibratie"/> has the numbers it is tuned to).
/// </summary>
public sealed class PopulationGenerator(GeneratorOptions options)
{
    public const int NationaalHuishoudens = 8_000_000;
    public const int NationaalGemeenten = 342;

    private readonly Random _random = new(options.Seed);
    private readonly SyntheticBsn _bsns = new(options.BuitenTestBereik);

    public GeneratorOptions Options => options;

    public int BsnsUitgegeven => _bsns.Uitgegeven;

    private enum Soort
    {
        Alleenstaand,
        PaarZonderKinderen,
        PaarMetKinderen,
        Eenouder,
        Overig,
    }

    public sealed record Gemeente(Gemeentecode Code, int Wijken, int Huishoudens);

    /// <summary>
    /// Gemeenten with sizes like the Dutch ones (the largest about 5% of all households) and about one wijk per
    /// 2,500 households at national scale, at most 99. The four largest carry their real codes; the rest are made up.
    /// </summary>
    public IReadOnlyList<Gemeente> Gemeenten()
    {
        var random = new Random(options.Seed ^ 0x5eed);
        string[] echte = ["0363", "0599", "0518", "0344"];
        var codes = echte.Concat(Enumerable.Range(1, 1999).Select(c => c.ToString("D4", CultureInfo.InvariantCulture)).Except(echte)
            .OrderBy(_ => random.Next()).Take(options.AantalGemeenten - echte.Length)).Take(options.AantalGemeenten).ToArray();
        var gewichten = Enumerable.Range(0, codes.Length).Select(i => 1.0 / (i + 4)).ToArray();
        var totaal = gewichten.Sum();
        var huishoudens = (int)Math.Round(options.Schaal * NationaalHuishoudens);
        return [.. codes.Select((code, i) =>
        {
            var nationaal = NationaalHuishoudens * gewichten[i] / totaal;
            return new Gemeente(Gemeentecode.Parse(code), Math.Clamp((int)Math.Round(nationaal / 2500), 1, 99),
                (int)Math.Round(huishoudens * gewichten[i] / totaal));
        })];
    }

    public void Generate(IPopulationSink sink)
    {
        foreach (var gemeente in Gemeenten())
        {
            for (var i = 0; i < gemeente.Huishoudens; i++) Huishouden(gemeente, sink);
            var zonder = (int)Math.Round(gemeente.Huishoudens * Kalibratie.ZonderHuishouden);
            for (var i = 0; i < zonder; i++) ZonderHuishouden(gemeente, sink);
        }
    }

    private DateOnly Begin => new(options.EersteJaar, 1, 1);

    private void Huishouden(Gemeente gemeente, IPopulationSink sink)
    {
        var soort = Kies(Kalibratie.Soorten, out _) switch { 0 => Soort.Alleenstaand, 1 => Soort.PaarZonderKinderen, 2 => Soort.PaarMetKinderen, 3 => Soort.Eenouder, _ => Soort.Overig };
        var risico = Math.Exp(Kalibratie.RisicoSpreiding * Normaal() - Kalibratie.RisicoSpreiding * Kalibratie.RisicoSpreiding / 2);
        var leden = new List<(Persoon Persoon, HouseholdRole Rol)>();
        switch (soort)
        {
            case Soort.Alleenstaand:
                leden.Add((Volwassene(_random.Next(18, 96)), HouseholdRole.Overig));
                break;
            case Soort.PaarZonderKinderen:
                var leeftijd = _random.Next(20, 92);
                leden.Add((Volwassene(leeftijd), HouseholdRole.Partner));
                leden.Add((Volwassene(Math.Clamp(leeftijd + _random.Next(-6, 7), 18, 98)), HouseholdRole.Partner));
                break;
            case Soort.PaarMetKinderen or Soort.Eenouder:
                var ouder = _random.Next(24, 58);
                leden.Add((Volwassene(ouder), HouseholdRole.Ouder));
                if (soort == Soort.PaarMetKinderen) leden.Add((Volwassene(Math.Clamp(ouder + _random.Next(-5, 6), 20, 70)), HouseholdRole.Ouder));
                var kinderen = 1 + Kies(Kalibratie.Kinderen, out _);
                for (var k = 0; k < kinderen; k++) leden.Add((Kind(_random.Next(0, Math.Min(25, ouder - 18))), HouseholdRole.Kind));
                break;
            default:
                for (var k = 0; k < 2 + _random.Next(2); k++) leden.Add((Volwassene(_random.Next(18, 80)), HouseholdRole.Overig));
                break;
        }

        var wijk = Wijk(gemeente);
        var sinds = Begin.AddDays(-_random.Next(1, 20 * 365));
        var huishouden = new Huishouden(NieuweId(), gemeente.Code, wijk, []);
        var nieuw = new List<Huishouden>();
        foreach (var (persoon, rol) in leden)
        {
            Voorzieningen(persoon, soort, risico, gemeente.Code);
            var van = persoon.Geboortedatum > sinds ? persoon.Geboortedatum : sinds;
            var tot = Vertrek(persoon, rol, soort);
            huishouden.Leden.Add(new Lid(persoon, rol, van, tot));
            // Who leaves starts a household of their own in the same gemeente: their provisions from then on count there.
            if (tot is { } laatste)
                nieuw.Add(new Huishouden(NieuweId(), gemeente.Code, Wijk(gemeente), [new Lid(persoon, HouseholdRole.Overig, laatste.AddDays(1), null)]));
        }
        sink.Huishouden(huishouden);
        foreach (var h in nieuw) sink.Huishouden(h);
        foreach (var (persoon, _) in leden) sink.Persoon(persoon);
    }

    /// <summary>Someone whose household the BRP feed does not know (homeless, just arrived): they exist here only by their provisions.</summary>
    private void ZonderHuishouden(Gemeente gemeente, IPopulationSink sink)
    {
        var persoon = Volwassene(_random.Next(18, 70));
        var risico = Kalibratie.RisicoZonderHuishouden;
        // They are known to the gemeente through a provision: shelter or bijstand, plus whatever else they get.
        var (law, categorie) = _random.NextDouble() < 0.5 ? (WmoLaw.Law, _random.NextDouble() < 0.5 ? "16" : "15") : (ParticipatiewetLaw.Law, "PW01");
        persoon.Voorzieningen.AddRange(Looptijd(persoon, law, categorie, gemeente.Code, options.EersteJaar + _random.Next(options.LaatsteJaar - options.EersteJaar + 1), options.LaatsteJaar));
        Voorzieningen(persoon, Soort.Alleenstaand, risico, gemeente.Code);
        sink.Persoon(persoon);
    }

    private void Voorzieningen(Persoon persoon, Soort soort, double risico, Gemeentecode gemeente)
    {
        var eigen = Math.Exp(Kalibratie.PersoonlijkeSpreiding * Normaal() - Kalibratie.PersoonlijkeSpreiding * Kalibratie.PersoonlijkeSpreiding / 2);
        foreach (var law in Contracts.Laws.All.Select(l => l.Law))
        {
            var gebruikt = false;
            var eerste = 0;
            for (var jaar = options.EersteJaar; jaar <= options.LaatsteJaar + 1; jaar++)
            {
                var nu = false;
                if (jaar <= options.LaatsteJaar)
                {
                    var leeftijd = persoon.LeeftijdOp(new DateOnly(jaar, 7, 1));
                    var persoonlijk = law != JeugdwetLaw.Law && leeftijd is >= 18 and < 67 ? eigen : 1;
                    var kans = Math.Min(0.9, Kalibratie.Kans(law, leeftijd, (int)soort) * risico * persoonlijk);
                    // A Markov chain whose stationary share is the year's chance: users tend to stay users.
                    var blijf = Kalibratie.Blijven;
                    var instroom = Math.Min(1, kans * (1 - blijf) / (1 - kans));
                    nu = kans > 0 && _random.NextDouble() < (jaar == options.EersteJaar ? kans : gebruikt ? Math.Max(blijf, kans) : instroom);
                }
                if (nu && !gebruikt) eerste = jaar;
                if (!nu && gebruikt)
                {
                    var categorie = Categorie(law);
                    persoon.Voorzieningen.AddRange(Looptijd(persoon, law, categorie, gemeente, eerste, jaar - 1));
                    if (_random.NextDouble() < Kalibratie.TweedeVoorziening[Contracts.Laws.IndexOf(law)])
                    {
                        var tweede = Categorie(law);
                        if (tweede != categorie) persoon.Voorzieningen.AddRange(Looptijd(persoon, law, tweede, gemeente, eerste, jaar - 1));
                    }
                }
                gebruikt = nu;
            }
        }
    }

    /// <summary>A provision for the years eerste..laatste: it may have begun before them and may still run after them.</summary>
    private IEnumerable<Voorziening> Looptijd(Persoon persoon, Law law, string categorie, Gemeentecode gemeente, int eerste, int laatste)
    {
        var begin = eerste == options.EersteJaar && _random.NextDouble() < 0.6
            ? Begin.AddDays(-_random.Next(1, 3 * 365))
            : Dag(eerste);
        if (begin < persoon.Geboortedatum) begin = persoon.Geboortedatum;
        DateOnly? eind = laatste == options.LaatsteJaar && _random.NextDouble() < 0.6 ? null : Dag(laatste);
        if (eind < begin) eind = begin.AddDays(_random.Next(0, 60));
        if (eind is { } e && e.Year > laatste) eind = new DateOnly(laatste, 12, 31);
        var reden = law == JeugdwetLaw.Law ? "31" : law == WmoLaw.Law ? "19" : "41";

        List<VoorzieningPeriode> perioden;
        var lengte = (eind ?? new DateOnly(options.LaatsteJaar, 12, 31)).DayNumber - begin.DayNumber;
        if (lengte > 120 && _random.NextDouble() < Kalibratie.TijdelijkeStop)
        {
            // Stopped for a while (reden 20) and started again under the same toewijzing.
            var stop = begin.AddDays(_random.Next(30, lengte / 2));
            perioden = [new(begin, stop, RedenBeeindiging.TijdelijkBeeindigd), new(stop.AddDays(_random.Next(14, 45)), eind, eind is null ? null : reden)];
        }
        else perioden = [new(begin, eind, eind is null ? null : reden)];
        DateOnly? ingetrokken = _random.NextDouble() < Kalibratie.Ingetrokken ? begin.AddDays(-_random.Next(1, 30)) : null;
        yield return new Voorziening(NieuweId(), law, categorie, gemeente, perioden, ingetrokken);
    }

    private DateOnly? Vertrek(Persoon persoon, HouseholdRole rol, Soort soort)
    {
        for (var jaar = options.EersteJaar; jaar <= options.LaatsteJaar; jaar++)
        {
            var kans = rol == HouseholdRole.Kind && persoon.LeeftijdOp(new DateOnly(jaar, 7, 1)) >= 18 ? Kalibratie.KindVertrekt
                : soort == Soort.PaarMetKinderen && rol == HouseholdRole.Ouder || soort == Soort.PaarZonderKinderen ? Kalibratie.PartnerVertrekt / 2
                : 0;
            if (_random.NextDouble() < kans) return Dag(jaar);
        }
        return null;
    }

    private string Categorie(Law law) => Kalibratie.Categorieen[Contracts.Laws.IndexOf(law)][Kies(Kalibratie.CategorieGewichten[Contracts.Laws.IndexOf(law)], out _)];

    private WijkCode? Wijk(Gemeente gemeente) => _random.NextDouble() < Kalibratie.WijkOnbekend
        ? null
        : WijkCode.Parse($"WK{gemeente.Code.Value}{1 + _random.Next(gemeente.Wijken):D2}");

    private Persoon Volwassene(int leeftijd) => new(_bsns, Begin.AddYears(-leeftijd).AddDays(-_random.Next(365)));

    private Persoon Kind(int leeftijd) => new(_bsns, Begin.AddYears(-leeftijd).AddDays(-_random.Next(365)));

    private DateOnly Dag(int jaar) => new DateOnly(jaar, 1, 1).AddDays(_random.Next(DateTime.IsLeapYear(jaar) ? 366 : 365));

    private int Kies(double[] gewichten, out double trekking)
    {
        trekking = _random.NextDouble() * gewichten.Sum();
        for (var i = 0; i < gewichten.Length; i++)
        {
            if (trekking < gewichten[i]) return i;
            trekking -= gewichten[i];
        }
        return gewichten.Length - 1;
    }

    private double Normaal() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private Guid NieuweId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)(bytes[7] & 0x0F | 0x40);
        bytes[8] = (byte)(bytes[8] & 0x3F | 0x80);
        return new Guid(bytes);
    }
}
