using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using SocialDomain.ServiceDefaults;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// What Kestrel refuses before any middleware runs is answered as problem+json with the edge's headers, like every
/// other refusal (docs/api-edge.md), and normal answers on the same connection pass unchanged. Raw sockets: an HTTP
/// client would refuse to send most of these requests.
/// </summary>
public sealed class KestrelEdgeTests : EmbeddedPlatformTests
{
    private static readonly string LongLine = "/api/v1/households?q=" + new string('a', 100 * 1024);

    private static readonly string LongHeaders =
        string.Concat(Enumerable.Range(0, 100).Select(i => $"X-Fill-{i}: {new string('b', 1024)}\r\n"));

    public static TheoryData<string, string, int> Refused => new()
    {
        { "NUL in the path", "GET /api/v1/households/a%00b HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "a request line of 100 KiB", $"GET {LongLine} HTTP/1.1\r\nHost: h\r\n\r\n", 414 },
        { "100 KiB of headers", $"GET /api/v1/households HTTP/1.1\r\nHost: h\r\n{LongHeaders}\r\n", 431 },
        { "a request line that is no request line", "FOO BAR BAZ\r\nHost: h\r\n\r\n", 400 },
        { "bytes that are no HTTP", "\u0001\u0002\u0003 garbage\r\n\r\n", 400 },
        { "a header without a colon", "GET /health/live HTTP/1.1\r\nHost: h\r\nno colon here\r\n\r\n", 400 },
        { "a Host header that is no host", "GET /health/live HTTP/1.1\r\nHost: a b/c\r\n\r\n", 400 },
        { "no Host header", "GET /health/live HTTP/1.1\r\n\r\n", 400 },
        { "a Content-Length that is no number", "POST /api/v1/wmo/provisions HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n", 400 },
        { "a final transfer coding other than chunked", "POST /api/v1/wmo/provisions HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 400 },
        { "an HTTP version that does not exist", "GET /health/live HTTP/1.7\r\nHost: h\r\n\r\n", 505 },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_request_Kestrel_refuses_answers_a_problem_with_the_edge_headers(string why, string request, int status)
    {
        var responses = await Exchange(Encoding.Latin1.GetBytes(request), heads: []);

        var refusal = responses.ShouldHaveSingleItem(why);
        ShouldBeRefusal(refusal, status);
        refusal.Headers["Connection"].ShouldBe("close");
    }

    [Fact]
    public async Task Broken_chunked_encoding_answers_a_problem()
    {
        var token = Tokens.Issue(RunningHost.SigningKey, "beheerder-test", Roles.Beheerder, null, TimeSpan.FromHours(1));
        var request = "POST /api/v1/wmo/provisions HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer " + token +
                      "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";

        var refusal = (await Exchange(Encoding.ASCII.GetBytes(request), heads: [])).ShouldHaveSingleItem();

        ShouldBeRefusal(refusal, 400);
        await NothingStoredOrPublished("wmo");
    }

    [Fact]
    public async Task A_refused_HEAD_answers_the_problems_headers_without_its_body()
    {
        // Refused in its headers: Kestrel has read the method by then (a request line it refuses has none it trusts).
        var refusal = (await Exchange("HEAD /health/live HTTP/1.1\r\nHost: a b/c\r\n\r\n"u8.ToArray(), heads: [0])).ShouldHaveSingleItem();

        refusal.Status.ShouldBe(400);
        refusal.Headers["Content-Type"].ShouldBe("application/problem+json");
        int.Parse(refusal.Headers["Content-Length"]).ShouldBeGreaterThan(0);
        refusal.Body.ShouldBeEmpty();
        refusal.Headers["API-Version"].ShouldBe(HostingExtensions.ApiVersion);
    }

    [Fact]
    public async Task Pipelined_answers_pass_unchanged_on_a_kept_alive_connection_and_a_refusal_after_them_is_a_problem()
    {
        var document = await Client.GetByteArrayAsync("/api/v1/openapi.json", Ct);
        document.Length.ShouldBeGreaterThan(64 * 1024, "a large answer, written in many pieces");
        var pipelined = "GET /health/live HTTP/1.1\r\nHost: h\r\n\r\n" +
                        "HEAD /api/v1/openapi.json HTTP/1.1\r\nHost: h\r\n\r\n" +
                        "GET /api/v1/openapi.json HTTP/1.1\r\nHost: h\r\n\r\n" +
                        "GET /api/v1/households/zoeken HTTP/1.1\r\nHost: h\r\n\r\n" +
                        "GET /api/v1/households/a%00b HTTP/1.1\r\nHost: h\r\n\r\n";

        var responses = await Exchange(Encoding.ASCII.GetBytes(pipelined), heads: [1]);

        responses.Select(r => r.Status).ShouldBe([200, 200, 200, 401, 400]);
        responses[0].Headers.ContainsKey("Connection").ShouldBeFalse("the connection is kept alive");
        Encoding.UTF8.GetString(responses[0].Body).ShouldBe("Healthy");
        responses[1].Body.ShouldBeEmpty();
        responses[2].Body.ShouldBe(document);
        ShouldBeProblemBody(responses[3], 401);
        ShouldBeRefusal(responses[4], 400);
    }

    /// <summary>Kestrel's refusal replaced: the problem, its trace id, and the headers every answer carries.</summary>
    internal static void ShouldBeRefusal(RawResponse response, int status)
    {
        var problem = ShouldBeProblemBody(response, status);
        problem.GetProperty("traceId").GetString().ShouldNotBeNullOrEmpty();
        response.Headers["API-Version"].ShouldBe(HostingExtensions.ApiVersion);
        response.Headers["X-Content-Type-Options"].ShouldBe("nosniff");
        response.Headers["X-Frame-Options"].ShouldBe("DENY");
        response.Headers["Content-Security-Policy"].ShouldContain("frame-ancestors 'none'");
    }

    private static JsonElement ShouldBeProblemBody(RawResponse response, int status)
    {
        response.Status.ShouldBe(status, Encoding.UTF8.GetString(response.Body));
        response.Headers["Content-Type"].ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(response.Body).RootElement;
        problem.GetProperty("status").GetInt32().ShouldBe(status);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrEmpty();
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrEmpty();
        return problem;
    }

    private async Task<IReadOnlyList<RawResponse>> Exchange(byte[] request, int[] heads)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(Host.Address.Host, Host.Address.Port, Ct);
        return await RawResponse.Exchange(socket.GetStream(), request, heads);
    }
}

/// <summary>Kestrel's refusals over TLS: the watch sees the decrypted stream, not the ciphertext.</summary>
public sealed class KestrelEdgeTlsTests : EmbeddedPlatformTests
{
    protected override void Configure(WebApplicationBuilder builder) => TestTls.ListenOverTls(builder);

    [Fact]
    public async Task A_request_Kestrel_refuses_over_TLS_answers_a_problem_after_a_normal_answer()
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(Host.Address.Host, Host.Address.Port, Ct);
        await using var tls = new SslStream(socket.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "platform.test" }, Ct);

        var responses = await RawResponse.Exchange(tls,
            "GET /health/live HTTP/1.1\r\nHost: h\r\n\r\nGET /api/v1/households/a%00b HTTP/1.1\r\nHost: h\r\n\r\n"u8.ToArray(), heads: []);

        Host.Address.Scheme.ShouldBe("https");
        responses.Select(r => r.Status).ShouldBe([200, 400]);
        KestrelEdgeTests.ShouldBeRefusal(responses[1], 400);
    }
}

/// <summary>An HTTP/1.1 answer as it came over the wire.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>Sends the request bytes, reads until the server closes, and splits what came into answers.</summary>
    /// <param name="heads">The positions of the answers to HEAD requests: they have no body whatever their length says.</param>
    public static async Task<IReadOnlyList<RawResponse>> Exchange(Stream stream, byte[] request, int[] heads)
    {
        await stream.WriteAsync(request, TestContext.Current.CancellationToken);
        await stream.FlushAsync(TestContext.Current.CancellationToken);
        using var received = new MemoryStream();
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            // The last request is always refused or ends the connection's answers with Connection: close.
            await stream.CopyToAsync(received, timeout.Token);
        }
        var bytes = received.ToArray();
        var responses = new List<RawResponse>();
        var at = 0;
        while (at < bytes.Length)
        {
            var end = bytes.AsSpan(at).IndexOf("\r\n\r\n"u8) + at;
            var lines = Encoding.Latin1.GetString(bytes, at, end - at).Split("\r\n");
            var headers = lines[1..].ToDictionary(l => l[..l.IndexOf(':')], l => l[(l.IndexOf(':') + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
            at = end + 4;
            byte[] body = [];
            if (!heads.Contains(responses.Count))
                (body, at) = headers.TryGetValue("Transfer-Encoding", out var coding) && coding == "chunked"
                    ? Unchunk(bytes, at)
                    : (bytes[at..(at + int.Parse(headers.GetValueOrDefault("Content-Length", "0")))], at + int.Parse(headers.GetValueOrDefault("Content-Length", "0")));
            responses.Add(new RawResponse(int.Parse(lines[0].Split(' ')[1]), headers, body));
        }
        return responses;
    }

    private static (byte[] Body, int End) Unchunk(byte[] bytes, int at)
    {
        var body = new MemoryStream();
        while (true)
        {
            var end = bytes.AsSpan(at).IndexOf("\r\n"u8) + at;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(bytes, at, end - at).Split(';')[0], 16);
            at = end + 2;
            if (size == 0) return (body.ToArray(), at + 2);
            body.Write(bytes, at, size);
            at += size + 2;
        }
    }
}
