using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using SocialDomain.Contracts;

namespace SocialDomain.ServiceDefaults.Access;

/// <summary>The roles of the platform (ARCHITECTURE.md section 6).</summary>
public static class Roles
{
    /// <summary>Posts events for its own gemeente: a municipal system or care provider.</summary>
    public const string Aanleverancier = "aanleverancier";

    /// <summary>Reads the households of its gemeente it is assigned to or let in by consent.</summary>
    public const string Regisseur = "regisseur";

    /// <summary>Aggregates only, never a BSN.</summary>
    public const string Statisticus = "statisticus";

    /// <summary>Runs the platform; reads the access log.</summary>
    public const string Beheerder = "beheerder";

    public static readonly string[] All = [Aanleverancier, Regisseur, Statisticus, Beheerder];
}

/// <summary>Who is calling, from a validated access token.</summary>
public sealed record Caller(string UserId, string Role, Gemeentecode? Gemeente)
{
    public const string GemeenteClaim = "gemeente";

    public bool Is(string role) => Role == role;

    public bool ServesGemeente(Gemeentecode gemeente) => Role == Roles.Beheerder || Gemeente == gemeente;

    public static Caller From(HttpContext http)
    {
        var user = http.User;
        var gemeente = user.FindFirstValue(GemeenteClaim);
        return new Caller(
            user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub") ?? "",
            user.FindFirstValue(ClaimTypes.Role) ?? "",
            Gemeentecode.TryParse(gemeente, out var code, out _) ? code : null);
    }
}
