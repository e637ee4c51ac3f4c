namespace SocialDomain.Provisions.IStandaarden;

/// <summary>
/// The whole message is refused (retourcode 0001): too large, not well-formed, a DTD, a message of another law or
/// standaard, or not valid against its XSD. The reasons are meant for the sender and for logs: they name elements,
/// lines and positions, never a value from the message (no BSN, no name).
/// </summary>
public sealed class BerichtAfgekeurd : Exception
{
    public BerichtAfgekeurd(IReadOnlyList<string> reasons)
        : base("The iStandaard message is refused: " + string.Join(" | ", reasons))
    {
        Reasons = reasons;
    }

    public BerichtAfgekeurd(string reason) : this([reason]) { }

    /// <summary>At least one reason, in document order.</summary>
    public IReadOnlyList<string> Reasons { get; }
}
