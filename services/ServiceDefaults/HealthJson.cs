using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SocialDomain.ServiceDefaults;

/// <summary>
/// The health endpoints' answer for machines: the overall status and, per check, its status, why, and its figures.
/// Degraded still answers 200 (the service works, slower or with parked work); unhealthy answers 503.
/// </summary>
public static class HealthJson
{
    public static Task Write(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data.Count > 0 ? e.Value.Data : null,
            }),
        }, JsonSerializerOptions.Web, http.RequestAborted);
    }
}
