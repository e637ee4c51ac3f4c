using Microsoft.AspNetCore.Http;

namespace SocialDomain.ServiceDefaults.Access;

/// <summary>What became of a read of personal data, as the access log writes it.</summary>
public static class Uitkomsten
{
    public const string Toegestaan = "toegestaan";

    /// <summary>Refused with a 403: the caller may know the thing exists, but may not read it.</summary>
    public const string Geweigerd = "geweigerd";

    /// <summary>Answered 404: the thing is not there, or not there for this caller.</summary>
    public const string NietGevonden = "niet gevonden";
}

/// <summary>
/// A read that is refused leaves a trace as well as one that is answered: someone looking for a person they have
/// no relation to is exactly what the access log is for. The handler names what it reads as soon as it knows,
/// before anything may refuse it; a 403 or 404 after that is written to the log with its outcome.
/// </summary>
public static class RefusedReads
{
    private sealed record Read(string Resource, string? Bsn, Guid? HouseholdId);

    private static readonly object Key = new();

    /// <summary>Names what this request reads; a later call names it more precisely (once the BSN is known).</summary>
    public static void Reads(this HttpContext http, string resource, string? bsn = null, Guid? householdId = null) =>
        http.Items[Key] = new Read(resource, bsn, householdId);

    /// <summary>Writes a refusal (403 or 404) of the read the handler named to the access log, then lets it be answered as usual.</summary>
    public static TBuilder RecordsRefusedReads<TBuilder>(this TBuilder builder) where TBuilder : Microsoft.AspNetCore.Builder.IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (ApiProblem problem) when (problem.Status is StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound
                                             && context.HttpContext.Items[Key] is Read read)
            {
                await context.HttpContext.RecordAccess(read.Resource, read.Bsn, read.HouseholdId,
                    problem.Status == StatusCodes.Status403Forbidden ? Uitkomsten.Geweigerd : Uitkomsten.NietGevonden);
                throw;
            }
        });
        return builder;
    }
}
