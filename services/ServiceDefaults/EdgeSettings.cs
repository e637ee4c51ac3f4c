using Microsoft.Extensions.Configuration;

namespace SocialDomain.ServiceDefaults;

/// <summary>
/// The limits and policies of the HTTP edge (docs/api-edge.md): <c>Limits:JsonBodyBytes</c>, <c>Limits:XmlBodyBytes</c>,
/// <c>Limits:UrlLength</c>, <c>Cors:AllowedOrigins</c> (a list; none means no CORS headers) and
/// <c>RateLimiting:WritesPerMinute</c> (per caller, on POST/PUT/PATCH/DELETE under /api/v1).
/// </summary>
public sealed record EdgeSettings(long JsonBodyBytes, long XmlBodyBytes, int UrlLength, IReadOnlyList<string> AllowedOrigins, int WritesPerMinute)
{
    /// <summary>1 MiB: a batch of several thousand records fits.</summary>
    public const long DefaultJsonBodyBytes = 1024 * 1024;

    /// <summary>10 MiB, the iStandaard messages' own limit (IStandaardBericht.DefaultMaxBytes).</summary>
    public const long DefaultXmlBodyBytes = 10 * 1024 * 1024;

    /// <summary>Path and query together, in bytes as sent.</summary>
    public const int DefaultUrlLength = 4096;

    public const int DefaultWritesPerMinute = 600;

    /// <summary>
    /// What Kestrel itself allows in a request line. It refuses longer ones before any middleware runs, as a problem with
    /// only its own reason (<see cref="KestrelRefusals"/>), so it is set well above <see cref="UrlLength"/>: everything
    /// in between gets the service's 414, which names the documented limit.
    /// </summary>
    public const int KestrelRequestLineBytes = 64 * 1024;

    /// <summary>
    /// Up to this size a body refused for its announced length is read and discarded, so that the client reads the 413;
    /// a larger one closes the connection (the client sees a reset).
    /// </summary>
    public const long DiscardBodyBytes = 128 * 1024 * 1024;

    public static EdgeSettings From(IConfiguration configuration)
    {
        var settings = new EdgeSettings(
            configuration.GetValue("Limits:JsonBodyBytes", DefaultJsonBodyBytes),
            configuration.GetValue("Limits:XmlBodyBytes", DefaultXmlBodyBytes),
            configuration.GetValue("Limits:UrlLength", DefaultUrlLength),
            Origins(configuration.GetSection("Cors:AllowedOrigins")),
            configuration.GetValue("RateLimiting:WritesPerMinute", DefaultWritesPerMinute));
        if (settings.JsonBodyBytes <= 0 || settings.XmlBodyBytes <= 0)
            throw new PlatformConfigurationException(["Limits:JsonBodyBytes and Limits:XmlBodyBytes must be positive."]);
        if (settings.UrlLength is <= 0 or >= KestrelRequestLineBytes - 16)
            throw new PlatformConfigurationException([$"Limits:UrlLength must lie between 1 and {KestrelRequestLineBytes - 16}."]);
        if (settings.WritesPerMinute <= 0)
            throw new PlatformConfigurationException(["RateLimiting:WritesPerMinute must be positive."]);
        return settings;
    }

    /// <summary>A list (<c>Cors__AllowedOrigins__0</c>, ...) or one value separated by commas.</summary>
    private static string[] Origins(IConfigurationSection section) =>
        [.. (section.Value is { } value ? value.Split(',') : section.Get<string[]>() ?? [])
            .Select(o => o.Trim().TrimEnd('/')).Where(o => o.Length > 0)];
}
