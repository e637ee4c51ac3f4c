using SocialDomain.Jeugdwet;
using SocialDomain.Provisions;
using SocialDomain.ServiceDefaults;

namespace SocialDomain.UnitTests;

/// <summary>The shared rules for free text and dates (docs/api-input.md), and the one form of a toewijzingnummer.</summary>
public class InvoerTests
{
    public static TheoryData<string, TekstSoort> Refused => new()
    {
        { "Jan\0", TekstSoort.Regel },
        { "Jan\0", TekstSoort.Omschrijving },
        { "Jan\r\nJansen", TekstSoort.Regel },
        { "Jan\nJansen", TekstSoort.Regel },
        { "Jan\tJansen", TekstSoort.Regel },
        { "\u001bJan", TekstSoort.Omschrijving },
        { "Jan\u007f", TekstSoort.Omschrijving },
        { "Jan\u0085", TekstSoort.Omschrijving },
        { "Jan\u009b", TekstSoort.Regel },
        { "gpj.\u202Eexe", TekstSoort.Regel },
        { "Jan\u2066Jansen", TekstSoort.Omschrijving },
        { "Jan\u200BJansen", TekstSoort.Regel },
        { "\uFEFFJan", TekstSoort.Regel },
        { "Jan\u2028Jansen", TekstSoort.Omschrijving },
        { "Jan\u2028", TekstSoort.Omschrijving },
        { "Jan\n", TekstSoort.Regel },
        { new string('a', Invoer.MaxRegel + 1), TekstSoort.Regel },
        { new string('a', Invoer.MaxOmschrijving + 1), TekstSoort.Omschrijving },
        { new string('a', 100_000), TekstSoort.Omschrijving },
        { "", TekstSoort.Regel },
        { " \t ", TekstSoort.Omschrijving },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Hostile_text_is_refused_with_a_reason(string value, TekstSoort soort)
    {
        Invoer.Tekst(value, soort, out var error).ShouldBeNull();
        error.ShouldNotBeNullOrWhiteSpace();
    }

    /// <summary>Not theory data: a test runner's serialisation of a broken string would repair it.</summary>
    [Fact]
    public void An_unpaired_surrogate_is_refused()
    {
        Invoer.Tekst("Jan\uD800", TekstSoort.Regel, out var high).ShouldBeNull();
        high.ShouldNotBeNull();
        Invoer.Tekst("\uDC00Jan", TekstSoort.Omschrijving, out var low).ShouldBeNull();
        low.ShouldNotBeNull();
    }

    public static TheoryData<string, TekstSoort, string> Accepted => new()
    {
        { "Anna de Regisseur", TekstSoort.Regel, "Anna de Regisseur" },
        { "  Anna  ", TekstSoort.Regel, "Anna" },
        { "Eerste regel\r\nTweede\tregel", TekstSoort.Omschrijving, "Eerste regel\r\nTweede\tregel" },
        { "Zoë Ünal-Çelik 😀", TekstSoort.Regel, "Zoë Ünal-Çelik 😀" },
        { "مرحبا", TekstSoort.Regel, "مرحبا" },
        { new string('a', Invoer.MaxRegel), TekstSoort.Regel, new string('a', Invoer.MaxRegel) },
        { string.Concat(Enumerable.Repeat("😀", Invoer.MaxRegel)), TekstSoort.Regel, string.Concat(Enumerable.Repeat("😀", Invoer.MaxRegel)) },
        { new string('a', Invoer.MaxOmschrijving), TekstSoort.Omschrijving, new string('a', Invoer.MaxOmschrijving) },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Ordinary_text_is_kept_trimmed(string value, TekstSoort soort, string stored)
    {
        Invoer.Tekst(value, soort, out var error).ShouldBe(stored);
        error.ShouldBeNull();
    }

    [Theory]
    [InlineData("1899-12-31", false)]
    [InlineData("1900-01-01", true)]
    [InlineData("2100-12-31", true)]
    [InlineData("2101-01-01", false)]
    [InlineData("0001-01-01", false)]
    [InlineData("9999-12-31", false)]
    public void A_date_lies_in_the_window(string date, bool inside) =>
        (Invoer.Datum(DateOnly.Parse(date)) is null).ShouldBe(inside);

    [Fact]
    public void Field_errors_are_named_by_their_field()
    {
        var errors = new FieldErrors();
        errors.Tekst("naam", "Jan\0", TekstSoort.Regel).ShouldBeNull();
        errors.Tekst("organisatie", null, TekstSoort.Regel).ShouldBeNull();
        errors.Tekst("toelichting", null, TekstSoort.Omschrijving, required: false).ShouldBeNull();
        errors.Datum("van", new DateOnly(1, 1, 1), required: true).ShouldBeNull();
        errors.Datum("tot", null).ShouldBeNull();

        var problem = Should.Throw<ApiProblem>(() => errors.ThrowIfAny());
        problem.Status.ShouldBe(400);
        problem.Errors.Keys.Order().ShouldBe(["naam", "organisatie", "van"]);
    }

    [Theory]
    [InlineData("0820099", "820099")]
    [InlineData("820099", "820099")]
    [InlineData("000", "0")]
    [InlineData("T0820099", "T0820099")]
    [InlineData("0A1", "0A1")]
    public void A_numeric_toewijzingnummer_is_kept_by_its_value(string sent, string kept)
    {
        var start = Start(sent);
        var accepted = ProvisionDecider.Decide(null, start, JeugdwetLaw.Definition, DateTimeOffset.UnixEpoch).ShouldBeOfType<Decision.Accepted>();

        accepted.Events.OfType<Contracts.ProvisionStarted>().ShouldHaveSingleItem().ToewijzingNummer.ShouldBe(kept);
        ProvisionDecider.IdentityOf(JeugdwetLaw.Definition, start).ShouldBe(ProvisionDecider.IdentityOf(JeugdwetLaw.Definition, Start(kept)));
    }

    [Fact]
    public void Leading_zeros_do_not_make_another_provision_but_letters_do()
    {
        ProvisionDecider.IdentityOf(JeugdwetLaw.Definition, Start("0820099")).ShouldBe(ProvisionDecider.IdentityOf(JeugdwetLaw.Definition, Start("820099")));
        ProvisionDecider.IdentityOf(JeugdwetLaw.Definition, Start("A0820099")).ShouldNotBe(ProvisionDecider.IdentityOf(JeugdwetLaw.Definition, Start("A820099")));
    }

    [Theory]
    [InlineData("0001-01-01", null, "begindatum")]
    [InlineData("9999-12-31", null, "begindatum")]
    [InlineData("2025-01-01", "0001-01-01", "geboortedatum")]
    public void A_record_with_a_date_outside_the_window_is_refused_naming_it(string begindatum, string? geboortedatum, string field)
    {
        var start = new StartCommand(new ProvisionKey("999990019", "0344", "45", "45A11", "1", DateOnly.Parse(begindatum)),
            geboortedatum is null ? null : DateOnly.Parse(geboortedatum));

        var refusal = ProvisionDecider.Decide(null, start, JeugdwetLaw.Definition, DateTimeOffset.UnixEpoch).ShouldBeOfType<Decision.Refused>();

        refusal.Retourcode.ShouldBe("0001");
        refusal.Errors.Keys.ShouldContain(field);
    }

    [Fact]
    public void A_stop_with_an_einddatum_outside_the_window_is_refused_naming_it()
    {
        var stop = new StopCommand(new ProvisionKey("999990019", "0344", "45", "45A11", "1", new DateOnly(2025, 1, 1)), DateOnly.MaxValue, "31");

        ProvisionDecider.Decide(null, stop, JeugdwetLaw.Definition, DateTimeOffset.UnixEpoch).ShouldBeOfType<Decision.Refused>()
            .Errors.Keys.ShouldBe(["einddatum"]);
    }

    private static StartCommand Start(string toewijzing) =>
        new(new ProvisionKey("999990019", "0344", "45", "45A11", toewijzing, new DateOnly(2025, 1, 1)), null);
}
