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
