using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SocialDomain.Contracts;

/// <summary>A CBS district code: "WK", the four-digit gemeentecode and a two-digit district number (WK036301).</summary>
[JsonConverter(typeof(WijkCodeJsonConverter))]
public readonly record struct WijkCode
{
    public string Value { get; }

    public Gemeentecode Gemeente => Gemeentecode.Parse(Value.Substring(2, 4));

    private WijkCode(string value) => Value = value;

    public static WijkCode Parse(string value) =>
        TryParse(value, out var code, out var error) ? code : throw new FormatException(error);

    public static bool TryParse(string? value, out WijkCode code, [NotNullWhen(false)] out string? error)
    {
        code = default;
        if (value is not { Length: 8 } || !value.StartsWith("WK", StringComparison.Ordinal)
            || value.AsSpan(2).ContainsAnyExceptInRange('0', '9') || !Gemeentecode.IsValid(value.AsSpan(2, 4)))
        {
            error = "A wijkcode is 'WK' followed by the gemeentecode and two digits, such as WK036301.";
            return false;
        }
        code = new WijkCode(value);
        error = null;
        return true;
    }

    public override string ToString() => Value;
}

internal sealed class WijkCodeJsonConverter : JsonConverter<WijkCode>
{
    public override WijkCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        WijkCode.TryParse(reader.GetString(), out var code, out var error) ? code : throw new JsonException(error);

    public override void Write(Utf8JsonWriter writer, WijkCode value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
