namespace SocialDomain.Provisions;

/// <summary>A start of a provision (StartProduct). Strings are validated by the service, so every bad field is named.</summary>
/// <param name="Bsn">The client's BSN (11-proef).</param>
/// <param name="Gemeente">The four-digit CBS code of the responsible municipality.</param>
/// <param name="Productcategorie">A productcategorie of this law (Jeugd JZ020, Wmo WMO020, or the Participatiewet catalogue).</param>
/// <param name="ProductCode">The product code within the category, when known.</param>
/// <param name="ToewijzingNummer">The toewijzing (assignment) number; identifies the provision when present.</param>
/// <param name="Begindatum">First day of the provision.</param>
/// <param name="Geboortedatum">The client's birth date, when known.</param>
public sealed record StartProvisionRequest(
    string? Bsn,
    string? Gemeente,
    string? Productcategorie,
    string? ProductCode,
    string? ToewijzingNummer,
    DateOnly? Begindatum,
    DateOnly? Geboortedatum);

/// <summary>An end of a provision (StopProduct).</summary>
/// <param name="Einddatum">Last day of the provision; on or after its begindatum.</param>
/// <param name="RedenBeeindiging">A reden beëindiging of this law (JZ588, WMO588, or ours); 20 is a temporary stop.</param>
public sealed record EndProvisionRequest(DateOnly? Einddatum, string? RedenBeeindiging);

/// <summary>What the service answers about one provision.</summary>
public sealed record ProvisionResponse(
    Guid ProvisionId,
    string Law,
    string Gemeente,
    string Productcategorie,
    string ProductcategorieNaam,
    string? ProductCode,
    string? ToewijzingNummer,
    string Status,
    IReadOnlyList<PeriodResponse> Perioden,
    long Version);

public sealed record PeriodResponse(DateOnly Begindatum, DateOnly? Einddatum, string? RedenBeeindiging);
