using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SocialDomain.Contracts;

/// <summary>Burgerservicenummer: nine digits that pass the 11-proef.</summary>
[JsonConverter(typeof(BsnJsonConverter))]
public readonly record struct Bsn
{
    public string Value { get; }

    private Bsn(string value) => Value = value;

    public static Bsn Parse(string value) =>
        TryParse(value, out var bsn, out var error) ? bsn : throw new FormatException(error);

    public static bool TryParse(string? value, out Bsn bsn, [NotNullWhen(false)] out string? error)
    {
        bsn = default;
        if (string.IsNullOrEmpty(value) || value.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            error = "A BSN consists of 8 or 9 digits.";
            return false;
        }
        // Older registrations drop the leading zero of an 8-digit number.
        var digits = value.Length == 8 ? "0" + value : value;
        if (digits.Length != 9)
        {
            error = "A BSN consists of 8 or 9 digits.";
            return false;
        }
        var sum = 0;
        for (var i = 0; i < 8; i++) sum += (9 - i) * (digits[i] - '0');
        sum -= digits[8] - '0';
        if (sum % 11 != 0 || digits == "000000000")
        {
            error = "The BSN fails the 11-proef.";
            return false;
        }
        bsn = new Bsn(digits);
        error = null;
        return true;
    }

    public override string ToString() => Value;
}

internal sealed class BsnJsonConverter : JsonConverter<Bsn>
{
    public override Bsn Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Bsn.TryParse(reader.GetString(), out var bsn, out var error) ? bsn : throw new JsonException(error);

    public override void Write(Utf8JsonWriter writer, Bsn value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
