using SocialDomain.Aggregation;
using SocialDomain.Aggregation.Extraction;
using SocialDomain.Contracts;
using SocialDomain.Population;
using SocialDomain.Views.Statistics;
using SocialDomain.Wmo;

namespace SocialDomain.AggregationTests;

/// <summary>
/// A household counts in the wijk it lives in during the period: its joins name the wijk with their dates, so a
/// household that moved counts in its old wijk before the move and in its new one after, not in its last wijk for
/// all of its history.
/// </summary>
public class WijkPerPeriodeTests
{
    private static readonly Gemeentecode Amsterdam = Gemeentecode.Parse("0363");
    private readonly SyntheticBsn _bsns = new();

    [Fact]
    public void A_household_that_moved_counts_in_the_wijk_it_lived_in_during_each_period()
    {
        var huishouden = Guid.NewGuid();
        var ouder = _bsns.Next();
        var kind = _bsns.Next();
        // The parent has Wmo from 2024 on; the household lives in wijk 01 until the child joins on 1 July 2025, a join
        // that reports the household's new address in wijk 02.
        var extract = Extract(
            [Wmo(ouder, new DateOnly(2024, 1, 1))],
            [
                Join(huishouden, 1, ouder, new DateOnly(2020, 1, 1), "WK036301", new DateOnly(1980, 4, 12)),
                Join(huishouden, 2, kind, new DateOnly(2025, 7, 1), "WK036302", new DateOnly(2025, 7, 1)),
            ]);

        Wijk(extract, Periode.Jaar(2024)).ShouldBe("WK036301");
        Wijk(extract, Periode.Halfjaar(2025, 1)).ShouldBe("WK036301");
        Wijk(extract, Periode.Peildatum(new DateOnly(2025, 6, 30))).ShouldBe("WK036301");
        Wijk(extract, Periode.Peildatum(new DateOnly(2025, 7, 1))).ShouldBe("WK036302");
        Wijk(extract, Periode.Halfjaar(2025, 2)).ShouldBe("WK036302");
        // A period counts a household once, where it lives on the period's last day.
        Wijk(extract, Periode.Jaar(2025)).ShouldBe("WK036302");
    }

    [Fact]
    public void A_join_that_names_no_wijk_keeps_the_household_where_it_was_and_a_wijk_of_another_gemeente_is_not_trusted()
    {
        var huishouden = Guid.NewGuid();
        var (a, b, c) = (_bsns.Next(), _bsns.Next(), _bsns.Next());
        var extract = Extract(
            [Wmo(a, new DateOnly(2023, 1, 1))],
            [
                // The first join did not say where; the second one did: the household lived there from the start.
                Join(huishouden, 1, a, new DateOnly(2020, 1, 1), null, null),
                Join(huishouden, 2, b, new DateOnly(2023, 5, 1), "WK036302", null),
                Join(huishouden, 3, c, new DateOnly(2024, 3, 1), null, null),
                Join(huishouden, 4, _bsns.Next(), new DateOnly(2025, 2, 1), "WK059901", null),
            ]);

        Wijk(extract, Periode.Jaar(2023)).ShouldBe("WK036302");
        Wijk(extract, Periode.Jaar(2024)).ShouldBe("WK036302");
        Wijk(extract, Periode.Jaar(2025)).ShouldBe(Regio.WijkOnbekendCode(363));
    }

    [Fact]
    public void The_moves_and_birth_months_survive_the_extract_file()
    {
        var huishouden = Guid.NewGuid();
        var ouder = _bsns.Next();
        var extract = Extract(
            [Wmo(ouder, new DateOnly(2024, 1, 1))],
            [
                Join(huishouden, 1, ouder, new DateOnly(2020, 1, 1), "WK036301", new DateOnly(1980, 4, 12)),
                Join(huishouden, 2, _bsns.Next(), new DateOnly(2025, 7, 1), "WK036302", null),
            ]);
        using var map = new Werkmap();
        ExtractFile.Write(extract, map["e.sdpx"]);
        var gelezen = ExtractFile.Read(map["e.sdpx"]);

        gelezen.Verhuizingen.ShouldBe(extract.Verhuizingen);
        gelezen.Verhuizingen.ShouldHaveSingleItem().Van.ShouldBe(new DateOnly(2025, 7, 1).DayNumber);
        gelezen.Geboortemaanden.ShouldBe([Geboortemaand.Van(new DateOnly(1980, 4, 12))]);
        Wijk(gelezen, Periode.Halfjaar(2025, 1)).ShouldBe("WK036301");
        Wijk(gelezen, Periode.Halfjaar(2025, 2)).ShouldBe("WK036302");
    }

    /// <summary>The one wijk row in which the household counts (persons and households alike) in the period.</summary>
    private static string Wijk(StatisticsExtract extract, Periode periode)
    {
        var regios = RegioIndeling.Van(extract);
        var tabel = StatisticsFold.Fold(extract, regios, periode);
        var wijken = Enumerable.Range(0, regios.Regios.Count).Where(r => regios.Regios[r].Niveau == RegioNiveau.Wijk).ToList();
        var huishoudens = wijken.Where(r => tabel.HuishoudensIn(r, Soorten.Totaal) > 0).ToList();
        huishoudens.ShouldHaveSingleItem(periode.Code);
        tabel.HuishoudensIn(huishoudens[0], Soorten.Totaal).ShouldBe(1);
        wijken.Where(r => tabel.PersonenIn(r, Soorten.Totaal) > 0).ShouldBe(huishoudens, periode.Code);
        return regios.Regios[huishoudens[0]].Code;
    }

    private static StatisticsExtract Extract(IProvisionEvent[] voorzieningen, IIntegrationEvent[] huishoudens)
    {
        using var pseudonymiser = new Pseudonymiser(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        return new Extractor(pseudonymiser).Build(voorzieningen, huishoudens);
    }

    private static ProvisionStarted Wmo(Bsn bsn, DateOnly begin)
    {
        var id = Guid.NewGuid();
        return new ProvisionStarted(Guid.NewGuid(), $"provision-{id}", 1, DateTimeOffset.UtcNow, Amsterdam, WmoLaw.Law, id, bsn, "02", null, null, begin, null);
    }

    private static HouseholdMemberJoined Join(Guid huishouden, int versie, Bsn bsn, DateOnly van, string? wijk, DateOnly? geboren) =>
        new(Guid.NewGuid(), $"household-{huishouden}", versie, DateTimeOffset.UtcNow, Amsterdam, huishouden, bsn,
            versie == 1 ? HouseholdRole.Ouder : HouseholdRole.Kind, van, wijk is null ? null : WijkCode.Parse(wijk), geboren);
}
