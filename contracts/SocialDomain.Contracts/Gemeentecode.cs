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
        if (!IsValid(value))
        {
            error = "A gemeentecode is the four-digit CBS code, such as 0363.";
            return false;
        }
        code = new Gemeentecode(value!);
        error = null;
        return true;
    }

    internal static bool IsValid(ReadOnlySpan<char> value) =>
        value.Length == 4 && !value.ContainsAnyExceptInRange('0', '9') && !value.SequenceEqual("0000");

    /// <summary>
    /// One instance per code, for readers of whole logs: every event names its gemeente, and there are only a few
    /// hundred. A code is a number below 10,000, so the cache is an array; filling a slot twice is harmless.
    /// </summary>
    private static readonly string?[] Known = new string?[10_000];

    internal static bool TryParseUtf8(ReadOnlySpan<byte> utf8, out Gemeentecode code)
    {
        code = default;
        Span<char> chars = stackalloc char[4];
        if (utf8.Length != 4 || System.Text.Encoding.ASCII.GetChars(utf8, chars) != 4 || !IsValid(chars)) return false;
        code = new Gemeentecode(Known[int.Parse(chars, System.Globalization.CultureInfo.InvariantCulture)] ??= new string(chars));
        return true;
    }

    public override string ToString() => Value;
}

internal sealed class GemeentecodeJsonConverter : JsonConverter<Gemeentecode>
{
    public override Gemeentecode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped
            && Gemeentecode.TryParseUtf8(reader.ValueSpan, out var known))
            return known;
        return Gemeentecode.TryParse(reader.GetString(), out var code, out var error) ? code : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, Gemeentecode value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
