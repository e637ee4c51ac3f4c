namespace SocialDomain.Contracts;

/// <summary>A provision started (a StartProduct in iJw/iWmo terms).</summary>
/// <param name="Productcategorie">Code of <see cref="Contracts.Productcategorie"/> under <paramref name="Law"/>.</param>
/// <param name="Geboortedatum">The client's birth date when the sender knew it.</param>
public sealed record ProvisionStarted(
    Guid EventId,
    string StreamId,
    long StreamVersion,
    DateTimeOffset OccurredAt,
    Gemeentecode Gemeente,
    Law Law,
    Guid ProvisionId,
    Bsn Bsn,
    string Productcategorie,
    string? ProductCode,
    string? ToewijzingNummer,
    DateOnly Begindatum,
    DateOnly? Geboortedatum) : IProvisionEvent;

/// <summary>A provision ended (a StopProduct). <paramref name="Einddatum"/> is the last day of the provision.</summary>
/// <param name="Begindatum">The begindatum of the period this stop ends, carried unchanged from the start.</param>
/// <param name="RedenBeeindiging">Code of <see cref="Contracts.RedenBeeindiging"/> under <paramref name="Law"/>.</param>
public sealed record ProvisionEnded(
    Guid EventId,
    string StreamId,
    long StreamVersion,
    DateTimeOffset OccurredAt,
    Gemeentecode Gemeente,
    Law Law,
    Guid ProvisionId,
    Bsn Bsn,
    DateOnly Begindatum,
    DateOnly Einddatum,
    string RedenBeeindiging) : IProvisionEvent;

/// <summary>
/// An earlier start or stop is withdrawn (StatusAanlevering 3): consumers treat the event with
/// <paramref name="RetractedEventId"/> as never sent.
/// </summary>
public sealed record ProvisionRetracted(
    Guid EventId,
    string StreamId,
    long StreamVersion,
    DateTimeOffset OccurredAt,
    Gemeentecode Gemeente,
    Law Law,
    Guid ProvisionId,
    Bsn Bsn,
    Guid RetractedEventId) : IProvisionEvent;
