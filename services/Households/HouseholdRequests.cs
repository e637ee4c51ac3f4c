namespace SocialDomain.Households;

/// <summary>A membership period starts: a record of the BRP-bewoning-like feed.</summary>
public sealed record JoinRequest(string? Bsn, string? Gemeente, string? Rol, DateOnly? Van, string? Wijk, DateOnly? Geboortedatum);

public sealed record LeaveRequest(DateOnly? Tot);

public sealed record AssignRegisseurRequest(string? RegisseurId, string? Naam, DateOnly? Van);

public sealed record ReleaseRegisseurRequest(DateOnly? Tot);

public sealed record TransferRegisseurRequest(string? RegisseurId, string? Naam, DateOnly? Per);

public sealed record GoalRequest(string? Leefgebied, string? Omschrijving, string? Eigenaar, string? Status);

public sealed record ActionRequest(string? Omschrijving, string? Eigenaar, string? Status, DateOnly? Deadline);

public sealed record ConflictRequest(Guid? ConflictsWithGoalId, string? GemarkeerdDoor, string? Toelichting);

public sealed record InvolvedPartyRequest(string? Naam, string? Organisatie, string? Domein, bool? Regie, DateOnly? Van, DateOnly? Tot);

public sealed record ConsentRequest(string? GegevenDoor, string? Ontvanger, IReadOnlyList<string>? Wetten, DateOnly? Van, DateOnly? Tot);

public sealed record WithdrawConsentRequest(DateOnly? Per);

/// <summary>What a command answers: the household's stream version after it, and the id of what it created.</summary>
public sealed record HouseholdChange(Guid HouseholdId, long Version, Guid? Id = null);

/// <summary>
/// One record of a membership batch: a join (the fields of <see cref="JoinRequest"/>) or a leave (<c>bsn</c> and
/// <c>tot</c>, as <see cref="HouseholdsService.MemberLeaveRequest"/>) of one household.
/// </summary>
/// <param name="Soort">"join" or "leave".</param>
public sealed record MembershipRecord(
    string? Soort,
    Guid? HouseholdId,
    string? Bsn,
    string? Gemeente,
    string? Rol,
    DateOnly? Van,
    string? Wijk,
    DateOnly? Geboortedatum,
    DateOnly? Tot);

/// <summary>Thousands of joins and leaves of the BRP-bewoning feed, stored in one transaction: all of them, or none when any is refused.</summary>
public sealed record MembershipBatchRequest(IReadOnlyList<MembershipRecord?>? Records);

/// <summary>What an accepted batch recorded: per record, in the order sent, its household and the household's version after it.</summary>
public sealed record MembershipBatchResponse(int Accepted, IReadOnlyList<HouseholdChange> Changes);
