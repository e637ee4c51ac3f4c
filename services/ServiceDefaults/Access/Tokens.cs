using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace SocialDomain.ServiceDefaults.Access;

/// <summary>
/// The platform's own access tokens: JWTs signed with a shared key (HS256), for a deployment without an identity
/// provider (<c>Auth:SigningKey</c>) and for development. Only the development token command and tests issue them;
/// where a municipality runs an identity provider, it issues the tokens instead (<see cref="TokenSettings"/>).
/// </summary>
public static class Tokens
{
    public const string Issuer = "sociaal-domein-platform";
    public const string Audience = "sociaal-domein-platform";

    /// <summary>Accepted in the Development environment only: it is in the repository, so anyone can sign with it.</summary>
    public const string DevelopmentKey = "development-only-signing-key-change-me-0123456789";

    public static SymmetricSecurityKey Key(string secret) => new(Encoding.UTF8.GetBytes(secret));

    public static string Issue(string secret, string userId, string role, string? gemeente, TimeSpan lifetime, string? agb = null)
    {
        if (!Roles.All.Contains(role)) throw new ArgumentException($"Unknown role '{role}'; roles: {string.Join(", ", Roles.All)}.", nameof(role));
        var claims = new List<Claim> { new(TokenClaims.Default.User, userId), new(TokenClaims.Default.Role, role) };
        if (gemeente is not null) claims.Add(new Claim(TokenClaims.Default.Gemeente, gemeente));
        if (agb is not null) claims.Add(new Claim(TokenClaims.Default.Agb, agb));
        var token = new JwtSecurityToken(Issuer, Audience, claims, DateTime.UtcNow, DateTime.UtcNow.Add(lifetime),
            new SigningCredentials(Key(secret), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
