using ScottPlot;
using SocialDomain.Contracts;
using SocialDomain.Views.Statistics;

namespace SocialDomain.Aggregation.Output;

/// <summary>
/// A grouped bar chart of the 7 law combinations for one region and period, persons beside households, so a reader
/// sees at a glance how much more households than persons stack. It draws the protected numbers only: a suppressed
/// cell has no bar and a "." above its place. Numbers are written the Dutch way: 1.234.567, and 12,5.
/// </summary>
public static class StackingChart
{

    private const int Width = 1200;
    private const int Height = 650;

    public static void Write(ProtectedTable tabel, int regio, string pngPath, string svgPath)
    {
        var plot = new Plot();
        var personen = Color.FromHex("#1f77b4");
        var huishoudens = Color.FromHex("#ff7f0e");
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        var hoogste = 0.0;
        for (var i = 0; i < Soorten.Combinaties.Count; i++)
        {
            var soort = Soorten.Combinaties[i].Bits;
            var midden = i * 3.0 + 0.5;
            bars.Add(Staaf(midden - 0.45, tabel.PersonenIn(regio, soort), personen));
            bars.Add(Staaf(midden + 0.45, tabel.HuishoudensIn(regio, soort), huishoudens));
            hoogste = Math.Max(hoogste, Math.Max(tabel.PersonenIn(regio, soort) ?? 0, tabel.HuishoudensIn(regio, soort) ?? 0));
            ticks.Add(new Tick(midden, Label(Soorten.Combinaties[i].CbsLabel())));
        }
        var staven = plot.Add.Bars(bars);
        staven.ValueLabelStyle.FontSize = 11;

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 14;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = v => v.ToString(v == Math.Floor(v) ? "N0" : "N1", NederlandseNotatie.Getallen),
        };
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsY(0, Math.Max(10, hoogste * 1.15));
        var naam = tabel.Regios.Regios[regio].Naam;
        plot.Title($"Stapeling van voorzieningen sociaal domein: {naam}, {tabel.Periode.Titel}", size: 18);
        plot.YLabel("Aantal (afgerond op " + tabel.Regel.Afronding + ")", size: 14);
        plot.XLabel($"Combinatie van wetten (\".\" = onderdrukt, minder dan {tabel.Regel.Drempel} of terug te rekenen)", size: 13);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Personen", FillColor = personen });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Huishoudens", FillColor = huishoudens });
        plot.Legend.Alignment = Alignment.UpperRight;
        plot.Legend.FontSize = 14;
        plot.ShowLegend();

        plot.SavePng(pngPath, Width, Height);
        plot.SaveSvg(svgPath, Width, Height);
    }

    private static Bar Staaf(double positie, int? waarde, Color kleur) => new()
    {
        Position = positie,
        Value = waarde ?? 0,
        Size = 0.9,
        FillColor = kleur,
        Label = waarde?.ToString("N0", NederlandseNotatie.Getallen) ?? ".",
    };

    /// <summary>Two lines for the long combination names, so the labels fit under their bars.</summary>
    private static string Label(string combinatie) => combinatie.Replace(", ", ",\n", StringComparison.Ordinal).Replace(" en ", "\nen ", StringComparison.Ordinal);
}
