using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>The HTTP edge every service shares (docs/api-edge.md): limits, refusals, headers.</summary>
public sealed class EdgeTests : EmbeddedPlatformTests
{
    private static readonly Guid Gezin = Guid.Parse("7e000000-0000-4000-8000-000000000001");

    /// <summary>A refusal as the edge promises it: problem+json with a trace id, and the edge's headers.</summary>
    private static async Task<JsonElement> Refused(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await ShouldBeProblem(response, status);
        problem.GetProperty("traceId").GetString().ShouldNotBeNullOrEmpty();
        ShouldHaveEdgeHeaders(response);
        return problem;
    }

    private static void ShouldHaveEdgeHeaders(HttpResponseMessage response)
    {
        response.Headers.GetValues("API-Version").ShouldBe([HostingExtensions.ApiVersion]);
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem().ShouldContain("frame-ancestors 'none'");
    }

    /// <summary>
    /// Asks before sending (Expect: 100-continue), as a client should with a large body: the server refuses at once,
    /// instead of closing the connection while the body is still being sent.
    /// </summary>
    private static Task<HttpResponseMessage> Big(HttpClient client, string path, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.ExpectContinue = true;
        return client.SendAsync(request, Ct);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A start whose bsn field is padded to the given size: valid JSON, only too big.</summary>
    private static string StartOfSize(int bytes) =>
        $$"""{"bsn":"999990019","gemeente":"0344","productcategorie":"02","begindatum":"2025-01-01","toewijzingNummer":"{{new string('x', bytes)}}"}""";

    [Fact]
    public async Task A_json_body_over_the_limit_answers_413_whether_its_length_is_announced_or_streamed_and_nothing_is_stored()
    {
        // The case: 50 MB sent whole before the answer is read, as most clients do.
        var announced = await Client.PostAsync("/api/v1/wmo/provisions", Json(StartOfSize(50_000_000)), Ct);
        (await Refused(announced, HttpStatusCode.RequestEntityTooLarge)).GetProperty("detail").GetString()!
            .ShouldContain(EdgeSettings.DefaultJsonBodyBytes.ToString());
        await Refused(await Big(Client, "/api/v1/wmo/provisions", Json(StartOfSize((int)EdgeSettings.DefaultJsonBodyBytes + 1))),
            HttpStatusCode.RequestEntityTooLarge);

        // Without Content-Length the limit is found while reading, inside the handler's JSON reader.
        var streamed = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(StartOfSize((int)EdgeSettings.DefaultJsonBodyBytes + 64 * 1024))));
        streamed.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/wmo/provisions") { Content = streamed };
        request.Headers.TransferEncodingChunked = true;
        await Refused(await Client.SendAsync(request, Ct), HttpStatusCode.RequestEntityTooLarge);

        await NothingStoredOrPublished("wmo");
    }

    [Fact]
    public async Task An_xml_message_has_the_iStandaard_limit_of_10_MiB_instead_of_the_json_limit()
    {
        var aanbieder = Host.As(Roles.Aanbieder, "0363", "zorgaanbieder", "65656055");
        static StringContent Xml(int bytes) => new("<bericht>" + new string('x', bytes) + "</bericht>", Encoding.UTF8, "application/xml");

        // Past the edge, the handler reads the 2 MiB and refuses it as a message (0001): the JSON limit did not apply.
        var twoMiB = await aanbieder.PostAsync("/api/v1/jeugdwet/berichten", Xml(2 * 1024 * 1024), Ct);
        (await Refused(twoMiB, HttpStatusCode.BadRequest)).GetProperty("retourcode").GetString().ShouldBe("0001");

        var tooLarge = await aanbieder.PostAsync("/api/v1/jeugdwet/berichten", Xml((int)EdgeSettings.DefaultXmlBodyBytes), Ct);
        (await Refused(tooLarge, HttpStatusCode.RequestEntityTooLarge)).GetProperty("detail").GetString()!
            .ShouldContain(EdgeSettings.DefaultXmlBodyBytes.ToString());
        await NothingStoredOrPublished("jeugdwet");
    }

    [Fact]
    public async Task A_url_over_the_limit_answers_414_as_a_problem()
    {
        var path = "/api/v1/households/" + Gezin + "?date=2025-01-01&x=" + new string('a', EdgeSettings.DefaultUrlLength);
        (await Refused(await Client.GetAsync(path, Ct), HttpStatusCode.RequestUriTooLong)).GetProperty("detail").GetString()!
            .ShouldContain(EdgeSettings.DefaultUrlLength.ToString());

        // Past Kestrel's default request line of 8 KiB too: its limit is raised so the service answers.
        await Refused(await Client.GetAsync("/api/v1/households/" + Gezin + "?x=" + new string('a', 20_000), Ct), HttpStatusCode.RequestUriTooLong);

        // Just under the limit the request is answered as usual.
        var shortEnough = "/api/v1/households/" + Gezin + "?x=" + new string('a', EdgeSettings.DefaultUrlLength - 100);
        (await Client.GetAsync(shortEnough, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/v1/households/a%0Ab")]
    [InlineData("/api/v1/households/a%0Db")]
    [InlineData("/api/v1/households/a\u0001b")]
    [InlineData("/api/v1/households/a%7Fb")]
    public async Task A_path_with_a_control_character_answers_400_as_a_problem(string path) =>
        (await Refused(await RawGet(path), HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!.ShouldContain("control character");

    [Fact]
    public async Task A_percent_encoded_NUL_in_the_path_refused_by_Kestrel_itself_answers_a_problem_too()
    {
        // Kestrel's URL decoder refuses %00 whatever its options, before any middleware (docs/api-edge.md).
        var problem = await Refused(await RawGet("/api/v1/households/a%00b"), HttpStatusCode.BadRequest);
        problem.GetProperty("detail").GetString()!.ShouldContain("before any service read it");
    }

    /// <summary>HttpClient would refuse to send some of these paths: the request goes over a plain socket.</summary>
    private async Task<HttpResponseMessage> RawGet(string path)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(Host.Address.Host, Host.Address.Port, Ct);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {Host.Address.Authority}\r\nConnection: close\r\n\r\n"), Ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync(Ct);
        var (head, body) = (raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)], raw[(raw.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        var lines = head.Split("\r\n");
        var response = new HttpResponseMessage((HttpStatusCode)int.Parse(lines[0].Split(' ')[1]));
        var headers = lines.Skip(1).Select(l => (Name: l[..l.IndexOf(':')], Value: l[(l.IndexOf(':') + 1)..].Trim())).ToList();
        if (headers.Any(h => h.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Value == "chunked"))
            body = Unchunk(body);
        response.Content = new StringContent(body);
        foreach (var (name, value) in headers)
            if (!response.Headers.TryAddWithoutValidation(name, value)) response.Content.Headers.TryAddWithoutValidation(name, value);
        var type = headers.FirstOrDefault(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value;
        if (type is not null) response.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
        return response;
    }

    private static string Unchunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (true)
        {
            var end = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[at..end], 16);
            if (size == 0) return body.ToString();
            body.Append(chunked, end + 2, size);
            at = end + 2 + size + 2;
        }
    }

    [Fact]
    public async Task A_wrong_method_answers_405_with_an_Allow_header_and_a_wrong_media_type_415()
    {
        var wrongMethod = await Client.DeleteAsync("/api/v1/wmo/provisions", Ct);
        await Refused(wrongMethod, HttpStatusCode.MethodNotAllowed);
        wrongMethod.Content.Headers.Allow.ShouldContain("POST");

        var onARead = await Client.PostAsync($"/api/v1/households/{Gezin}", Json("{}"), Ct);
        await Refused(onARead, HttpStatusCode.MethodNotAllowed);
        onARead.Content.Headers.Allow.ShouldBe(["GET", "HEAD"], ignoreOrder: true);

        var text = await Client.PostAsync("/api/v1/wmo/provisions", new StringContent("bsn=999990019", Encoding.UTF8, "text/plain"), Ct);
        await Refused(text, HttpStatusCode.UnsupportedMediaType);
        await NothingStoredOrPublished("wmo");
    }

    [Fact]
    public async Task Without_a_token_401_and_refused_by_the_policy_403_and_an_unknown_path_404_are_problems_with_the_edge_headers()
    {
        var anonymous = await Host.Anonymous().GetAsync("/api/v1/access-log", Ct);
        await Refused(anonymous, HttpStatusCode.Unauthorized);
        anonymous.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");

        var forged = Host.Anonymous();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", "not.a.token");
        await Refused(await forged.GetAsync("/api/v1/access-log", Ct), HttpStatusCode.Unauthorized);

        await Refused(await Host.As(Roles.Statisticus).GetAsync("/api/v1/access-log", Ct), HttpStatusCode.Forbidden);
        await Refused(await Client.GetAsync("/api/v1/nothing-here", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_problem_raised_by_a_handler_carries_the_trace_id_of_the_request()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/wmo/provisions") { Content = Json("""{"bsn":"123456789"}""") };
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        var problem = await Refused(await Client.SendAsync(request, Ct), HttpStatusCode.BadRequest);

        problem.GetProperty("errors").EnumerateObject().ShouldNotBeEmpty();
        problem.GetProperty("traceId").GetString()!.ShouldContain(traceId);
    }

    [Fact]
    public async Task A_path_with_a_trailing_slash_answers_404_where_the_path_without_one_answers()
    {
        await Member();
        (await Client.GetAsync($"/api/v1/households/{Gezin}", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var problem = await Refused(await Client.GetAsync($"/api/v1/households/{Gezin}/", Ct), HttpStatusCode.NotFound);
        problem.GetProperty("detail").GetString()!.ShouldContain("slash");
        await Refused(await Client.PostAsync("/api/v1/wmo/provisions/", Json(StartOfSize(4)), Ct), HttpStatusCode.NotFound);
        await NothingStoredOrPublished("wmo");
        (await Client.GetAsync("/", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task HEAD_answers_as_GET_with_its_headers_and_without_a_body()
    {
        await Member();
        var get = await Client.GetAsync($"/api/v1/households/{Gezin}", Ct);
        get.StatusCode.ShouldBe(HttpStatusCode.OK);

        var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/households/{Gezin}"), Ct);

        head.StatusCode.ShouldBe(HttpStatusCode.OK);
        head.Content.Headers.ContentType?.MediaType.ShouldBe(get.Content.Headers.ContentType?.MediaType);
        (await head.Content.ReadAsByteArrayAsync(Ct)).ShouldBeEmpty();
        ShouldHaveEdgeHeaders(head);
        (await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/health/live"), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/households/{Guid.NewGuid()}"), Ct)).StatusCode
            .ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Every_answer_has_the_security_headers_api_answers_are_not_stored_and_the_page_has_its_own_policy()
    {
        await Member();
        var api = await Client.GetAsync($"/api/v1/households/{Gezin}", Ct);
        ShouldHaveEdgeHeaders(api);
        api.Headers.GetValues("Content-Security-Policy").ShouldBe([HttpEdge.ApiContentSecurityPolicy]);
        api.Headers.CacheControl?.NoStore.ShouldBeTrue();
        api.Headers.Contains("Strict-Transport-Security").ShouldBeFalse("HSTS only over TLS");

        var page = await Host.Anonymous().GetAsync("/regisseur", Ct);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldHaveEdgeHeaders(page);
        page.Headers.GetValues("Content-Security-Policy").ShouldBe([HttpEdge.PageContentSecurityPolicy]);

        var health = await Host.Anonymous().GetAsync("/health/live", Ct);
        ShouldHaveEdgeHeaders(health);
    }

    [Fact]
    public async Task Without_configured_origins_no_CORS_headers_are_sent()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("Origin", "https://portaal.gemeente.example");
        var response = await Client.SendAsync(request, Ct);
        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    /// <summary>A household with one member, once the projection shows it.</summary>
    private async Task Member()
    {
        (await Client.PostAsJsonAsync($"/api/v1/households/{Gezin}/members",
            new { bsn = "999990019", gemeente = "0344", rol = "Ouder", van = "2010-01-01" }, Ct)).EnsureSuccessStatusCode();
        await Eventually.Get(() => Client.GetAsync($"/api/v1/households/{Gezin}", Ct), r => r.StatusCode == HttpStatusCode.OK);
    }
}

/// <summary>CORS with one configured origin.</summary>
public sealed class CorsTests : EmbeddedPlatformTests
{
    private const string Allowed = "https://portaal.gemeente.example";

    protected override void Configure(WebApplicationBuilder builder) =>
        RunningHost.With(new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = Allowed })(builder);

    private Task<HttpResponseMessage> Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/wmo/provisions");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return Host.Anonymous().SendAsync(request, Ct);
    }

    [Fact]
    public async Task An_allowed_origin_passes_the_preflight_and_reads_the_answer_another_origin_gets_no_CORS_headers()
    {
        var preflight = await Preflight(Allowed);
        preflight.IsSuccessStatusCode.ShouldBeTrue();
        preflight.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([Allowed]);
        preflight.Headers.GetValues("Access-Control-Allow-Methods").ShouldHaveSingleItem().ShouldContain("POST");
        preflight.Headers.GetValues("Access-Control-Allow-Headers").ShouldHaveSingleItem().ToLowerInvariant().ShouldContain("authorization");

        var get = new HttpRequestMessage(HttpMethod.Get, "/api/v1/access-log");
        get.Headers.Add("Origin", Allowed);
        var answer = await Client.SendAsync(get, Ct);
        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        answer.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([Allowed]);
        answer.Headers.GetValues("Access-Control-Expose-Headers").ShouldHaveSingleItem().ShouldContain("API-Version");

        var refused = await Preflight("https://elders.example");
        refused.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        refused.Headers.Contains("Access-Control-Allow-Methods").ShouldBeFalse();
        var other = new HttpRequestMessage(HttpMethod.Get, "/api/v1/access-log");
        other.Headers.Add("Origin", "https://elders.example");
        (await Client.SendAsync(other, Ct)).Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }
}

/// <summary>Rate limiting of writes, with a low limit.</summary>
public sealed class RateLimitTests : EmbeddedPlatformTests
{
    protected override void Configure(WebApplicationBuilder builder) =>
        RunningHost.With(new Dictionary<string, string?> { ["RateLimiting:WritesPerMinute"] = "3" })(builder);

    private static StringContent Invalid() => new("""{"bsn":"123"}""", Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_caller_past_its_writes_per_minute_gets_429_with_Retry_After_while_others_and_reads_go_on()
    {
        var anna = Host.As(Roles.Beheerder, user: "anna");
        for (var i = 0; i < 3; i++)
            (await anna.PostAsync("/api/v1/wmo/provisions", Invalid(), Ct)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var limited = await anna.PostAsync("/api/v1/wmo/provisions", Invalid(), Ct);

        var problem = await ShouldBeProblem(limited, HttpStatusCode.TooManyRequests);
        problem.GetProperty("traceId").GetString().ShouldNotBeNullOrEmpty();
        limited.Headers.RetryAfter?.Delta?.TotalSeconds.ShouldBeInRange(1, 60);
        limited.Headers.GetValues("API-Version").ShouldBe([HostingExtensions.ApiVersion]);
        (await anna.GetAsync("/api/v1/access-log", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Host.As(Roles.Beheerder, user: "bert").PostAsync("/api/v1/wmo/provisions", Invalid(), Ct)).StatusCode
            .ShouldBe(HttpStatusCode.BadRequest);
    }
}

/// <summary>HSTS, on a host that listens over TLS (a self-signed certificate made for the test).</summary>
public sealed class HstsTests : EmbeddedPlatformTests
{
    protected override void Configure(WebApplicationBuilder builder) => TestTls.ListenOverTls(builder);

    [Fact]
    public async Task An_answer_over_TLS_carries_Strict_Transport_Security()
    {
        using var client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
            { BaseAddress = Host.Address };
        var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        // HSTS is never sent for localhost, so a browser on a developer's machine keeps plain HTTP there.
        request.Headers.Host = "platform.gemeente.example";

        var response = await client.SendAsync(request, Ct);

        Host.Address.Scheme.ShouldBe("https");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Strict-Transport-Security").ShouldBe(["max-age=31536000; includeSubDomains"]);
    }
}
