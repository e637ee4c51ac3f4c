using System.Text.Json.Serialization;

namespace SocialDomain.Contracts;

/// <summary>An event about the coordination of one household: regisseur, plan, involved parties, consent.</summary>
public interface IHouseholdEvent : IIntegrationEvent
{
    Guid HouseholdId { get; }
}

/// <summary>The one regisseur of a household ("één gezin, één plan, één regisseur").</summary>
/// <param name="RegisseurId">The regisseur's user id, as it appears in access tokens.</param>
public sealed record RegisseurAssigned(
    Guid EventId, string StreamId, long StreamVersion, DateTimeOffset OccurredAt, Gemeentecode Gemeente,
    Guid HouseholdId, string RegisseurId, string Naam, DateOnly Van) : IHouseholdEvent;

public sealed record RegisseurReleased(
    Guid EventId, string StreamId, long StreamVersion, DateTimeOffset OccurredAt, Gemeentecode Gemeente,
    Guid HouseholdId, string RegisseurId, DateOnly Tot) : IHouseholdEvent;

/// <summary>
/// Overdracht: the regie passes from one regisseur to another in one step, so the household is never without one.
/// <paramref name="VorigeRegisseurId"/> coordinates up to and including the day before <paramref name="Per"/>;
/// <paramref name="RegisseurId"/> from <paramref name="Per"/> on.
/// </summary>
public sealed record RegisseurTransferred(
    Guid EventId, string StreamId, long StreamVersion, DateTimeOffset OccurredAt, Gemeentecode Gemeente,
    Guid HouseholdId, string VorigeRegisseurId, string RegisseurId, string Naam, DateOnly Per) : IHouseholdEvent;

/// <summary>The life domains (leefgebieden) a plan's goals are set in.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Leefgebied>))]
public enum Leefgebied
{
    Financien,
    WerkEnDagbesteding,
    Huisvesting,
    GezinEnRelaties,
    Opvoeding,
    GeestelijkeGezondheid,
    LichamelijkeGezondheid,
    Verslaving,
    Justitie,
    SociaalNetwerk,
}

[JsonConverter(typeof(JsonStringEnumConverter<PlanStatus>))]
public enum PlanStatus
{
    Open,
    Lopend,
    Bereikt,
    Gestopt,
}

/// <summary>A goal of the household's one plan was set or changed; the latest version of a goal counts.</summary>
/// <param name="Eigenaar">Who owns the goal: the client or a named party ("eigenaarschap van het plan").</param>
public sealed record PlanGoalSet(
    Guid EventId, string StreamId, long StreamVersion, DateTimeOffset OccurredAt, Gemeentecode Gemeente,
    Guid HouseholdId, Guid GoalId, Leefgebied Leefgebied, string Omschrijving, string Eigenaar, PlanStatus Status) : IHouseholdEvent;

/// <summary>An action towards a goal was set or changed; the latest version of an action counts.</summary>
public sealed record PlanActionSet(
    Guid EventId, string StreamId, long StreamVersion, DateTimeOffset OccurredAt, Gemeentecode Gemeente,
    Guid HouseholdId, Guid GoalId, Guid ActionId, string Omschrijving, string Eigenaar, PlanStatus Status, DateOnly? Deadline) : IHouseholdEvent;

/// <summary>A party marked a goal as conflicting with another goal: the regisseur must see both side by side.</summary>
public sealed record GoalConflictMarked(
    Guid EventId, string StreamId, long StreamVersion, DateTimeOffset OccurredAt, Gemeentecode Gemeente,
    Guid HouseholdId, Guid GoalId, Guid ConflictsWithGoalId, string GemarkeerdDoor, string Toelichting) : IHouseholdEvent;

/// <summary>Where a professional works: under one of the three laws, or around them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Domein>))]
public enum Domein
{
    Jeugdwet,
    Wmo,
    Participatiewet,
    Schuldhulpverlening,
    Bewindvoering,
    Leerplicht,
    Huisarts,
    Wijkverpleging,
    Jeugdbescherming,
    Justitie,
    Overig,
}

/// <summary>A professional involved with the household, recorded on the plan.</summary>
/// <param name="Regie">Whether this party says it coordinates (has "de regie"): more than one is a signal.</param>
public sealed record InvolvedPartyRecorded(
    Guid EventId, string StreamId, long StreamVersion, DateTimeOffset OccurredAt, Gemeentecode Gemeente,
    Guid HouseholdId, Guid PartyId, string Naam, string Organisatie, Domein Domein, bool Regie, DateOnly Van, DateOnly? Tot) : IHouseholdEvent;

/// <summary>
/// A member consented to sharing their own data under some laws with one regisseur, for a period. The consent
/// covers that member only: it shows the recipient this member's provisions under <paramref name="Wetten"/> from
/// <paramref name="Van"/> up to and including <paramref name="Tot"/>, and nothing of the other members. Without
/// consent only the assigned regisseur sees the household.
/// </summary>
/// <param name="GegevenDoor">The member whose data the consent is about, who gave it (or whose representative did).</param>
/// <param name="Ontvanger">The regisseur (user id) the consent lets in.</param>
/// <param name="Wetten">The laws whose data may be shared.</param>
/// <param name="Tot">The last day the consent holds; null while it holds until withdrawn.</param>
/// <param name="VastgelegdDoor">The assigned regisseur who recorded the consent (null in events from before this was kept).</param>
public sealed record ConsentGiven(
    Guid EventId, string StreamId, long StreamVersion, DateTimeOffset OccurredAt, Gemeentecode Gemeente,
    Guid HouseholdId, Guid ConsentId, Bsn GegevenDoor, string Ontvanger, IReadOnlyList<Law> Wetten, DateOnly Van,
    DateOnly? Tot = null, string? VastgelegdDoor = null) : IHouseholdEvent;

public sealed record ConsentWithdrawn(
    Guid EventId, string StreamId, long StreamVersion, DateTimeOffset OccurredAt, Gemeentecode Gemeente,
    Guid HouseholdId, Guid ConsentId, DateOnly Per) : IHouseholdEvent;
