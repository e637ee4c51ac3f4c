using System.Numerics;

namespace SocialDomain.Contracts;

/// <summary>
/// The laws under which someone has provisions, as a set: bit i is the law at index i of <see cref="Laws"/>. CBS
/// publishes every non-empty combination. A law this process does not know adds nothing: its provision can be shown,
/// not counted.
/// </summary>
public readonly record struct LawSet(int Bits)
{
    public static readonly LawSet None = default;

    public static LawSet Of(Law law) => Laws.IndexOf(law) is var index and >= 0 ? new LawSet(1 << index) : None;

    public static LawSet operator |(LawSet a, LawSet b) => new(a.Bits | b.Bits);

    public static LawSet operator &(LawSet a, LawSet b) => new(a.Bits & b.Bits);

    public bool IsEmpty => Bits == 0;

    public bool Contains(Law law) => (Bits & Of(law).Bits) != 0;

    public int LawCount() => BitOperations.PopCount((uint)Bits);

    /// <summary>The laws in the set, in registration order.</summary>
    public IEnumerable<Law> Members()
    {
        for (var bits = (uint)Bits; bits != 0; bits &= bits - 1)
            yield return Contracts.Laws.All[BitOperations.TrailingZeroCount(bits)].Law;
    }

    /// <summary>The CBS label of the combination: "Geen", "Alleen Jeugd", "Jeugd en P-wet", "Jeugd, P-wet en Wmo".</summary>
    public string CbsLabel()
    {
        var labels = Members().Select(law => Contracts.Laws.Of(law).Kort).Order(StringComparer.Ordinal).ToList();
        return labels.Count switch
        {
            0 => "Geen",
            1 => "Alleen " + labels[0],
            _ => string.Join(", ", labels[..^1]) + " en " + labels[^1],
        };
    }
}

public static class LawSets
{
    public static LawSet ToSet(this Law law) => LawSet.Of(law);
}
