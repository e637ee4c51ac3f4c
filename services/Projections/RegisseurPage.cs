using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.Projections;

/// <summary>
/// The regisseur's workplace (docs/regisseur.md): a page of three files that holds no data of its own and asks the API
/// with the caller's token, and what it needs to log in. With an OpenID Connect issuer configured the page logs in with
/// the authorization code flow and PKCE; this host looks up the issuer's endpoints and redeems the code for it, so the
/// page talks to its own origin only (its Content-Security-Policy allows nothing else). Logging out ends the session at
/// the issuer too when it has an end-session endpoint: on a shared computer the next user would otherwise be let in
/// as the last one without a password. Without an issuer, in Development only, the page takes a pasted development token.
/// </summary>
public static class RegisseurPage
{
    public const string Path = "/regisseur";

    private static readonly (string Route, string Resource, string ContentType)[] Files =
    [
        (Path, "regisseur.html", "text/html; charset=utf-8"),
        (Path + "/regisseur.css", "regisseur.css", "text/css; charset=utf-8"),
        (Path + "/regisseur.js", "regisseur.js", "text/javascript; charset=utf-8"),
    ];

    /// <summary>How the page logs in: <c>oidc</c>, <c>token</c> (Development without an issuer) or <c>geen</c> (not set up: <see cref="Reden"/>).</summary>
    public sealed record Config(
        string Aanmelden,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthorizationEndpoint = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientId = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Scope = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reden = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EndSessionEndpoint = null);

    public sealed record TokenRequest(string? Code, string? CodeVerifier, string? RedirectUri);

    /// <param name="IdToken">The issuer's ID token, when it sent one: the page hands it back when it logs out at the issuer.</param>
    public sealed record TokenResponse(string AccessToken, int? ExpiresIn,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdToken = null);

    /// <summary>Who the token says the caller is, under the claim names this host was configured with.</summary>
    public sealed record Session(string Gebruiker, string Rol, string? Gemeente);

    public static void MapRegisseurPage(this IEndpointRouteBuilder app)
    {
        foreach (var (route, resource, contentType) in Files)
            app.MapGet(route, () => Results.Stream(typeof(RegisseurPage).Assembly.GetManifestResourceStream(resource)!, contentType))
                .AllowAnonymous()
                .ExcludeFromDescription();

        app.MapGet(Path + "/config", async (IConfiguration configuration, IHostEnvironment environment,
                IOptionsMonitor<JwtBearerOptions> bearer, CancellationToken ct) =>
            {
                if (configuration["Auth:Authority"] is not { Length: > 0 })
                    return Results.Json(environment.IsDevelopment()
                        ? new Config("token")
                        : new Config("geen", Reden: "Er is geen OpenID Connect-aanbieder ingesteld (Auth__Authority, Auth__Audience en Auth__ClientId)."));
                if (configuration["Auth:ClientId"] is not { Length: > 0 } clientId)
                    return Results.Json(new Config("geen", Reden: "Auth__ClientId is niet ingesteld: de pagina weet niet onder welke naam zij zich aanmeldt."));
                var issuer = await Issuer(bearer, ct);
                return issuer is null
                    ? Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Identity provider unreachable",
                        detail: "The identity provider's discovery document could not be read.")
                    : Results.Json(new Config("oidc", issuer.AuthorizationEndpoint, clientId, configuration["Auth:Scope"] is { Length: > 0 } scope ? scope : "openid",
                        EndSessionEndpoint: string.IsNullOrEmpty(issuer.EndSessionEndpoint) ? null : issuer.EndSessionEndpoint));
            })
            .AllowAnonymous()
            .ExcludeFromDescription();

        app.MapPost(Path + "/token", async (TokenRequest request, IConfiguration configuration, IOptionsMonitor<JwtBearerOptions> bearer,
                CancellationToken ct) =>
            {
                if (configuration["Auth:ClientId"] is not { Length: > 0 } clientId || await Issuer(bearer, ct) is not { } issuer)
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No identity provider",
                        detail: "This host logs in with a pasted token, not with an identity provider.");
                if (string.IsNullOrEmpty(request.Code) || string.IsNullOrEmpty(request.CodeVerifier) || string.IsNullOrEmpty(request.RedirectUri))
                    return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request",
                        detail: "code, codeVerifier and redirectUri are required.");
                // The issuer checks the verifier against the challenge the page sent with the authorization request.
                using var answer = await bearer.Get(JwtBearerDefaults.AuthenticationScheme).Backchannel.PostAsync(issuer.TokenEndpoint,
                    new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["grant_type"] = "authorization_code",
                        ["code"] = request.Code,
                        ["redirect_uri"] = request.RedirectUri,
                        ["client_id"] = clientId,
                        ["code_verifier"] = request.CodeVerifier,
                    }), ct);
                var body = Json(await answer.Content.ReadAsStringAsync(ct));
                if (!answer.IsSuccessStatusCode || !body.TryGetProperty("access_token", out var token) || token.ValueKind != JsonValueKind.String)
                    return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Login refused",
                        detail: $"The identity provider did not issue a token ({(body.TryGetProperty("error", out var error) ? error.ToString() : answer.StatusCode.ToString())}).");
                return Results.Json(new TokenResponse(token.GetString()!,
                    body.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var seconds) ? seconds : null,
                    body.TryGetProperty("id_token", out var idToken) && idToken.ValueKind == JsonValueKind.String ? idToken.GetString() : null));
            })
            .AllowAnonymous()
            .ExcludeFromDescription();

        app.MapGet(Path + "/sessie", (HttpContext http) =>
            {
                var caller = Caller.From(http);
                return new Session(caller.UserId, caller.Role, caller.Gemeente?.Value);
            })
            .ExcludeFromDescription();
    }

    /// <summary>The identity provider's answer as a JSON object; an empty one when it is not (an error page, say).</summary>
    private static JsonElement Json(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document.RootElement.Clone();
        }
        catch (JsonException)
        {
        }
        using var empty = JsonDocument.Parse("{}");
        return empty.RootElement.Clone();
    }

    /// <summary>The issuer's endpoints from its discovery document, as the bearer scheme reads and caches it; null while it cannot be read.</summary>
    private static async Task<Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration?> Issuer(
        IOptionsMonitor<JwtBearerOptions> bearer, CancellationToken ct)
    {
        if (bearer.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager is not { } manager) return null;
        try
        {
            return await manager.GetConfigurationAsync(ct);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
