using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// A minimal OpenID Connect issuer, as a municipality's identity provider looks to a service: a discovery document
/// and a JWKS over HTTP on loopback, with a real RSA key (RS256) and a real P-256 key (ES256), and tokens signed
/// with them. Only the public halves are published; what the service trusts it learns from these two documents.
/// For a browser it has the authorization code flow with PKCE (S256) for one public client: its authorization
/// endpoint logs in whoever <see cref="LogIn"/> names (where a real one shows a login form) and its token endpoint
/// redeems a code once, for that client and redirect address, and only with the verifier of the code's challenge,
/// answering with an access token and an ID token. Its end-session endpoint (RP-initiated logout) records whose session
/// it ended, from a valid ID token hint, and sends the browser back to the registered address.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    public const string JwksPath = "/jwks";
    public const string AuthorizePath = "/authorize";
    public const string TokenPath = "/token";
    public const string EndSessionPath = "/logout";
    public const string ClientId = "regisseur-werkplek";

    private readonly ConcurrentDictionary<string, Grant> _codes = new();

    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private TestIssuer(WebApplication app) => _app = app;

    /// <summary>The issuer's URL: its <c>iss</c>, and the authority a service is configured with.</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>Who the authorization endpoint logs in, and for which audience it issues the access token; null: nobody (access_denied).</summary>
    public (string Audience, IDictionary<string, object> Claims)? LogIn { get; set; }

    /// <summary>The redirect address registered for <see cref="ClientId"/>.</summary>
    public string? RedirectUri { get; set; }

    /// <summary>How many codes the token endpoint redeemed.</summary>
    public int Redeemed => _redeemed;

    /// <summary>Whether the discovery document names the end-session endpoint; not every provider has one.</summary>
    public bool PublishesEndSession { get; set; } = true;

    /// <summary>The users (sub) whose session the end-session endpoint ended, in order.</summary>
    public ConcurrentQueue<string> SessionsEnded { get; } = new();

    private int _redeemed;

    private sealed record Grant(string Challenge, string RedirectUri, string Audience, IDictionary<string, object> Claims);

    public SigningCredentials Rs256 => new(new RsaSecurityKey(_rsa) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha256);

    public SigningCredentials Es256 => new(new ECDsaSecurityKey(_ec) { KeyId = "ec-1" }, SecurityAlgorithms.EcdsaSha256);

    public static async Task<TestIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var issuer = new TestIssuer(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(issuer.Discovery()));
        app.MapGet(JwksPath, () => Results.Json(new { keys = issuer.PublicKeys() }));
        app.MapGet(AuthorizePath, issuer.Authorize);
        app.MapPost(TokenPath, issuer.RedeemAsync);
        app.MapGet(EndSessionPath, issuer.EndSessionAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        issuer.Issuer = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return issuer;
    }

    /// <summary>
    /// A signed token for these claims, from this issuer for this audience, valid from a minute ago for an hour unless
    /// told otherwise. Claims with an array value become JSON arrays, as an identity provider sends groups.
    /// </summary>
    public string Token(string audience, IDictionary<string, object> claims, SigningCredentials? signedWith = null,
        string? issuer = null, DateTime? notBefore = null, DateTime? expires = null)
    {
        var from = notBefore ?? DateTime.UtcNow.AddMinutes(-1);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = from,
            NotBefore = from,
            Expires = expires ?? from.AddHours(1),
            SigningCredentials = signedWith ?? Rs256,
        });
    }

    private IResult Authorize(HttpRequest request)
    {
        string? Q(string name) => request.Query[name].FirstOrDefault();
        // A wrong client or redirect address is never sent back to that address (RFC 6749 4.1.2.1).
        if (Q("client_id") != ClientId || RedirectUri is null || Q("redirect_uri") != RedirectUri)
            return Results.BadRequest("unknown client or redirect_uri");
        var back = new Dictionary<string, string?> { ["state"] = Q("state") };
        if (Q("response_type") != "code" || Q("code_challenge_method") != "S256" || Q("code_challenge") is not { Length: 43 } challenge)
            back["error"] = "invalid_request";
        else if (LogIn is not { } user)
            back["error"] = "access_denied";
        else
        {
            var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
            _codes[code] = new Grant(challenge, RedirectUri, user.Audience, user.Claims);
            back["code"] = code;
        }
        return Results.Redirect(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(RedirectUri, back));
    }

    private async Task<IResult> RedeemAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        string? F(string name) => form[name].FirstOrDefault();
        if (F("grant_type") != "authorization_code") return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
        // A code is redeemed once, whatever the outcome.
        if (F("code") is not { } code || !_codes.TryRemove(code, out var grant) || F("client_id") != ClientId || F("redirect_uri") != grant.RedirectUri
            || F("code_verifier") is not { } verifier
            || Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier))) != grant.Challenge)
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        Interlocked.Increment(ref _redeemed);
        return Results.Json(new
        {
            access_token = Token(grant.Audience, grant.Claims),
            id_token = Token(ClientId, new Dictionary<string, object> { ["sub"] = grant.Claims["sub"] }),
            token_type = "Bearer",
            expires_in = 3600,
        });
    }

    /// <summary>
    /// Ends the session of the ID token hint's user, for the registered client and return address only (OpenID Connect
    /// RP-Initiated Logout 1.0); an expired hint still names the user.
    /// </summary>
    private async Task<IResult> EndSessionAsync(HttpRequest request)
    {
        string? Q(string name) => request.Query[name].FirstOrDefault();
        if (Q("client_id") != ClientId || RedirectUri is null || Q("post_logout_redirect_uri") != RedirectUri)
            return Results.BadRequest("unknown client or post_logout_redirect_uri");
        var hint = await new JsonWebTokenHandler().ValidateTokenAsync(Q("id_token_hint"), new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = ClientId,
            IssuerSigningKeys = [Rs256.Key, Es256.Key],
            ValidateLifetime = false,
        });
        if (!hint.IsValid) return Results.BadRequest("invalid id_token_hint");
        SessionsEnded.Enqueue((string)hint.Claims["sub"]);
        return Results.Redirect(RedirectUri);
    }

    /// <summary>The discovery document: where the service finds the keys and the endpoints.</summary>
    private Dictionary<string, object> Discovery()
    {
        var discovery = new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = Issuer + JwksPath,
            ["authorization_endpoint"] = Issuer + AuthorizePath,
            ["token_endpoint"] = Issuer + TokenPath,
            ["grant_types_supported"] = new[] { "authorization_code" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256 },
        };
        if (PublishesEndSession) discovery["end_session_endpoint"] = Issuer + EndSessionPath;
        return discovery;
    }

    /// <summary>The published keys: the public parameters only, in the JWK form an identity provider serves.</summary>
    private object[] PublicKeys()
    {
        var rsa = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(includePrivateParameters: false)));
        var ec = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(_ec.ExportParameters(includePrivateParameters: false))));
        return
        [
            new { kty = rsa.Kty, kid = "rsa-1", use = "sig", alg = SecurityAlgorithms.RsaSha256, n = rsa.N, e = rsa.E },
            new { kty = ec.Kty, kid = "ec-1", use = "sig", alg = SecurityAlgorithms.EcdsaSha256, crv = ec.Crv, x = ec.X, y = ec.Y },
        ];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
        _ec.Dispose();
    }
}
