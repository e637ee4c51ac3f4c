using System.Text.Json;
using System.Text.Json.Serialization;

namespace SocialDomain.Contracts;

/// <summary>
/// A law of the social domain, by its name as events carry it. Which laws exist is not known here: each law registers its
/// <see cref="LawDescription"/> with <see cref="Laws"/>. On the wire a law is its plain name.
/// </summary>
[JsonConverter(typeof(LawJsonConverter))]
public readonly record struct Law : IComparable<Law>
{
    public Law(string name) => Name = IsValidName(name) ? name : throw new ArgumentException($"'{name}' is not a law's name: 1 to 40 letters.", nameof(name));

    public string Name { get; }

    public static bool IsValidName(string? name) => name is { Length: >= 1 and <= 40 } && name.All(char.IsAsciiLetter);

    /// <summary>Registered laws in registration order, then laws this build does not know, by name.</summary>
    public int CompareTo(Law other)
    {
        var (mine, theirs) = (Laws.IndexOf(this), Laws.IndexOf(other));
        if (mine >= 0 && theirs >= 0) return mine.CompareTo(theirs);
        if (mine >= 0 || theirs >= 0) return mine >= 0 ? -1 : 1;
        return string.CompareOrdinal(Name, other.Name);
    }

    public override string ToString() => Name;
}

internal sealed class LawJsonConverter : JsonConverter<Law>
{
    /// <summary>A registered law is matched on the UTF-8 in place: readers of whole logs meet one in every event.</summary>
    public override Law Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
            foreach (var described in Laws.All)
                if (reader.ValueTextEquals(described.Law.Name)) return described.Law;
        return Parse(reader.GetString());
    }

    public override void Write(Utf8JsonWriter writer, Law value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);

    public override Law ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString());

    public override void WriteAsPropertyName(Utf8JsonWriter writer, Law value, JsonSerializerOptions options) => writer.WritePropertyName(value.Name);

    private static Law Parse(string? name) => Law.IsValidName(name) ? new Law(name!) : throw new JsonException($"'{name}' is not a law's name.");
}
