using SocialDomain.Contracts;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Wmo;

namespace SocialDomain.UnitTests;

public class BsnTests
{
    [Theory]
    [InlineData("999990019")]
    [InlineData("111222333")]
    [InlineData("123456782")]
    public void A_number_that_passes_the_11_proef_is_a_bsn(string value) =>
        Bsn.Parse(value).Value.ShouldBe(value);

    [Fact]
    public void An_eight_digit_number_gets_its_leading_zero_back()
    {
        // 012345672: 9*0 + 8*1 + 7*2 + 6*3 + 5*4 + 4*5 + 3*6 + 2*7 - 2 = 110 = 10 * 11.
        Bsn.Parse("12345672").Value.ShouldBe("012345672");
    }

    [Theory]
    [InlineData("999999999", "11-proef")]
    [InlineData("123456789", "11-proef")]
    [InlineData("000000000", "11-proef")]
    [InlineData("12345", "digits")]
    [InlineData("1234567890", "digits")]
    [InlineData("12345678a", "digits")]
    [InlineData("", "digits")]
    [InlineData(null, "digits")]
    public void Anything_else_is_refused_with_the_reason(string? value, string reason)
    {
        Bsn.TryParse(value, out _, out var error).ShouldBeFalse();
        error.ShouldContain(reason);
    }
}

public class CodeListTests
{
    [Theory]
    [InlineData("Jeugdwet", "31", "Jeugdhulp zonder verblijf: wijkteam")]
    [InlineData("Jeugdwet", "55", "Landelijk ingekocht")]
    [InlineData("Wmo", "01", "Hulp bij het huishouden")]
    [InlineData("Wmo", "15", "Beschermd wonen")]
    [InlineData("Participatiewet", "PW01", "Algemene bijstand (levensonderhoud)")]
    public void A_productcategorie_is_known_within_its_law(string wet, string code, string naam) =>
        Productcategorie.Parse(new Law(wet), code).Naam.ShouldBe(naam);

    [Theory]
    [InlineData("Wmo", "15", "Beschermd wonen")]
    [InlineData("Wmo", "19", "19")]
    [InlineData("Jeugdwet", "99", "99")]
    public void A_code_this_build_does_not_know_is_shown_as_the_code(string wet, string code, string shown) =>
        Productcategorie.NaamOf(new Law(wet), code).ShouldBe(shown);

    [Theory]
    [InlineData("Jeugdwet", "01")]
    [InlineData("Jeugdwet", "39")]
    [InlineData("Wmo", "31")]
    [InlineData("Participatiewet", "02")]
    public void A_productcategorie_of_another_law_is_refused(string wet, string code)
    {
        var law = new Law(wet);
        Productcategorie.TryParse(law, code, out _, out var error).ShouldBeFalse();
        error.ShouldContain(law.ToString());
    }

    [Fact]
    public void Reden_31_means_different_things_per_law()
    {
        RedenBeeindiging.TryParse(JeugdwetLaw.Law, "31", out var jeugd, out _).ShouldBeTrue();
        RedenBeeindiging.TryParse(WmoLaw.Law, "31", out var wmo, out _).ShouldBeTrue();
        jeugd.Omschrijving.ShouldBe("Levering is volgens plan beëindigd");
        wmo.Omschrijving.ShouldBe("Verhuizing naar een andere gemeente");
        jeugd.ShouldNotBe(wmo);
    }

    [Theory]
    [InlineData("0363", true)]
    [InlineData("363", false)]
    [InlineData("0000", false)]
    [InlineData("03a3", false)]
    public void A_gemeentecode_is_four_digits(string value, bool valid) =>
        Gemeentecode.TryParse(value, out _, out _).ShouldBe(valid);

    [Theory]
    [InlineData("\"0363\"", "0363")]
    [InlineData("\"\\u0030363\"", "0363")]
    [InlineData("\"0000\"", null)]
    [InlineData("\"363\"", null)]
    [InlineData("\"03a3\"", null)]
    [InlineData("363", null)]
    public void A_gemeentecode_in_json_is_checked_as_strictly_as_a_parsed_one(string json, string? expected)
    {
        if (expected is null)
            Should.Throw<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<Gemeentecode>(json));
        else
            System.Text.Json.JsonSerializer.Deserialize<Gemeentecode>(json).ShouldBe(Gemeentecode.Parse(expected));
    }

    [Theory]
    [InlineData("WK036301", true)]
    [InlineData("WK0363", false)]
    [InlineData("BU036301", false)]
    [InlineData("WK000001", false)]
    public void A_wijkcode_is_WK_gemeentecode_and_two_digits(string value, bool valid) =>
        WijkCode.TryParse(value, out _, out _).ShouldBe(valid);

    [Theory]
    [InlineData("Geen")]
    [InlineData("Alleen Jeugd", "Jeugdwet")]
    [InlineData("Alleen Wmo", "Wmo")]
    [InlineData("Alleen P-wet", "Participatiewet")]
    [InlineData("Jeugd en Wmo", "Jeugdwet", "Wmo")]
    [InlineData("Jeugd en P-wet", "Participatiewet", "Jeugdwet")]
    [InlineData("P-wet en Wmo", "Wmo", "Participatiewet")]
    [InlineData("Jeugd, P-wet en Wmo", "Jeugdwet", "Wmo", "Participatiewet")]
    public void Law_combinations_carry_the_CBS_labels(string label, params string[] wetten) =>
        wetten.Aggregate(LawSet.None, (set, wet) => set | new Law(wet).ToSet()).CbsLabel().ShouldBe(label);
}
