using CsCheck;
using SocialDomain.Contracts;
using SocialDomain.Views.Statistics;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Wmo;

namespace SocialDomain.AggregationTests;

/// <summary>Each property of the disclosure rule, on crafted tables.</summary>
public class DisclosureTests
{
    private static readonly Periode Jaar = Periode.Jaar(2025);
    private static readonly string[] Wijken = ["WK034401", "WK034402", "WK034403", "WK059901", "WK059902"];

    [Fact]
    public void Every_published_cell_is_its_own_count_rounded_to_the_base()
    {
        Gen.Int[0, 60].Array[Wijken.Length * 7].Sample(aantallen =>
        {
            var raw = Fold(aantallen);
            foreach (var regel in new[] { DisclosureRule.Standaard, new DisclosureRule(Drempel: 10, Afronding: 10) })
            {
                var beschermd = DisclosureControl.Protect(raw, regel);
                foreach (var (waar, gepubliceerd) in Cellen(raw, beschermd))
                {
                    if (gepubliceerd is not { } g) continue;
                    (g % regel.Afronding).ShouldBe(0);
                    Math.Abs(g - waar).ShouldBeLessThanOrEqualTo(regel.Afronding / 2);
                }
            }
        }, iter: 40);
    }

    [Fact]
    public void Counts_below_the_threshold_are_suppressed_and_a_true_zero_is_not()
    {
        Gen.Int[0, 40].Array[Wijken.Length * 7].Sample(aantallen =>
        {
            var raw = Fold(aantallen);
            foreach (var drempel in new[] { 10, 20 })
            {
                var beschermd = DisclosureControl.Protect(raw, new DisclosureRule(Drempel: drempel));
                for (var c = 0; c < raw.Personen.Length; c++)
                {
                    var (waar, status) = (raw.Personen[c], beschermd.PersonenStatussen[c]);
                    if (waar is > 0 && waar < drempel) status.ShouldBe(CelStatus.Primair);
                    else status.ShouldNotBe(CelStatus.Primair);
                    if (waar == 0 && status == CelStatus.Gepubliceerd) beschermd.Personen[c].ShouldBe(0);
                }
            }
        }, iter: 40);
    }

    [Fact]
    public void No_suppressed_cell_can_be_recovered_by_subtraction_or_by_combining_relations()
    {
        // Many small counts, so that many cells are suppressed and the relations interlock.
        Gen.Int[0, 25].Array[Wijken.Length * 7].Sample(aantallen =>
        {
            var raw = Fold(aantallen);
            foreach (var regel in new[] { DisclosureRule.Standaard, new DisclosureRule(Beschermingsinterval: 10) })
            {
                var beschermd = DisclosureControl.Protect(raw, regel);
                ShouldHaveNoRelationWithOneSuppressedCell(Csv(beschermd));
                DisclosureAudit.Recoverable(beschermd).ShouldBeEmpty();
                // The strongest outsider: every relation, every published cell exactly, no count below 0.
                Aanvaller.ShouldProtectEverySuppressedCell(raw, beschermd);
            }
        }, iter: 40);
    }

    [Fact]
    public void A_small_stacked_wijk_cell_beside_large_ones_takes_the_smallest_cells_that_protect_it()
    {
        // Two wijken alike but for "Jeugd en P-wet": 3 in wijk 01, 20 in wijk 02. Every way to hide a stacked
        // combination takes a single-law combination (or a law row or the total) with it, and the gemeente's row needs
        // a second wijk: the cheapest is the P-wet face of the cube, "Jeugd en P-wet" with "P-wet en Wmo",
        // "Jeugd, P-wet en Wmo" and "Alleen P-wet" (200), in both wijken. Not "Alleen Wmo" (480), not a total.
        var raw = Fold(Aantallen([.. GroteWijk("WK034401", jeugdEnPwet: 3), .. GroteWijk("WK034402", jeugdEnPwet: 20)]));

        foreach (var regel in new[] { DisclosureRule.Standaard, new DisclosureRule(Beschermingsinterval: 10) })
        {
            var beschermd = DisclosureControl.Protect(raw, regel);
            string[] verwacht = [.. new[] { "WK034401", "WK034402" }.SelectMany(w => PwetVlak.Select(c => $"{w} {c}"))];
            Onderdrukt(beschermd, beschermd.PersonenStatussen).ShouldBe(verwacht, ignoreOrder: true);
            Onderdrukt(beschermd, beschermd.HuishoudensStatussen).ShouldBe(verwacht, ignoreOrder: true);
            Aanvaller.ShouldProtectEverySuppressedCell(raw, beschermd);
        }
    }

    [Fact]
    public void A_small_stacked_gemeente_cell_takes_the_same_small_cells_of_one_other_gemeente_and_leaves_nederland_whole()
    {
        // The review's case: a gemeente with 3 "Jeugd en P-wet" beside hundreds of single-law clients. Nederland is
        // the sum of the gemeenten, so a second gemeente must give way, and each gemeente its wijk: the P-wet face in
        // four regions, nothing of Nederland, no "Alleen Wmo", no total or law row.
        var raw = Fold(Aantallen([.. GroteWijk("WK034401", jeugdEnPwet: 3), .. GroteWijk("WK059901", jeugdEnPwet: 20)]));

        var beschermd = DisclosureControl.Protect(raw, DisclosureRule.Standaard);
        string[] verwacht = [.. new[] { "GM0344", "WK034401", "GM0599", "WK059901" }.SelectMany(w => PwetVlak.Select(c => $"{w} {c}"))];
        Onderdrukt(beschermd, beschermd.PersonenStatussen).ShouldBe(verwacht, ignoreOrder: true);
        Onderdrukt(beschermd, beschermd.HuishoudensStatussen).ShouldBe(verwacht, ignoreOrder: true);
        Aanvaller.ShouldProtectEverySuppressedCell(raw, beschermd);
    }

    private static readonly string[] PwetVlak = ["Jeugd en P-wet", "P-wet en Wmo", "Jeugd, P-wet en Wmo", "Alleen P-wet"];

    private static (string Wijk, LawSet Wetten, int Aantal)[] GroteWijk(string wijk, int jeugdEnPwet)
    {
        var (j, w, p) = (JeugdwetLaw.Law.ToSet(), WmoLaw.Law.ToSet(), ParticipatiewetLaw.Law.ToSet());
        return [(wijk, j, 210), (wijk, w, 480), (wijk, p, 200), (wijk, j | w, 59), (wijk, p | w, 40), (wijk, j | p | w, 12), (wijk, j | p, jeugdEnPwet)];
    }

    private static List<string> Onderdrukt(ProtectedTable tabel, IReadOnlyList<CelStatus> statussen) =>
        [.. Enumerable.Range(0, statussen.Count).Where(c => statussen[c] != CelStatus.Gepubliceerd)
            .Select(c => $"{tabel.Regios.Regios[c / Soorten.Count].Code} {Soorten.Naam(c % Soorten.Count)}")];

    [Fact]
    public void Relations_of_a_gemeente_block_and_the_national_block_together_give_nothing_away()
    {
        // Found by the property above: each block on its own determined nothing, but the wijk relations and the
        // gemeente relations shared through Nederland's block together determined two cells of one gemeente row.
        int[] aantallen = [21, 4, 23, 6, 24, 4, 23, 23, 2, 23, 7, 0, 12, 3, 16, 18, 16, 3, 4, 24, 25, 13, 22, 3, 9, 8, 25, 0, 4, 20, 20, 3, 0, 5, 19];
        var raw = Fold(aantallen);
        var beschermd = DisclosureControl.Protect(raw, DisclosureRule.Standaard);
        ShouldHaveNoRelationWithOneSuppressedCell(Csv(beschermd));
        DisclosureAudit.Recoverable(beschermd).ShouldBeEmpty();
        Aanvaller.ShouldProtectEverySuppressedCell(raw, beschermd);
    }

    [Fact]
    public void A_small_wijk_cell_takes_a_sibling_and_a_cell_of_its_own_row_with_it()
    {
        // Wijk 01 has 3 persons with only jeugdhulp; everything else is large.
        var raw = Fold(Aantallen(("WK034401", JeugdwetLaw.Law.ToSet(), 3), ("WK034401", WmoLaw.Law.ToSet(), 40), ("WK034401", ParticipatiewetLaw.Law.ToSet(), 25),
            ("WK034402", JeugdwetLaw.Law.ToSet(), 30), ("WK034402", WmoLaw.Law.ToSet(), 50), ("WK034402", ParticipatiewetLaw.Law.ToSet(), 20)));
        var beschermd = DisclosureControl.Protect(raw, DisclosureRule.Standaard);
        var (gm, wk1, wk2) = (raw.Regios.IndexOf("GM0344"), raw.Regios.IndexOf("WK034401"), raw.Regios.IndexOf("WK034402"));
        var alleenJeugd = JeugdwetLaw.Law.ToSet().Bits;

        beschermd.PersonenStatus(wk1, alleenJeugd).ShouldBe(CelStatus.Primair);
        // Gemeente minus the other wijken (02 and "wijk onbekend", a true 0 that costs nothing to hide) would give wijk
        // 01; total minus the other combinations of wijk 01 likewise.
        (beschermd.PersonenIn(gm, alleenJeugd) is null || beschermd.PersonenIn(wk2, alleenJeugd) is null
         || beschermd.PersonenIn(raw.Regios.IndexOf(Regio.WijkOnbekendCode(344)), alleenJeugd) is null).ShouldBeTrue();
        (beschermd.PersonenIn(wk1, Soorten.Totaal) is null
         || Soorten.Combinaties.Any(c => c != JeugdwetLaw.Law.ToSet() && beschermd.PersonenIn(wk1, c.Bits) is null)).ShouldBeTrue();
        // And the law row, which here is the same 3 persons.
        beschermd.PersonenIn(wk1, Soorten.Wet(JeugdwetLaw.Law)).ShouldBeNull();
        DisclosureAudit.Recoverable(beschermd).ShouldBeEmpty();
        Aanvaller.ShouldProtectEverySuppressedCell(raw, beschermd);
    }

    [Fact]
    public void The_audit_finds_cells_that_relations_give_away_together()
    {
        // In one region only the three stacked combinations are suppressed. No single relation has one unknown, but
        // the total minus the Wmo row gives "Jeugd en P-wet" (the laws share the combinations): the audit must say so.
        var status = new CelStatus[Soorten.Count];
        int[] verborgen = [(JeugdwetLaw.Law.ToSet() | WmoLaw.Law.ToSet()).Bits, (JeugdwetLaw.Law.ToSet() | ParticipatiewetLaw.Law.ToSet()).Bits, (JeugdwetLaw.Law.ToSet() | WmoLaw.Law.ToSet() | ParticipatiewetLaw.Law.ToSet()).Bits];
        foreach (var cel in verborgen) status[cel] = CelStatus.Primair;

        DisclosureAudit.Determined(Soorten.Relaties, status).ShouldBe(verborgen.Order().ToArray());

        status[(ParticipatiewetLaw.Law.ToSet() | WmoLaw.Law.ToSet()).Bits] = CelStatus.Secundair;
        status[WmoLaw.Law.ToSet().Bits] = CelStatus.Secundair;
        status[ParticipatiewetLaw.Law.ToSet().Bits] = CelStatus.Secundair;
        DisclosureAudit.Determined(Soorten.Relaties, status).ShouldBeEmpty();
    }

    /// <summary>
    /// The relations as an outsider reads them from the published CSV, written out here on their own (not taken
    /// from the code under test): per region the total and the law rows over the combinations, and per row Nederland
    /// over its gemeenten and a gemeente over its wijken. None may have exactly one "." in it.
    /// </summary>
    internal static void ShouldHaveNoRelationWithOneSuppressedCell(CsvTabel tabel)
    {
        string[] combinaties = ["Alleen Jeugd", "Alleen Wmo", "Alleen P-wet", "Jeugd en Wmo", "Jeugd en P-wet", "P-wet en Wmo", "Jeugd, P-wet en Wmo"];
        var wetten = new Dictionary<string, string> { ["Jeugdwet"] = "Jeugd", ["Wmo"] = "Wmo", ["Participatiewet"] = "P-wet" };
        List<string[]> relaties = [["Totaal", .. combinaties]];
        foreach (var (wet, kort) in wetten)
        {
            relaties.Add([wet, .. combinaties.Where(c => c.Contains(kort, StringComparison.Ordinal))]);
            relaties.Add(["Totaal", wet, .. combinaties.Where(c => !c.Contains(kort, StringComparison.Ordinal))]);
        }
        var sleutels = tabel.Sleutels.ToList();
        foreach (var periode in sleutels.Select(k => k.Periode).Distinct())
        {
            foreach (var regio in tabel.Regios)
                foreach (var relatie in relaties)
                    foreach (var maat in new[] { 0, 1 })
                        relatie.Count(s => Cel(tabel[regio, periode, s], maat) == ".").ShouldNotBe(1, $"{regio} {periode} {string.Join(" / ", relatie)}");
            foreach (var soort in sleutels.Select(k => k.Soort).Distinct())
            {
                var gemeenten = tabel.Regios.Where(r => r.StartsWith("GM", StringComparison.Ordinal)).ToList();
                var groepen = gemeenten.Select(gm => (Totaal: gm, Delen: tabel.Regios.Where(r => r.StartsWith("WK" + gm[2..], StringComparison.Ordinal)).ToList()))
                    .Append((Totaal: "NL01", Delen: gemeenten));
                foreach (var (totaal, delen) in groepen)
                    foreach (var maat in new[] { 0, 1 })
                        delen.Prepend(totaal).Count(r => Cel(tabel[r, periode, soort], maat) == ".").ShouldNotBe(1, $"{totaal} {periode} {soort}");
            }
        }
    }

    private static string Cel((string Personen, string Huishoudens) cel, int maat) => maat == 0 ? cel.Personen : cel.Huishoudens;

    private static CsvTabel Csv(ProtectedTable tabel)
    {
        var pad = Path.GetTempFileName();
        try
        {
            Aggregation.Output.TableWriter.WriteCsv([Aggregation.Output.TableCells.Of(tabel)], pad);
            return new CsvTabel(pad);
        }
        finally
        {
            File.Delete(pad);
        }
    }

    private static IEnumerable<(int Waar, int? Gepubliceerd)> Cellen(StackingTable raw, ProtectedTable beschermd)
    {
        for (var c = 0; c < raw.Personen.Length; c++)
        {
            yield return (raw.Personen[c], beschermd.Personen[c]);
            yield return (raw.Huishoudens[c], beschermd.Huishoudens[c]);
        }
    }

    private static int[] Aantallen(params (string Wijk, LawSet Wetten, int Aantal)[] cellen)
    {
        var aantallen = new int[Wijken.Length * 7];
        foreach (var (wijk, wetten, aantal) in cellen) aantallen[Array.IndexOf(Wijken, wijk) * 7 + wetten.Bits - 1] = aantal;
        return aantallen;
    }

    /// <summary>
    /// A table made to order: aantallen[w * 7 + c - 1] persons in wijk w with the laws of combination c, each in a
    /// household of their own, with provisions all through 2025.
    /// </summary>
    private static StackingTable Fold(int[] aantallen)
    {
        var personen = new List<Pseudonym>();
        var huishoudens = new List<HouseholdRecord>();
        var voorzieningen = new List<ProvisionRecord>();
        var leden = new List<MembershipRecord>();
        var (begin, eind) = (Jaar.Van.DayNumber, Jaar.Tot.DayNumber);
        for (var i = 0; i < aantallen.Length; i++)
        {
            var wijk = WijkCode.Parse(Wijken[i / 7]);
            var gemeente = ushort.Parse(wijk.Gemeente.Value, System.Globalization.CultureInfo.InvariantCulture);
            var wetten = new LawSet(i % 7 + 1);
            for (var n = 0; n < aantallen[i]; n++)
            {
                var p = personen.Count;
                personen.Add(new Pseudonym((UInt128)p, 1));
                huishoudens.Add(new HouseholdRecord(new Pseudonym((UInt128)p, 2), gemeente, byte.Parse(wijk.Value[6..], System.Globalization.CultureInfo.InvariantCulture)));
                leden.Add(new MembershipRecord(p, p, begin - 1000, ProvisionRecord.Open));
                foreach (var law in Contracts.Laws.All.Select(l => l.Law).Where(wetten.Contains))
                    voorzieningen.Add(new ProvisionRecord(p, (byte)Contracts.Laws.IndexOf(law), Soorten.CategorieNummer(Soorten.Categorieen.First(c => c.Law == law)), gemeente, begin, eind));
            }
        }
        var extract = new StatisticsExtract([.. personen], [.. huishoudens], [.. voorzieningen], [.. leden], 0, "test");
        return StatisticsFold.Fold(extract, RegioIndeling.Van(extract), Jaar);
    }
}
