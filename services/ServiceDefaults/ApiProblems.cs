using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace SocialDomain.ServiceDefaults;

/// <summary>A refused request: an RFC 9457 problem with per-field errors and, where the iStandaarden have one, a retourcode.</summary>
public sealed class ApiProblem(int status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null, string? retourcode = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();
    public string? Retourcode { get; } = retourcode;

    public static ApiProblem Invalid(string field, string message, string? retourcode = null) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] }, retourcode);

    public static ApiProblem Invalid(IReadOnlyDictionary<string, string[]> errors, string? retourcode = null) =>
        new(StatusCodes.Status400BadRequest, "Invalid request", "One or more fields are invalid; see errors.", errors, retourcode);

    public IResult ToResult()
    {
        var extensions = new Dictionary<string, object?>();
        if (Errors.Count > 0) extensions["errors"] = Errors;
        if (Retourcode is not null) extensions["retourcode"] = Retourcode;
        // The host's problem details customisation sets it from the request as well; this covers a host without one.
        if (System.Diagnostics.Activity.Current?.Id is { } traceId) extensions["traceId"] = traceId;
        return Results.Problem(detail: Message, statusCode: Status, title: Title, extensions: extensions);
    }
}

/// <summary>Collects field errors so one response names every invalid field at once.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new();

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public T? Required<T>(string field, T? value) where T : struct
    {
        if (value is null) Add(field, "This field is required.");
        return value;
    }

    /// <summary>How many fields have an error.</summary>
    public int Count => _errors.Count;

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void ThrowIfAny(string? retourcode = null)
    {
        if (_errors.Count > 0) throw ApiProblem.Invalid(ToDictionary(), retourcode);
    }
}

public static class JsonBody
{
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> Strict = new();

    /// <summary>
    /// Reads a JSON body with the API's conventions; malformed JSON becomes a 400 problem that names the field
    /// instead of the framework's bare 400. Stricter than the options given: a key sent twice is refused (parsers
    /// disagree on which one counts, so a proxy or log could read another request than the service), and a number
    /// sent as a string is refused, as a string sent as a number is (docs/api-input.md: <c>"01"</c> is not 1). A key
    /// the request does not have is refused too: a misspelt optional field would otherwise be dropped without a word.
    /// </summary>
    public static async Task<T> Read<T>(HttpRequest request, JsonSerializerOptions options) where T : class
    {
        if (!request.HasJsonContentType())
            throw new ApiProblem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send application/json.");
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, StrictOf(options), request.HttpContext.RequestAborted)
                   ?? throw ApiProblem.Invalid("$", "A JSON object is required.");
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "$" : ex.Path.TrimStart('$', '.');
            throw ApiProblem.Invalid(field, "Malformed JSON, a key sent twice, a key this request does not have, or a value of the wrong type" + (ex.LineNumber is { } line ? $" (line {line + 1})." : "."));
        }
    }

    private static JsonSerializerOptions StrictOf(JsonSerializerOptions options) =>
        Strict.GetValue(options, o => new JsonSerializerOptions(o)
        {
            AllowDuplicateProperties = false,
            NumberHandling = JsonNumberHandling.Strict,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        });

    /// <summary>Turns <see cref="ApiProblem"/>s thrown by a handler into problem responses.</summary>
    public static TBuilder WithProblems<TBuilder>(this TBuilder builder) where TBuilder : Microsoft.AspNetCore.Builder.IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (ApiProblem problem)
            {
                return problem.ToResult();
            }
        });
        return builder;
    }
}
