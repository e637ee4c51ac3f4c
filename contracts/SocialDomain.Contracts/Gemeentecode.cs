using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SocialDomain.Contracts;

/// <summary>The four-digit CBS code of a municipality, such as 0363 for Amsterdam.</summary>
[JsonConverter(typeof(GemeentecodeJsonConverter))]
public readonly record struct Gemeentecode
{
    public string Value { get; }

    private Gemeentecode(string value) => Value = value;

    public static Gemeentecode Parse(string value) =>
        TryParse(value, out var code, out var error) ? code : throw new FormatException(error);

    public static bool TryParse(string? value, out Gemeentecode code, [NotNullWhen(false)] out string? error)
    {
        code = default;
        if (value is not { Length: 4 } || !value.All(char.IsAsciiDigit) || value == "0000")
        {
            error = "A gemeentecode is the four-digit CBS code, such as 0363.";
            return false;
        }
        code = new Gemeentecode(value);
        error = null;
        return true;
    }

    public override string ToString() => Value;
}

internal sealed class GemeentecodeJsonConverter : JsonConverter<Gemeentecode>
{
    public override Gemeentecode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Gemeentecode.TryParse(reader.GetString(), out var code, out var error) ? code : throw new JsonException(error);

    public override void Write(Utf8JsonWriter writer, Gemeentecode value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
