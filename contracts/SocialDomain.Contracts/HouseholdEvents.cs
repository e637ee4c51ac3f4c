using System.Text.Json.Serialization;

namespace SocialDomain.Contracts;

[JsonConverter(typeof(JsonStringEnumConverter<HouseholdRole>))]
public enum HouseholdRole
{
    Ouder,
    Partner,
    Kind,
    Overig,
}

/// <summary>
/// A person belongs to a household from <paramref name="Van"/> on: co-residence plus relations, as derived from a
/// BRP-bewoning-like feed. A child in residential youth care stays in the parents' household.
/// </summary>
/// <param name="Wijk">The CBS district of the household's address, when known.</param>
/// <param name="Geboortedatum">The member's birth date from the BRP, when known: the 18-/18+ transition needs it.</param>
public sealed record HouseholdMemberJoined(
    Guid EventId,
    string StreamId,
    long StreamVersion,
    DateTimeOffset OccurredAt,
    Gemeentecode Gemeente,
    Guid HouseholdId,
    Bsn Bsn,
    HouseholdRole Rol,
    DateOnly Van,
    WijkCode? Wijk,
    DateOnly? Geboortedatum) : IHouseholdEvent;

/// <summary>A person's membership ends; <paramref name="Tot"/> is the last day as a member.</summary>
public sealed record HouseholdMemberLeft(
    Guid EventId,
    string StreamId,
    long StreamVersion,
    DateTimeOffset OccurredAt,
    Gemeentecode Gemeente,
    Guid HouseholdId,
    Bsn Bsn,
    DateOnly Tot) : IHouseholdEvent;
