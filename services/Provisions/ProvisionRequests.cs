namespace SocialDomain.Provisions;

/// <summary>A start of a provision (StartProduct). Strings are validated by the service, so every bad field is named.</summary>
/// <param name="Bsn">The client's BSN (11-proef).</param>
/// <param name="Gemeente">The four-digit CBS code of the responsible municipality.</param>
/// <param name="Productcategorie">A productcategorie of this law (the list its law defines, such as JZ020 or WMO020).</param>
/// <param name="ProductCode">The product code within the category, when known.</param>
/// <param name="ToewijzingNummer">The toewijzing (assignment) number; identifies the provision when present. A number is kept by its value: "0820099" is "820099".</param>
/// <param name="Begindatum">First day of the provision.</param>
/// <param name="Geboortedatum">The client's birth date, when known: used for the age check, not stored beyond the event.</param>
/// <param name="StatusAanlevering">The code "1" (default) a new start; "3" withdraws the earlier start with this key; "9" unchanged. A string, as in the iStandaard.</param>
public sealed record StartProvisionRequest(
    string? Bsn,
    string? Gemeente,
    string? Productcategorie,
    string? ProductCode,
    string? ToewijzingNummer,
    DateOnly? Begindatum,
    DateOnly? Geboortedatum,
    string? StatusAanlevering = null)
{
    internal StartCommand ToCommand() =>
        new(new ProvisionKey(Bsn, Gemeente, Productcategorie, ProductCode, ToewijzingNummer, Begindatum), Geboortedatum,
            StatusAanleveringCode.Parse(StatusAanlevering));

    /// <summary>Whether this start is a new one (StatusAanlevering 1), which creates a provision.</summary>
    internal bool IsNew => StatusAanleveringCode.Parse(StatusAanlevering) == Provisions.StatusAanlevering.Eerste;
}

/// <summary>
/// StatusAanlevering as the iStandaarden type it (LDT_StatusAanlevering): a string enumeration of "1", "2", "3" and
/// "9", compared exactly, so "01" is not "1". Absent is "1".
/// </summary>
internal static class StatusAanleveringCode
{
    /// <summary>The status; a code that is none of them becomes a value outside the enum, which the validation names.</summary>
    public static StatusAanlevering Parse(string? code) => code switch
    {
        null or "1" => StatusAanlevering.Eerste,
        "2" => StatusAanlevering.Gewijzigd,
        "3" => StatusAanlevering.Verwijderen,
        "9" => StatusAanlevering.Ongewijzigd,
        _ => Unknown,
    };

    private const StatusAanlevering Unknown = 0;
}

/// <summary>An end of a provision (StopProduct) named by its id.</summary>
/// <param name="Einddatum">Last day of the provision; on or after its begindatum.</param>
/// <param name="RedenBeeindiging">A reden beëindiging of this law (JZ588, WMO588, or ours); 20 is a temporary stop.</param>
public sealed record EndProvisionRequest(DateOnly? Einddatum, string? RedenBeeindiging);

/// <summary>One record of a batch: a start or a stop, named by its key as in a 305 or 307 message.</summary>
/// <param name="Soort">"start" or "stop".</param>
public sealed record BatchRecord(
    string? Soort,
    string? Bsn,
    string? Gemeente,
    string? Productcategorie,
    string? ProductCode,
    string? ToewijzingNummer,
    DateOnly? Begindatum,
    DateOnly? Geboortedatum,
    DateOnly? Einddatum,
    string? RedenBeeindiging,
    string? StatusAanlevering = null)
{
    internal ProvisionCommand? ToCommand()
    {
        var key = new ProvisionKey(Bsn, Gemeente, Productcategorie, ProductCode, ToewijzingNummer, Begindatum);
        var status = StatusAanleveringCode.Parse(StatusAanlevering);
        return Soort switch
        {
            "start" => new StartCommand(key, Geboortedatum, status),
            "stop" => new StopCommand(key, Einddatum, RedenBeeindiging, status),
            _ => null,
        };
    }
}

/// <summary>Thousands of starts and stops, stored in one transaction: all of them, or none when any is refused.</summary>
public sealed record BatchRequest(IReadOnlyList<BatchRecord>? Records);

public sealed record BatchResponse(int Accepted, IReadOnlyList<Guid?> ProvisionIds, IReadOnlyList<BatchWarning> Warnings);

public sealed record BatchWarning(int Index, string Warning);

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
    long Version,
    IReadOnlyList<string> Warnings);

public sealed record PeriodResponse(DateOnly Begindatum, DateOnly? Einddatum, string? RedenBeeindiging);

/// <summary>A provision with every event of its stream: what was recorded, when, by whom.</summary>
public sealed record ProvisionHistoryResponse(ProvisionResponse? Provision, IReadOnlyList<HistoryEntry> Events);

public sealed record HistoryEntry(
    Guid EventId,
    long Version,
    string Type,
    DateTimeOffset RecordedAt,
    string Source,
    string? Actor,
    string? ActorRole,
    string? Agb,
    string? Afzender,
    string? CorrelationId,
    System.Text.Json.JsonElement Data);

/// <summary>One page of a collection, with the links to walk it.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total, PageLinks Links);

public sealed record PageLinks(string Self, string? Next, string? Prev);
