using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace SocialDomain.ServiceDefaults.Access;

/// <summary>
/// The claims a token carries the caller in. An identity provider names them its own way (roles in "groups",
/// the user in "preferred_username"); <c>Auth:UserClaim</c>, <c>Auth:RoleClaim</c>, <c>Auth:GemeenteClaim</c> and
/// <c>Auth:AgbClaim</c> say which.
/// </summary>
public sealed record TokenClaims(string User, string Role, string Gemeente, string Agb)
{
    public static readonly TokenClaims Default = new("sub", "role", Caller.GemeenteClaim, Caller.AgbClaim);
}

/// <summary>A host cannot check access tokens with what it was configured with, so it does not start.</summary>
public sealed class TokenConfigurationException(string message) : PlatformConfigurationException([message]);

/// <summary>
/// How a host checks access tokens, decided once at start. Either an OpenID Connect issuer (<c>Auth:Authority</c>
/// and <c>Auth:Audience</c>: RS256 or ES256, keys from its discovery document), or a shared key
/// (<c>Auth:SigningKey</c>, HS256: a deployment without an identity provider), or, in the Development environment
/// only, the development key that is in the repository. Anything else refuses to start: a host that accepted
/// tokens anyone can sign would let anyone be beheerder.
/// </summary>
public sealed record TokenSettings(Uri? Authority, string? Audience, bool RequireHttpsMetadata, string? SigningKey, TokenClaims Claims)
{
    public const int MinimumKeyBytes = 32;

    public const string Remedy = "Set Auth__Authority and Auth__Audience (an OpenID Connect issuer) or Auth__SigningKey " +
        "(at least 32 bytes); the development key is accepted only in the Development environment.";

    public bool UsesDevelopmentKey => SigningKey == Tokens.DevelopmentKey;

    public static TokenSettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        string? Setting(string name) => configuration[$"Auth:{name}"] is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;
        var claims = new TokenClaims(Setting("UserClaim") ?? TokenClaims.Default.User, Setting("RoleClaim") ?? TokenClaims.Default.Role,
            Setting("GemeenteClaim") ?? TokenClaims.Default.Gemeente, Setting("AgbClaim") ?? TokenClaims.Default.Agb);
        var requireHttps = configuration.GetValue("Auth:RequireHttpsMetadata", true);
        var (authority, audience, key) = (Setting("Authority"), Setting("Audience"), Setting("SigningKey"));

        if (authority is not null || audience is not null)
        {
            if (key is not null)
                throw Refused("Auth__Authority and Auth__SigningKey are both set: a host trusts one token issuer, so set one.");
            if (authority is null || audience is null)
                throw Refused("An OpenID Connect issuer needs both Auth__Authority and Auth__Audience.");
            if (!Uri.TryCreate(authority, UriKind.Absolute, out var issuer) || issuer.Scheme is not ("https" or "http"))
                throw Refused($"Auth__Authority '{authority}' is not an http(s) URL.");
            if (requireHttps && issuer.Scheme != "https")
                throw Refused($"Auth__Authority '{authority}' is not https; set Auth__RequireHttpsMetadata=false only for a test issuer on loopback.");
            return new TokenSettings(issuer, audience, requireHttps, null, claims);
        }
        if (key is null && environment.IsDevelopment())
            return new TokenSettings(null, null, requireHttps, Tokens.DevelopmentKey, claims);
        if (key is null)
            throw Refused($"No token configuration in the {environment.EnvironmentName} environment.");
        if (key == Tokens.DevelopmentKey && !environment.IsDevelopment())
            throw Refused("Auth__SigningKey is the development key, which is in the repository.");
        if (Encoding.UTF8.GetByteCount(key) < MinimumKeyBytes)
            throw Refused($"Auth__SigningKey is {Encoding.UTF8.GetByteCount(key)} bytes, too short to keep tokens from being forged.");
        return new TokenSettings(null, null, requireHttps, key, claims);
    }

    /// <summary>The bearer scheme: exactly the issuer, audience and algorithms configured, and a lifetime on every token.</summary>
    public void Configure(JwtBearerOptions options)
    {
        // Claims keep the names the token gives them, so the configured claim names are the ones looked up.
        options.MapInboundClaims = false;
        var parameters = new TokenValidationParameters
        {
            NameClaimType = Claims.User,
            RoleClaimType = Claims.Role,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        if (Authority is not null)
        {
            // The issuer and its signing keys come from the discovery document and its JWKS, refreshed by JwtBearer.
            options.Authority = Authority.ToString();
            options.Audience = Audience;
            options.RequireHttpsMetadata = RequireHttpsMetadata;
            parameters.ValidAudience = Audience;
            parameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];
        }
        else
        {
            parameters.ValidIssuer = Tokens.Issuer;
            parameters.ValidAudience = Tokens.Audience;
            parameters.IssuerSigningKey = Tokens.Key(SigningKey!);
            parameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
        options.TokenValidationParameters = parameters;
    }

    private static TokenConfigurationException Refused(string problem) => new($"{problem} {Remedy}");
}
