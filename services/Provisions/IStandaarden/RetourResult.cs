using System.Reflection;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace SocialDomain.Provisions.IStandaarden;

/// <summary>
/// A retour message as an endpoint's answer. A typed result, so the API contract learns the answer's status and
/// media type from the handler's return type rather than from a separate declaration that could drift.
/// </summary>
public sealed class RetourResult : IResult, IEndpointMetadataProvider
{
    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) };

    private readonly MemoryStream _utf8 = new();

    /// <summary>
    /// Writes <paramref name="retour"/> as UTF-8 at once, without indentation (a retour of 5,000 products is 1.3 MB
    /// instead of 1.8), so an endpoint can make its answer on another thread before it sends it.
    /// </summary>
    public RetourResult(XDocument retour)
    {
        using var writer = XmlWriter.Create(_utf8, Settings);
        retour.Save(writer);
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = "application/xml; charset=utf-8";
        httpContext.Response.ContentLength = _utf8.Length;
        return httpContext.Response.Body.WriteAsync(_utf8.GetBuffer().AsMemory(0, (int)_utf8.Length), httpContext.RequestAborted).AsTask();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["application/xml"]));
}
