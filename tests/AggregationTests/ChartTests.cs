using System.Text.RegularExpressions;
using SocialDomain.Aggregation.Output;
using SocialDomain.Contracts;
using SocialDomain.Views.Statistics;
using SocialDomain.Wmo;

namespace SocialDomain.AggregationTests;

/// <summary>The chart writes its numbers the Dutch way: a point between thousands, a comma before decimals.</summary>
public sealed partial class ChartTests
{
    [Fact]
    public void The_chart_writes_thousands_with_a_point()
    {
        // 12,344 persons with only Wmo in one wijk, each in a household of their own: rounded to 12,345.
        const int aantal = 12_344;
        var jaar = Periode.Jaar(2025);
        var wmo = (byte)Laws.IndexOf(WmoLaw.Law);
        var categorie = Soorten.CategorieNummer(Soorten.Categorieen.First(c => c.Law == WmoLaw.Law));
        var personen = Enumerable.Range(0, aantal).Select(p => new Pseudonym((UInt128)p, 1)).ToArray();
        var huishoudens = Enumerable.Range(0, aantal).Select(p => new HouseholdRecord(new Pseudonym((UInt128)p, 2), 363, 1)).ToArray();
        var voorzieningen = Enumerable.Range(0, aantal).Select(p => new ProvisionRecord(p, wmo, categorie, 363, jaar.Van.DayNumber, jaar.Tot.DayNumber)).ToArray();
        var leden = Enumerable.Range(0, aantal).Select(p => new MembershipRecord(p, p, jaar.Van.DayNumber, ProvisionRecord.Open)).ToArray();
        var extract = new StatisticsExtract(personen, huishoudens, voorzieningen, leden, 0, "test");
        var regios = RegioIndeling.Van(extract);
        var tabel = DisclosureControl.Protect(StatisticsFold.Fold(extract, regios, jaar), DisclosureRule.Standaard);

        using var map = new Werkmap();
        StackingChart.Write(tabel, regios.IndexOf("GM0363"), map["c.png"], map["c.svg"]);
        var teksten = Tekst().Matches(File.ReadAllText(map["c.svg"])).Select(m => m.Groups[1].Value.Trim()).ToList();

        teksten.ShouldContain("12.345", "the bar's label");
        teksten.ShouldNotContain("12,345");
        // The axis: round thousands with a point, and no number with a comma as thousands separator.
        teksten.Count(t => AsGetal().IsMatch(t) && t.Contains('.', StringComparison.Ordinal)).ShouldBeGreaterThan(1, string.Join(" | ", teksten));
        teksten.ShouldNotContain(t => EngelsGetal().IsMatch(t));
        teksten.ShouldContain(t => t.Contains("Gemeente 0363, 2025", StringComparison.Ordinal), "the title names the region and the period by title");
    }

    [GeneratedRegex(">([^<>]+)<")]
    private static partial Regex Tekst();

    [GeneratedRegex(@"^\d{1,3}(\.\d{3})+$")]
    private static partial Regex AsGetal();

    [GeneratedRegex(@"^\d{1,3}(,\d{3})+$")]
    private static partial Regex EngelsGetal();
}
