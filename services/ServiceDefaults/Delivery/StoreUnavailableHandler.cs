using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace SocialDomain.ServiceDefaults.Delivery;

/// <summary>
/// A request that fails because the service cannot reach its store is answered 503 with a Retry-After, not 500: the
/// request was fine, and sending it again later is the right thing to do. A write whose commit was cut off may have
/// been stored after all; sent again, a start then answers that its key was received before (9074).
/// </summary>
public sealed class StoreUnavailableHandler : IExceptionHandler
{
    private const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (!Failures.IsTransient(exception)) return false;
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = $"The service cannot reach its store just now; send the request again in {RetryAfterSeconds} seconds.",
            },
        });
        return true;
    }
}
