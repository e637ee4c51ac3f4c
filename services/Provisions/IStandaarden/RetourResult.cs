using System.Reflection;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace SocialDomain.Provisions.IStandaarden;

/// <summary>
/// A retour message as an endpoint's answer. A typed result, so the API contract learns the answer's status and
/// media type from the handler's return type rather than from a separate declaration that could drift.
/// </summary>
public sealed class RetourResult(XDocument retour) : IResult, IEndpointMetadataProvider
{
    public XDocument Retour { get; } = retour;

    public Task ExecuteAsync(HttpContext httpContext) =>
        Results.Text(Retour.ToString(SaveOptions.None), "application/xml", Encoding.UTF8).ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["application/xml"]));
}
