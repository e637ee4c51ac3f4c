using System.Diagnostics;
using System.Globalization;
using System.Text;
using SocialDomain.Population;
using SocialDomain.Views.Statistics;

namespace SocialDomain.AggregationBenchmarks;

/// <summary>
/// How much of a protected table the disclosure control hides, on a generated population: per period, measure
/// (persons, households) and region level, the share of cells suppressed and the share of the counts in them (sum of
/// suppressed true values / sum of all true values), for every row and for the stacking rows alone (Totaal, the
/// combinations and the laws); beside them the primary cells alone, the floor no secondary suppression can go below.
/// Prints a markdown table (docs/disclosure-control.md has the figures).
/// </summary>
public static class SuppressionMeasurement
{
    public static string Run(double scale, int gemeenten, int seed, DisclosureRule regel, IReadOnlyList<Periode> perioden)
    {
        var clock = Stopwatch.StartNew();
        StatisticsExtract extract;
        using (var pseudonymiser = new Pseudonymiser(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)))
        {
            var sink = new ExtractSink(pseudonymiser);
            new PopulationGenerator(new GeneratorOptions(scale, Seed: seed, AantalGemeenten: gemeenten, BuitenTestBereik: scale > 0.01)).Generate(sink);
            extract = sink.Build();
        }
        var regios = RegioIndeling.Van(extract);
        var uit = new StringBuilder();
        var extra = new StringBuilder();
        uit.AppendLine(CultureInfo.InvariantCulture, $"Scale {scale}, {gemeenten} gemeenten, seed {seed}: {extract.Personen.Length:N0} persons with provisions, "
            + $"{regios.Regios.Count(r => r.Niveau == RegioNiveau.Gemeente)} gemeenten, {regios.Regios.Count(r => r.Niveau == RegioNiveau.Wijk)} wijk rows "
            + $"(generated in {clock.Elapsed.TotalSeconds:F0} s); threshold {regel.Drempel}, protection interval {regel.Beschermingsinterval}.");
        uit.AppendLine();
        uit.AppendLine("| period | measure | level | rows | cells suppressed | counts suppressed | primary cells | primary counts | protect (s) |");
        uit.AppendLine("|---|---|---|---|---:|---:|---:|---:|---:|");
        foreach (var periode in perioden)
        {
            var tabel = StatisticsFold.Fold(extract, regios, periode);
            clock.Restart();
            var beschermd = DisclosureControl.Protect(tabel, regel);
            var seconden = clock.Elapsed.TotalSeconds;
            foreach (var (maat, waarden, statussen) in new[] { ("persons", tabel.Personen.ToArray(), beschermd.PersonenStatussen), ("households", tabel.Huishoudens.ToArray(), beschermd.HuishoudensStatussen) })
                foreach (var niveau in new[] { RegioNiveau.Gemeente, RegioNiveau.Wijk })
                    foreach (var (rijen, soorten) in new[] { ("stacking", (Func<int, bool>)(s => !Soorten.IsCategorie(s))), ("all", _ => true) })
                    {
                        var s = Share.Of(regios, waarden, statussen, niveau, soorten);
                        uit.AppendLine(CultureInfo.InvariantCulture,
                            $"| {periode.Code} | {maat} | {niveau} | {rijen} | {s.Cellen:P1} | {s.Aantallen:P1} | {s.PrimaireCellen:P1} | {s.PrimaireAantallen:P1} | {seconden:F2} |");
                    }
            // The four largest gemeenten, where the review found large cells hidden to protect a small one.
            foreach (var code in new[] { "GM0363", "GM0599", "GM0518", "GM0344" })
            {
                var r = regios.IndexOf(code);
                if (r < 0) continue;
                string Verborgen(IReadOnlyList<CelStatus> statussen, int[] waarden) => string.Join(", ", Soorten.Volgorde
                    .Where(s => !Soorten.IsCategorie(s) && statussen[r * Soorten.Count + s] != CelStatus.Gepubliceerd)
                    .Select(s => $"{Soorten.Naam(s)} {waarden[r * Soorten.Count + s]}"));
                extra.AppendLine(CultureInfo.InvariantCulture, $"- {periode.Code} {code}: persons [{Verborgen(beschermd.PersonenStatussen, tabel.Personen.ToArray())}], "
                    + $"households [{Verborgen(beschermd.HuishoudensStatussen, tabel.Huishoudens.ToArray())}]");
            }
        }
        uit.AppendLine();
        uit.AppendLine("Suppressed stacking cells (true counts) of the four largest gemeenten:");
        uit.AppendLine();
        uit.Append(extra);
        return uit.ToString();
    }

    private readonly record struct Share(double Cellen, double Aantallen, double PrimaireCellen, double PrimaireAantallen)
    {
        public static Share Of(RegioIndeling regios, int[] waarden, IReadOnlyList<CelStatus> statussen, RegioNiveau niveau, Func<int, bool> soorten)
        {
            long cellen = 0, onderdrukt = 0, primair = 0, som = 0, onderdruktSom = 0, primairSom = 0;
            for (var r = 0; r < regios.Regios.Count; r++)
            {
                if (regios.Regios[r].Niveau != niveau) continue;
                for (var s = 0; s < Soorten.Count; s++)
                {
                    if (!soorten(s)) continue;
                    var c = r * Soorten.Count + s;
                    cellen++;
                    som += waarden[c];
                    if (statussen[c] == CelStatus.Gepubliceerd) continue;
                    onderdrukt++;
                    onderdruktSom += waarden[c];
                    if (statussen[c] != CelStatus.Primair) continue;
                    primair++;
                    primairSom += waarden[c];
                }
            }
            return new((double)onderdrukt / cellen, (double)onderdruktSom / som, (double)primair / cellen, (double)primairSom / som);
        }
    }
}
