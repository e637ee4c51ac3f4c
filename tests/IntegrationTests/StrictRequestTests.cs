using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// What the hostile-input corpus found: a JSON key sent twice, a key the request does not have, a number sent as a
/// string, and access-log filters that are not what they filter on are refused, naming the field.
/// </summary>
public sealed class StrictRequestTests : EmbeddedPlatformTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task ShouldNameField(HttpResponseMessage response, string field)
    {
        var problem = await ShouldBeProblem(response, HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
    }

    [Fact]
    public async Task A_key_sent_twice_is_refused_naming_it_and_nothing_is_stored()
    {
        // Which gemeente counts would depend on the parser: one reading the first, another the last.
        var response = await Client.PostAsync("/api/v1/wmo/provisions", Json(
            """{"gemeente":"0363","bsn":"999990019","gemeente":"0344","productcategorie":"02","toewijzingNummer":"T1","begindatum":"2025-01-01"}"""), Ct);

        await ShouldNameField(response, "gemeente");
        await NothingStoredOrPublished("wmo");
    }

    [Fact]
    public async Task A_key_the_request_does_not_have_is_refused_naming_it_and_nothing_is_stored()
    {
        // Misspelt, the toewijzingnummer would be dropped and the provision stored without it.
        var response = await Client.PostAsync("/api/v1/wmo/provisions", Json(
            """{"bsn":"999990019","gemeente":"0344","productcategorie":"02","toewijzingsNummer":"T1","begindatum":"2025-01-01"}"""), Ct);

        await ShouldNameField(response, "toewijzingsNummer");
        await NothingStoredOrPublished("wmo");
    }

    [Fact]
    public async Task A_number_sent_as_a_string_is_refused_naming_it()
    {
        await ShouldNameField(await Client.PostAsync("/api/v1/wmo/clients/provisions/zoeken", Json("""{"bsn":"999990019","page":"1"}"""), Ct), "page");
        await ShouldNameField(await Client.PostAsync("/api/v1/access-log/zoeken", Json("""{"pageSize":"10"}"""), Ct), "pageSize");

        (await Client.PostAsync("/api/v1/wmo/clients/provisions/zoeken", Json("""{"bsn":"999990019","page":1}"""), Ct))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("""{"bsn":"123456789"}""", "bsn")]
    [InlineData("""{"bsn":"000000000"}""", "bsn")]
    [InlineData("""{"bsn":"99999001A"}""", "bsn")]
    [InlineData("""{"userId":"beheerder\u0000test"}""", "userId")]
    [InlineData("""{"userId":"beheerder\u202Etest"}""", "userId")]
    [InlineData("""{"userId":"   "}""", "userId")]
    public async Task An_access_log_filter_that_cannot_be_in_the_log_is_refused_naming_it(string search, string field)
    {
        await ShouldNameField(await Client.PostAsync("/api/v1/access-log/zoeken", Json(search), Ct), field);
        var query = JsonDocument.Parse(search).RootElement.EnumerateObject().Single();
        await ShouldNameField(await Client.GetAsync($"/api/v1/access-log?{query.Name}={Uri.EscapeDataString(query.Value.GetString()!)}", Ct), field);
    }

    [Fact]
    public async Task Access_log_filters_find_what_they_name_an_8_digit_bsn_and_a_user_id_with_spaces_too()
    {
        await Stacking("11222323", "2025-01-01");

        (await AccessLog(new { bsn = "11222323" })).GetProperty("total").GetInt32().ShouldBe(1, "the 8-digit BSN is the 9-digit one with its leading zero");
        (await AccessLog(new { bsn = "011222323" })).GetProperty("total").GetInt32().ShouldBe(1);
        (await AccessLog(new { userId = " beheerder-test " })).GetProperty("total").GetInt32().ShouldBe(1);
    }
}
