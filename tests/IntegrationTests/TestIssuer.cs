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
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    public const string JwksPath = "/jwks";

    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private TestIssuer(WebApplication app) => _app = app;

    /// <summary>The issuer's URL: its <c>iss</c>, and the authority a service is configured with.</summary>
    public string Issuer { get; private set; } = "";

    public SigningCredentials Rs256 => new(new RsaSecurityKey(_rsa) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha256);

    public SigningCredentials Es256 => new(new ECDsaSecurityKey(_ec) { KeyId = "ec-1" }, SecurityAlgorithms.EcdsaSha256);

    public static async Task<TestIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var issuer = new TestIssuer(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Issuer,
            ["jwks_uri"] = issuer.Issuer + JwksPath,
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256 },
        }));
        app.MapGet(JwksPath, () => Results.Json(new { keys = issuer.PublicKeys() }));
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
