namespace SocialDomain.Provisions;

/// <summary>StatusAanlevering of a start or stop record (iJw/iWmo COD467).</summary>
public enum StatusAanlevering
{
    /// <summary>Eerste aanlevering: a new record.</summary>
    Eerste = 1,

    /// <summary>Gewijzigd: not used by 305/307 since iStandaarden 3.0; a correction is 3 followed by 1.</summary>
    Gewijzigd = 2,

    /// <summary>Verwijderen: withdraw the earlier record with this key; consider it never sent.</summary>
    Verwijderen = 3,

    /// <summary>Ongewijzigd: already delivered, no change.</summary>
    Ongewijzigd = 9,
}

/// <summary>
/// The key that identifies a provision as a sender sees it: the toewijzingnummer when there is one, else
/// productcategorie, productcode and begindatum (IV096), always within one client and gemeente.
/// Strings are unvalidated: the service validates and names every bad field.
/// </summary>
public sealed record ProvisionKey(
    string? Bsn,
    string? Gemeente,
    string? Productcategorie,
    string? ProductCode,
    string? ToewijzingNummer,
    DateOnly? Begindatum);

/// <summary>One start or stop record, from JSON or from an iJw/iWmo message.</summary>
public abstract record ProvisionCommand(ProvisionKey Key, StatusAanlevering Status);

/// <summary>A StartProduct.</summary>
public sealed record StartCommand(ProvisionKey Key, DateOnly? Geboortedatum, StatusAanlevering Status = StatusAanlevering.Eerste)
    : ProvisionCommand(Key, Status);

/// <summary>A StopProduct: it carries the key of the start it ends, unchanged (TR382).</summary>
public sealed record StopCommand(ProvisionKey Key, DateOnly? Einddatum, string? RedenBeeindiging, StatusAanlevering Status = StatusAanlevering.Eerste)
    : ProvisionCommand(Key, Status);

/// <summary>What became of one record: a retourcode as in a 306/308 retour, with field errors when it was refused.</summary>
/// <param name="Retourcode">0200 accepted; 9326, 9069, 9071, 9063 as in the iStandaarden; 0001 for a record that is not valid.</param>
public sealed record CommandOutcome(
    int Index,
    string Retourcode,
    Guid? ProvisionId,
    string? Message,
    IReadOnlyDictionary<string, string[]> Errors,
    IReadOnlyList<string> Warnings)
{
    public const string Geaccepteerd = "0200";
    public const string Afgekeurd = "0001";

    public bool Accepted => Retourcode == Geaccepteerd;
}
