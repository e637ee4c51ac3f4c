using SocialDomain.Population;
using SocialDomain.Views.Statistics;

namespace SocialDomain.AggregationTests;

/// <summary>
/// Disclosure control on generated populations (several seeds, a year and a peildatum): the strongest outsider
/// (<see cref="Aanvaller"/>) works out no suppressed cell, and the linear audit agrees.
/// </summary>
public class GeneratedSuppressionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void No_suppressed_cell_of_a_generated_table_can_be_worked_out(int seed)
    {
        var extract = MetDrieWijken(Genereer(seed));
        var regios = RegioIndeling.Van(extract);
        foreach (var periode in new[] { Periode.Jaar(2024), Periode.Peildatum(new DateOnly(2025, 3, 31)) })
        {
            var raw = StatisticsFold.Fold(extract, regios, periode);
            var beschermd = DisclosureControl.Protect(raw, DisclosureRule.Standaard);
            beschermd.PersonenStatussen.Count(s => s == CelStatus.Primair).ShouldBeGreaterThan(10, "a table with small cells to protect");
            DisclosureAudit.Recoverable(beschermd).ShouldBeEmpty();
            Aanvaller.ShouldProtectEverySuppressedCell(raw, beschermd);
        }
    }

    private static StatisticsExtract Genereer(int seed)
    {
        using var pseudonymiser = new Pseudonymiser(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var sink = new ExtractSink(pseudonymiser);
        new PopulationGenerator(new GeneratorOptions(Schaal: 0.0002, Seed: seed, AantalGemeenten: 3)).Generate(sink);
        return sink.Build();
    }

    /// <summary>
    /// The generated gemeenten have up to 99 wijken each; merged into three (and "wijk onbekend") the table keeps its
    /// shape and its small cells, and the outsider's linear programs stay small enough for a unit test.
    /// </summary>
    private static StatisticsExtract MetDrieWijken(StatisticsExtract extract) => new(extract.Personen,
        [.. extract.Huishoudens.Select(h => h.Wijk == HouseholdRecord.WijkOnbekend ? h : h with { Wijk = (byte)(1 + h.Wijk % 3) })],
        extract.Voorzieningen, extract.Lidmaatschappen, extract.BronEvents, extract.SleutelVingerafdruk);
}
