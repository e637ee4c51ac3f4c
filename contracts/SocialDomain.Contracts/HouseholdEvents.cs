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

/// <summary>A person lives in (belongs to) a household from <paramref name="Van"/> on.</summary>
public sealed record HouseholdMemberJoined(
    Guid EventId,
    string StreamId,
    long StreamVersion,
    DateTimeOffset OccurredAt,
    Gemeentecode Gemeente,
    Guid HouseholdId,
    Bsn Bsn,
    HouseholdRole Rol,
    DateOnly Van) : IIntegrationEvent;

/// <summary>A person's membership ends; <paramref name="Tot"/> is the last day as a member.</summary>
public sealed record HouseholdMemberLeft(
    Guid EventId,
    string StreamId,
    long StreamVersion,
    DateTimeOffset OccurredAt,
    Gemeentecode Gemeente,
    Guid HouseholdId,
    Bsn Bsn,
    DateOnly Tot) : IIntegrationEvent;
