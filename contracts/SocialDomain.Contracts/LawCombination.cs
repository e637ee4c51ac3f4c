namespace SocialDomain.Contracts;

/// <summary>The laws under which someone has provisions, as a set. CBS publishes the 7 non-empty combinations.</summary>
[Flags]
public enum LawSet
{
    None = 0,
    Jeugdwet = 1,
    Wmo = 2,
    Participatiewet = 4,
}

public static class LawSets
{
    public static LawSet ToSet(this Law law) => law switch
    {
        Law.Jeugdwet => LawSet.Jeugdwet,
        Law.Wmo => LawSet.Wmo,
        Law.Participatiewet => LawSet.Participatiewet,
        _ => throw new ArgumentOutOfRangeException(nameof(law)),
    };

    /// <summary>The CBS label of the combination, e.g. "Jeugd en P-wet".</summary>
    public static string CbsLabel(this LawSet set) => set switch
    {
        LawSet.None => "Geen",
        LawSet.Jeugdwet => "Alleen Jeugd",
        LawSet.Wmo => "Alleen Wmo",
        LawSet.Participatiewet => "Alleen P-wet",
        LawSet.Jeugdwet | LawSet.Wmo => "Jeugd en Wmo",
        LawSet.Jeugdwet | LawSet.Participatiewet => "Jeugd en P-wet",
        LawSet.Participatiewet | LawSet.Wmo => "P-wet en Wmo",
        _ => "Jeugd, P-wet en Wmo",
    };

    public static int LawCount(this LawSet set) => System.Numerics.BitOperations.PopCount((uint)set);
}
