using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SocialDomain.Contracts;

namespace SocialDomain.ServiceDefaults.Access;

/// <summary>The roles of the platform; what each may do is decided by <see cref="AccessPolicy"/> alone.</summary>
public static class Roles
{
    /// <summary>A municipal system: posts provisions and the household feed for its own gemeente, reads them back.</summary>
    public const string Aanleverancier = "aanleverancier";

    /// <summary>A care provider, identified by its AGB code: posts provisions and iJw/iWmo messages in its own name.</summary>
    public const string Aanbieder = "aanbieder";

    /// <summary>Coordinates the households of its gemeente it is assigned to; sees others only as far as a consent reaches.</summary>
    public const string Regisseur = "regisseur";

    /// <summary>Leads the regisseurs of a gemeente: lists its households, assigns, releases and transfers regie.</summary>
    public const string Teamleider = "teamleider";

    /// <summary>Aggregates only, never a BSN.</summary>
    public const string Statisticus = "statisticus";

    /// <summary>Runs the platform; reads the access log.</summary>
    public const string Beheerder = "beheerder";

    public static readonly string[] All = [Aanleverancier, Aanbieder, Regisseur, Teamleider, Statisticus, Beheerder];
}

/// <summary>Who is calling, from a validated access token.</summary>
/// <param name="Agb">A care provider's AGB code: the identity its iJw/iWmo messages must carry as Afzender.</param>
public sealed record Caller(string UserId, string Role, Gemeentecode? Gemeente, string? Agb = null)
{
    public const string GemeenteClaim = "gemeente";
    public const string AgbClaim = "agb";

    public bool Is(string role) => Role == role;

    public bool ServesGemeente(Gemeentecode gemeente) => Role == Roles.Beheerder || Gemeente == gemeente;

    /// <summary>
    /// The caller from the token's claims, under the names the host was configured with (<see cref="TokenClaims"/>).
    /// A token naming more than one platform role has none: which one it meant is not for the platform to guess.
    /// </summary>
    public static Caller From(HttpContext http)
    {
        var names = http.RequestServices.GetService<TokenClaims>() ?? TokenClaims.Default;
        var user = http.User;
        var roles = user.FindAll(names.Role).Select(c => c.Value).Where(Roles.All.Contains).Distinct().ToList();
        var gemeente = user.FindFirstValue(names.Gemeente);
        return new Caller(
            user.FindFirstValue(names.User) ?? "",
            roles.Count == 1 ? roles[0] : "",
            Gemeentecode.TryParse(gemeente, out var code, out _) ? code : null,
            user.FindFirstValue(names.Agb));
    }
}
