using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace SocialDomain.ServiceDefaults.Access;

/// <summary>
/// Access tokens: JWTs signed with a shared key (HMAC-SHA256). Every service validates them; only the dev-token
/// command and tests issue them. In production an identity provider issues them and only the key changes.
/// </summary>
public static class Tokens
{
    public const string Issuer = "sociaal-domein-platform";
    public const string Audience = "sociaal-domein-platform";

    /// <summary>For development and tests only; a deployment sets Auth:SigningKey (32 bytes or more).</summary>
    public const string DevelopmentKey = "development-only-signing-key-change-me-0123456789";

    public static SymmetricSecurityKey Key(string secret) => new(Encoding.UTF8.GetBytes(secret));

    public static string Issue(string secret, string userId, string role, string? gemeente, TimeSpan lifetime, string? agb = null)
    {
        if (!Roles.All.Contains(role)) throw new ArgumentException($"Unknown role '{role}'; roles: {string.Join(", ", Roles.All)}.", nameof(role));
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Sub, userId), new("role", role) };
        if (gemeente is not null) claims.Add(new Claim(Caller.GemeenteClaim, gemeente));
        if (agb is not null) claims.Add(new Claim(Caller.AgbClaim, agb));
        var token = new JwtSecurityToken(Issuer, Audience, claims, DateTime.UtcNow, DateTime.UtcNow.Add(lifetime),
            new SigningCredentials(Key(secret), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
