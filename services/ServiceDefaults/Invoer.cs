namespace SocialDomain.ServiceDefaults;

/// <summary>What a free-text field holds: one line (a name, an id) or a description that may span lines.</summary>
public enum TekstSoort
{
    /// <summary>One line of at most <see cref="Invoer.MaxRegel"/> characters: names, organisations, ids, recipients.</summary>
    Regel,

    /// <summary>At most <see cref="Invoer.MaxOmschrijving"/> characters; line breaks and tabs allowed.</summary>
    Omschrijving,
}

/// <summary>
/// The rules every request applies to its free text and its dates, so a field means the same on every endpoint
/// (docs/api-input.md). Text is what people read back on a screen or in an export: a character that is invisible
/// or reorders what is shown (control characters, bidirectional overrides, zero-width characters) can hide or
/// disguise content, and is refused rather than silently removed, so what is stored is exactly what was sent
/// less the surrounding white space.
/// </summary>
public static class Invoer
{
    public const int MaxRegel = 200;
    public const int MaxOmschrijving = 2000;

    /// <summary>The first and last day a date in a request may be: outside it a date is a typing error or a probe.</summary>
    public static readonly DateOnly EersteDatum = new(1900, 1, 1);

    public static readonly DateOnly LaatsteDatum = new(2100, 12, 31);

    /// <summary>
    /// The text to store (trimmed of surrounding white space), or null with the reason it is refused. An empty or
    /// all-white-space value is refused too: every free-text field of the API says something when present. A
    /// forbidden character is refused even at the edges (a name ending in a line break is refused, not trimmed).
    /// </summary>
    public static string? Tekst(string value, TekstSoort soort, out string? error)
    {
        // Checked before trimming: .NET trims U+0085 and U+2028 as white space, and they are refused wherever they stand.
        var text = value.Trim();
        var max = soort == TekstSoort.Regel ? MaxRegel : MaxOmschrijving;
        error = text.Length == 0 ? "This field is required."
            : Length(text) > max ? $"At most {max} characters."
            : Forbidden(value, soort) is { } reason ? reason
            : null;
        return error is null ? text : null;
    }

    /// <summary>Null when the date lies in the window; else why not.</summary>
    public static string? Datum(DateOnly date) =>
        date < EersteDatum || date > LaatsteDatum
            ? $"A date lies from {EersteDatum:yyyy-MM-dd} up to and including {LaatsteDatum:yyyy-MM-dd}."
            : null;

    /// <summary>Unicode scalar values, so a character outside the Basic Multilingual Plane counts once.</summary>
    private static int Length(string text)
    {
        var length = 0;
        foreach (var _ in text.EnumerateRunes()) length++;
        return length;
    }

    private static string? Forbidden(string text, TekstSoort soort)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) return "Contains a broken character (an unpaired surrogate).";
            if (c is '\n' or '\r' or '\t')
            {
                if (soort == TekstSoort.Regel) return "A single-line field takes no line break or tab.";
                continue;
            }
            if (char.IsControl(c)) return $"Contains a control character (U+{(int)c:X4}).";
            if (IsBidiControl(c)) return $"Contains a bidirectional control character (U+{(int)c:X4}), which changes how the text is shown.";
            if (IsInvisible(c)) return $"Contains an invisible character (U+{(int)c:X4}).";
        }
        return null;
    }

    private static bool IsBidiControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>Zero-width characters, the word joiner, the byte-order mark and the Unicode line and paragraph separators.</summary>
    private static bool IsInvisible(char c) => c is (>= '\u200B' and <= '\u200D') or '\u2060' or '\uFEFF' or '\u2028' or '\u2029';
}

/// <summary>The <see cref="Invoer"/> rules on a request's fields, each refusal under its field's name.</summary>
public static class InvoerFieldErrors
{
    /// <summary>The trimmed text; null when absent (an error if <paramref name="required"/>) or refused.</summary>
    public static string? Tekst(this FieldErrors errors, string field, string? value, TekstSoort soort, bool required = true)
    {
        if (value is null)
        {
            if (required) errors.Add(field, "This field is required.");
            return null;
        }
        var text = Invoer.Tekst(value, soort, out var error);
        if (error is not null) errors.Add(field, error);
        return text;
    }

    /// <summary>The date when it lies in the window; null when absent (an error if <paramref name="required"/>) or refused.</summary>
    public static DateOnly? Datum(this FieldErrors errors, string field, DateOnly? value, bool required = false)
    {
        if (value is not { } date)
        {
            if (required) errors.Add(field, "This field is required.");
            return null;
        }
        if (Invoer.Datum(date) is { } error)
        {
            errors.Add(field, error);
            return null;
        }
        return date;
    }
}
