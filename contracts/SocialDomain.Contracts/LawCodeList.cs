using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace SocialDomain.Contracts;

/// <summary>A code list per law, such as productcategorieën or redenen beëindiging: a code only means something within its law.</summary>
internal sealed class LawCodeList(string what, Dictionary<Law, Dictionary<string, string>> lists)
{
    private readonly FrozenDictionary<Law, FrozenDictionary<string, string>> _lists =
        lists.ToFrozenDictionary(l => l.Key, l => l.Value.ToFrozenDictionary());

    public IReadOnlyDictionary<string, string> Of(Law law) => _lists[law];

    public string this[Law law, string code] => _lists[law][code];

    /// <summary>The code's name, or the code itself when this list does not know it (a code list newer than this build).</summary>
    public string NameOrCode(Law law, string code) =>
        _lists.TryGetValue(law, out var list) && list.TryGetValue(code, out var name) ? name : code;

    public bool Contains(Law law, [NotNullWhen(true)] string? code, [NotNullWhen(false)] out string? error)
    {
        if (code is not null && _lists[law].ContainsKey(code))
        {
            error = null;
            return true;
        }
        error = $"'{code}' is not a {what} of the {law}; allowed: {string.Join(", ", _lists[law].Keys.Order())}.";
        return false;
    }
}
