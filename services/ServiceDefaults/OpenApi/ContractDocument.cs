using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Configuration;
using Microsoft.OpenApi;

namespace SocialDomain.ServiceDefaults.OpenApi;

/// <summary>
/// Makes the generated document the contract: what the endpoints declare (their results, bodies and Dutch
/// descriptions) plus what every endpoint shares and so is written once here: the token, the refusals of the edge
/// (docs/api-edge.md), the problem schema, the <c>API-Version</c> header, and the words of <see cref="ContractText"/>.
/// Paths are relative to the one server, <c>/api/v1</c>, as the NL API Design Rules put the major version there.
/// </summary>
public static class ContractDocument
{
    public const string BearerScheme = "bearer";
    public const string OidcScheme = "oidc";
    public const string ProblemSchema = "Problem";
    public const string VersionHeader = "API-Version";
    public const string ProblemJson = "application/problem+json";

    public static void Configure(OpenApiOptions options, IConfiguration configuration)
    {
        var authority = configuration["Auth:Authority"];
        options.AddOperationTransformer((operation, context, _) =>
        {
            Refusals(operation, context);
            return Task.CompletedTask;
        });
        options.AddDocumentTransformer((document, _, _) =>
        {
            Describe(document, string.IsNullOrWhiteSpace(authority) ? null : authority);
            return Task.CompletedTask;
        });
    }

    /// <summary>The statuses every endpoint of a kind can answer, whatever its handler does.</summary>
    private static void Refusals(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        operation.Responses ??= [];
        void Add(int status) => operation.Responses.TryAdd(status.ToString(), new OpenApiResponse());
        if (operation.RequestBody is not null || operation.Parameters is { Count: > 0 })
            Add(StatusCodes.Status400BadRequest); // invalid input; on any path also a control character in it (the edge)
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
            }];
            Add(StatusCodes.Status401Unauthorized);
            // Every secured endpoint asks the access policy, which refuses some role each action.
            Add(StatusCodes.Status403Forbidden);
        }
        if (operation.RequestBody is not null)
        {
            Add(StatusCodes.Status413PayloadTooLarge);
            Add(StatusCodes.Status415UnsupportedMediaType);
        }
        if (context.Description.HttpMethod is not ("GET" or "HEAD"))
            Add(StatusCodes.Status429TooManyRequests); // the edge's rate limit on writes
    }

    private static void Describe(OpenApiDocument document, string? authority)
    {
        document.Info.Title = "Sociaal Domein Platform";
        document.Info.Version = HostingExtensions.ApiVersion;
        document.Info.Description =
            "De API van het Sociaal Domein Platform: voorzieningen onder de Participatiewet, de Wmo 2015 en de Jeugdwet, " +
            "huishoudens met hun regisseur en plan, en het overzicht van een huishouden over de wetten heen. Elk verzoek " +
            "vraagt een toegangstoken (Authorization: Bearer); elke weigering is application/problem+json. " +
            "Wijzigingen staan in docs/changelog.md.";
        document.Info.Contact = new OpenApiContact
        {
            Name = "Team Sociaal Domein Platform",
            Email = "sociaal-domein-platform@gemeente.example.nl",
            Url = new Uri("https://github.com/sociaal-domein-platform/platform/tree/main/docs"),
        };
        document.Info.License = new OpenApiLicense { Name = "EUPL-1.2", Identifier = "EUPL-1.2" };
        document.Servers = [new OpenApiServer { Url = HostingExtensions.BasePath, Description = "Deze omgeving, versie 1 van de API" }];

        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.Remove("ProblemDetails");
        document.Components.Schemas[ProblemSchema] = Problem();
        document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        document.Components.Headers[VersionHeader] = new OpenApiHeader
        {
            Description = "De volledige versie van de API die antwoordde.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Examples = [HostingExtensions.ApiVersion] },
        };
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "Een toegangstoken (JWT) van de identity provider van de gemeente, of in ontwikkeling van het token-commando.",
        };
        if (authority is not null)
            document.Components.SecuritySchemes[OidcScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.OpenIdConnect,
                OpenIdConnectUrl = new Uri(authority.TrimEnd('/') + "/.well-known/openid-configuration"),
                Description = "Inloggen bij de identity provider van de gemeente (OpenID Connect).",
            };

        var paths = new OpenApiPaths();
        var tags = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (path, item) in document.Paths)
        {
            paths[path.StartsWith(HostingExtensions.BasePath + "/", StringComparison.Ordinal) ? path[HostingExtensions.BasePath.Length..] : path] = item;
            foreach (var operation in item.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            {
                Operation(document, operation, authority is not null);
                foreach (var tag in operation.Tags ?? Enumerable.Empty<OpenApiTagReference>()) if (tag.Name is { } name) tags.Add(name);
            }
        }
        document.Paths = paths;
        document.Tags = new HashSet<OpenApiTag>(tags.Select(name => new OpenApiTag { Name = name, Description = TagText(name) }));

        foreach (var (name, schema) in document.Components.Schemas)
            if (schema is OpenApiSchema concrete) Schema(name, concrete);
    }

    private static void Operation(OpenApiDocument document, OpenApiOperation operation, bool oidc)
    {
        if (oidc && operation.Security is { Count: > 0 })
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OidcScheme, document)] = [] });
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if ((ContractText.Parameters.GetValueOrDefault(parameter.Name!) ?? ContractText.Velden.GetValueOrDefault(parameter.Name!)) is not { } text)
                continue;
            parameter.Description = text.Beschrijving;
            parameter.Example = text.Voorbeeld?.DeepClone();
        }
        if (operation.RequestBody is OpenApiRequestBody body)
            foreach (var (type, media) in body.Content ?? new Dictionary<string, OpenApiMediaType>())
            {
                if (media.Schema is OpenApiSchemaReference { Reference.Id: { } id } && document.Components!.Schemas!.TryGetValue(id, out var schema))
                {
                    body.Description = ContractText.Schemas.GetValueOrDefault(id) ?? "De gegevens van het verzoek.";
                    media.Example = Example(document, id, schema);
                }
                else if (type is "application/xml")
                {
                    body.Description = "Een iJw- of iWmo-bericht (305 of 307) als XML volgens het XSD van de iStandaard.";
                    media.Example = "<JW305 xmlns=\"http://www.istandaarden.nl/ijw/3_2/jw305/schema\">…</JW305>";
                }
            }
        foreach (var (code, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse concrete) continue;
            concrete.Description = ResponseText(code);
            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers[VersionHeader] = new OpenApiHeaderReference(VersionHeader, document);
            if (code.StartsWith('4') || code.StartsWith('5'))
                concrete.Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemJson] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
                };
        }
    }

    /// <summary>An example body from the properties' examples: the nested schemas' too, one item for a list.</summary>
    private static JsonNode? Example(OpenApiDocument document, string id, IOpenApiSchema schema, int depth = 0)
    {
        if (depth > 4 || schema.Properties is null) return null;
        var example = new JsonObject();
        foreach (var (property, propertySchema) in schema.Properties)
        {
            var text = ContractText.Velden.GetValueOrDefault($"{id}.{property}") ?? ContractText.Velden.GetValueOrDefault(property);
            if (text?.Voorbeeld is { } value) example[property] = value.DeepClone();
            else if (Referenced(propertySchema) is { } nested && document.Components!.Schemas!.TryGetValue(nested, out var nestedSchema)
                     && Example(document, nested, nestedSchema, depth + 1) is { } item)
                example[property] = propertySchema.Items is null ? item : new JsonArray(item);
            else if (property == "wetten") example[property] = new JsonArray("Wmo", "Jeugdwet");
        }
        return example;
    }

    private static string? Referenced(IOpenApiSchema schema) =>
        (schema as OpenApiSchemaReference ?? schema.Items as OpenApiSchemaReference)?.Reference.Id;

    private static void Schema(string name, OpenApiSchema schema)
    {
        if (ContractText.Schemas.TryGetValue(name, out var description)) schema.Description ??= description;
        if (schema.Properties is null) return;
        if (ContractText.Verplicht.TryGetValue(name, out var required))
        {
            schema.Required = new HashSet<string>(required);
            // A required field may not be null either: null is refused as missing.
            foreach (var field in required)
                if (schema.Properties.TryGetValue(field, out var property) && property is OpenApiSchema { Type: { } type } concrete)
                    concrete.Type = type & ~JsonSchemaType.Null;
        }
        foreach (var (property, propertySchema) in schema.Properties)
        {
            var text = ContractText.Velden.GetValueOrDefault($"{name}.{property}") ?? ContractText.Velden.GetValueOrDefault(property);
            if (text is null) continue;
            switch (propertySchema)
            {
                case OpenApiSchema concrete:
                    concrete.Description = text.Beschrijving;
                    if (text.Voorbeeld is not null && concrete.Properties is null && concrete.Items is null) concrete.Examples = [text.Voorbeeld.DeepClone()];
                    break;
                case OpenApiSchemaReference reference:
                    reference.Description = text.Beschrijving;
                    break;
            }
        }
    }

    /// <summary>
    /// RFC 9457's members (what the NL API Design Rules check: <c>status</c>, <c>title</c> and <c>detail</c> always)
    /// and the platform's own beside them, so a client reads both from one schema.
    /// </summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = ContractText.Schemas[ProblemSchema],
        AllOf =
        [
            new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "status", "title", "detail" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["type"] = Text("URI die het soort probleem aanduidt.", JsonSchemaType.String, "https://tools.ietf.org/html/rfc9110#section-15.5.1", "uri"),
                    ["title"] = Text("Korte omschrijving van het soort probleem.", JsonSchemaType.String, "Invalid request"),
                    ["status"] = Text("De HTTP-statuscode.", JsonSchemaType.Integer, 400, "int32"),
                    ["detail"] = Text("Uitleg van dit geval.", JsonSchemaType.String, "One or more fields are invalid; see errors."),
                    ["instance"] = Text("URI van dit geval, wanneer er een is.", JsonSchemaType.String, "/api/v1/wmo/provisions", "uri-reference"),
                },
            },
            new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["traceId"] = Text("W3C-trace-id van het verzoek, om te noemen bij een melding.", JsonSchemaType.String,
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                    ["errors"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Description = "Per geweigerd veld (zoals records[3].begindatum) de redenen; de waarde zelf wordt nooit herhaald.",
                        AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                        Examples = [new JsonObject { ["bsn"] = new JsonArray("The BSN fails the 11-proef.") }],
                    },
                    ["retourcode"] = Text("Retourcode van de iStandaarden (zoals 9069), wanneer de weigering er een heeft.", JsonSchemaType.String, "9069"),
                },
            },
        ],
    };

    private static OpenApiSchema Text(string description, JsonSchemaType type, JsonNode example, string? format = null) =>
        new() { Type = type, Description = description, Examples = [example], Format = format };

    private static string ResponseText(string code) => code switch
    {
        "200" => "Gelukt.",
        "201" => "Aangemaakt; Location wijst waar het te zien is.",
        "204" => "Gelukt, zonder inhoud.",
        "400" => "Ongeldige invoer: errors noemt elk geweigerd veld. Nergens is iets van opgeslagen.",
        "401" => "Geen geldig toegangstoken (WWW-Authenticate: Bearer).",
        "403" => "Het toegangsbeleid staat dit de vrager niet toe.",
        "404" => "Niet gevonden, of niet zichtbaar voor de vrager.",
        "409" => "In strijd met wat er al is (een regel van de iStandaarden met retourcode, of een gelijktijdige wijziging).",
        "413" => "De body is groter dan de grens (docs/api-edge.md).",
        "415" => "De body heeft niet het gevraagde mediatype.",
        "429" => "Te veel schrijfverzoeken van deze vrager; Retry-After zegt na hoeveel seconden weer.",
        _ => "Antwoord.",
    };

    private static string TagText(string tag) => tag switch
    {
        "Huishoudens" => "Huishoudens: leden, regisseur, plan, betrokkenen en toestemmingen, en het overzicht van een huishouden over de wetten heen.",
        "Stapeling" => "De voorzieningen van één persoon over de wetten heen op een datum.",
        "Toegang" => "Het inzagelog: wie welke persoonsgegevens inzag, wanneer, waarom en met welke uitkomst.",
        _ => $"Voorzieningen onder de {tag}: starts, stops, berichten en hun geschiedenis.",
    };
}
