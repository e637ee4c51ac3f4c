using System.Diagnostics.CodeAnalysis;

namespace SocialDomain.Contracts;

/// <summary>A code list of a law, such as its productcategorieën or redenen beëindiging: a code only means something within its law.</summary>
internal sealed class LawCodeList(string what, Func<LawDescription, IReadOnlyDictionary<string, string>> list)
{
    public IReadOnlyDictionary<string, string> Of(Law law) => list(Laws.Of(law));

    public string this[Law law, string code] => Of(law)[code];

    /// <summary>The code's name, or the code itself when this build does not know the law or the code (a newer code list).</summary>
    public string NameOrCode(Law law, string code) =>
        Laws.TryDescribe(law, out var description) && list(description).TryGetValue(code, out var name) ? name : code;

    public bool Contains(Law law, [NotNullWhen(true)] string? code, [NotNullWhen(false)] out string? error)
    {
        if (!Laws.TryDescribe(law, out var description))
        {
            error = $"The {law} is not a law this build knows.";
            return false;
        }
        var codes = list(description);
        if (code is not null && codes.ContainsKey(code))
        {
            error = null;
            return true;
        }
        error = $"'{code}' is not a {what} of the {law}; allowed: {string.Join(", ", codes.Keys.Order(StringComparer.Ordinal))}.";
        return false;
    }
}
