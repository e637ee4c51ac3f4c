using SocialDomain.Contracts;

namespace SocialDomain.Households;

/// <summary>A change someone asks of a household; the decider accepts it as an event or refuses it.</summary>
public abstract record HouseholdCommand;

public sealed record JoinHousehold(Bsn Bsn, Gemeentecode Gemeente, HouseholdRole Rol, DateOnly Van, WijkCode? Wijk, DateOnly? Geboortedatum)
    : HouseholdCommand;

public sealed record LeaveHousehold(Bsn Bsn, DateOnly Tot) : HouseholdCommand;

public sealed record AssignRegisseur(string RegisseurId, string Naam, DateOnly Van) : HouseholdCommand;

public sealed record ReleaseRegisseur(DateOnly Tot) : HouseholdCommand;

/// <summary>Overdracht: the regie passes to <paramref name="RegisseurId"/> from <paramref name="Per"/> on.</summary>
public sealed record TransferRegisseur(string RegisseurId, string Naam, DateOnly Per) : HouseholdCommand;

public sealed record SetGoal(Guid GoalId, Leefgebied Leefgebied, string Omschrijving, string Eigenaar, PlanStatus Status) : HouseholdCommand;

public sealed record SetAction(Guid GoalId, Guid ActionId, string Omschrijving, string Eigenaar, PlanStatus Status, DateOnly? Deadline)
    : HouseholdCommand;

public sealed record MarkGoalConflict(Guid GoalId, Guid ConflictsWithGoalId, string GemarkeerdDoor, string Toelichting) : HouseholdCommand;

public sealed record RecordInvolvedParty(Guid PartyId, string Naam, string Organisatie, Domein Domein, bool Regie, DateOnly Van, DateOnly? Tot)
    : HouseholdCommand;

/// <summary>Toestemming: <paramref name="GegevenDoor"/> lets <paramref name="Ontvanger"/> see their own provisions under <paramref name="Wetten"/>.</summary>
public sealed record GiveConsent(Guid ConsentId, Bsn GegevenDoor, string Ontvanger, IReadOnlyList<Law> Wetten, DateOnly Van, DateOnly? Tot,
    string? VastgelegdDoor) : HouseholdCommand;

public sealed record WithdrawConsent(Guid ConsentId, DateOnly Per) : HouseholdCommand;

/// <summary>What every event of the household carries, and the day the decision is taken.</summary>
public sealed record Envelope(Guid EventId, string StreamId, long StreamVersion, DateTimeOffset OccurredAt, Guid HouseholdId, DateOnly Vandaag);

public abstract record Decision;

public sealed record Accepted(IHouseholdEvent Event) : Decision;

public enum RefusalKind
{
    /// <summary>A field breaks a rule whatever the household's state; <see cref="Refused.Field"/> names it.</summary>
    Invalid,
    /// <summary>The request contradicts the household's state.</summary>
    Conflict,
    /// <summary>The household, or the part of it the request names, does not exist.</summary>
    NotFound,
    /// <summary>The access policy refused the caller a household it knows of.</summary>
    Forbidden,
}

public sealed record Refused(RefusalKind Kind, string Title, string Reason, string? Field = null) : Decision;

/// <summary>
/// The household's rules: given its state, the day and a command, the event that records the change or the reason
/// it is refused. Pure, so every rule can be checked without a store or a request.
/// </summary>
public static class HouseholdDecider
{
    /// <summary>Also the answer for a household the caller may not change: no existence leak across gemeenten.</summary>
    public static readonly Refused NoSuchHousehold =
        new(RefusalKind.NotFound, "No such household", "There is no household with this id that you may see.");

    public static Decision Decide(Household? state, HouseholdCommand command, Envelope envelope)
    {
        if (command is JoinHousehold join) return Join(state, join, envelope);
        if (state is null) return NoSuchHousehold;
        return command switch
        {
            LeaveHousehold leave => Leave(state, leave, envelope),
            AssignRegisseur assign => Assign(state, assign, envelope),
            ReleaseRegisseur release => Release(state, release, envelope),
            TransferRegisseur transfer => Transfer(state, transfer, envelope),
            SetGoal goal => new Accepted(new PlanGoalSet(envelope.EventId, envelope.StreamId, envelope.StreamVersion, envelope.OccurredAt,
                state.Gemeente, state.HouseholdId, goal.GoalId, goal.Leefgebied, goal.Omschrijving, goal.Eigenaar, goal.Status)),
            SetAction action => SetAction(state, action, envelope),
            MarkGoalConflict conflict => MarkConflict(state, conflict, envelope),
            RecordInvolvedParty party => RecordParty(state, party, envelope),
            GiveConsent consent => GiveConsent(state, consent, envelope),
            WithdrawConsent withdraw => Withdraw(state, withdraw, envelope),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "A command the household does not know."),
        };
    }

    private static Decision Join(Household? state, JoinHousehold join, Envelope e)
    {
        if (join.Geboortedatum > join.Van) return Invalid("geboortedatum", "The birth date lies after the start of the membership.");
        if (state is not null && state.Gemeente != join.Gemeente) return Invalid("gemeente", $"The household belongs to gemeente {state.Gemeente}.");
        if (state?.ActiveMembers.ContainsKey(join.Bsn) == true)
            return Conflict("Already a member", "This person is a member of the household already.");
        return new Accepted(new HouseholdMemberJoined(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, join.Gemeente, e.HouseholdId,
            join.Bsn, join.Rol, join.Van, join.Wijk, join.Geboortedatum));
    }

    private static Decision Leave(Household state, LeaveHousehold leave, Envelope e)
    {
        if (!state.ActiveMembers.TryGetValue(leave.Bsn, out var van))
            return Conflict("Not a member", "This person is not a member of the household now.");
        if (leave.Tot < van) return Invalid("tot", $"The membership started {van:yyyy-MM-dd}.");
        return new Accepted(new HouseholdMemberLeft(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, state.Gemeente, state.HouseholdId,
            leave.Bsn, leave.Tot));
    }

    private static Decision Assign(Household state, AssignRegisseur assign, Envelope e)
    {
        if (state.Regisseur is { } current)
            return Conflict("Household has a regisseur", $"{current.Naam} is the regisseur; transfer or release first: one household, one regisseur.");
        return new Accepted(new RegisseurAssigned(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, state.Gemeente, state.HouseholdId,
            assign.RegisseurId, assign.Naam, assign.Van));
    }

    private static Decision Release(Household state, ReleaseRegisseur release, Envelope e)
    {
        if (state.Regisseur is not { } current) return Conflict("No regisseur", "The household has no regisseur to release.");
        if (release.Tot < current.Van) return Invalid("tot", $"{current.Naam} is the regisseur from {current.Van:yyyy-MM-dd}.");
        return new Accepted(new RegisseurReleased(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, state.Gemeente, state.HouseholdId,
            current.RegisseurId, release.Tot));
    }

    private static Decision Transfer(Household state, TransferRegisseur transfer, Envelope e)
    {
        if (state.Regisseur is not { } current)
            return Conflict("No regisseur", "The household has no regisseur to transfer from; assign one.");
        if (current.RegisseurId == transfer.RegisseurId) return Conflict("Same regisseur", $"{current.Naam} is the regisseur already.");
        if (transfer.Per < current.Van) return Invalid("per", $"{current.Naam} is the regisseur from {current.Van:yyyy-MM-dd}.");
        return new Accepted(new RegisseurTransferred(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, state.Gemeente, state.HouseholdId,
            current.RegisseurId, transfer.RegisseurId, transfer.Naam, transfer.Per));
    }

    private static Decision SetAction(Household state, SetAction action, Envelope e)
    {
        if (!state.Goals.Contains(action.GoalId)) return UnknownGoal();
        return new Accepted(new PlanActionSet(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, state.Gemeente, state.HouseholdId,
            action.GoalId, action.ActionId, action.Omschrijving, action.Eigenaar, action.Status, action.Deadline));
    }

    private static Decision MarkConflict(Household state, MarkGoalConflict conflict, Envelope e)
    {
        if (conflict.GoalId == conflict.ConflictsWithGoalId) return Invalid("conflictsWithGoalId", "A goal does not conflict with itself.");
        if (!state.Goals.Contains(conflict.GoalId) || !state.Goals.Contains(conflict.ConflictsWithGoalId)) return UnknownGoal();
        return new Accepted(new GoalConflictMarked(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, state.Gemeente, state.HouseholdId,
            conflict.GoalId, conflict.ConflictsWithGoalId, conflict.GemarkeerdDoor, conflict.Toelichting));
    }

    private static Decision RecordParty(Household state, RecordInvolvedParty party, Envelope e)
    {
        if (party.Tot < party.Van) return Invalid("tot", "The end lies before the start.");
        return new Accepted(new InvolvedPartyRecorded(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, state.Gemeente, state.HouseholdId,
            party.PartyId, party.Naam, party.Organisatie, party.Domein, party.Regie, party.Van, party.Tot));
    }

    private static Decision GiveConsent(Household state, GiveConsent consent, Envelope e)
    {
        if (consent.Wetten.Count == 0) return Invalid("wetten", "Name at least one law.");
        if (consent.Tot < consent.Van) return Invalid("tot", "The consent's last day lies before its first.");
        // The consent is about the member's own data, so only a member can give it.
        if (!state.ActiveMembers.ContainsKey(consent.GegevenDoor))
            return Invalid("gegevenDoor", "Consent is given by a member of the household.");
        return new Accepted(new ConsentGiven(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, state.Gemeente, state.HouseholdId,
            consent.ConsentId, consent.GegevenDoor, consent.Ontvanger, [.. consent.Wetten.Distinct()], consent.Van, consent.Tot,
            consent.VastgelegdDoor));
    }

    private static Decision Withdraw(Household state, WithdrawConsent withdraw, Envelope e)
    {
        if (!state.GivenConsents.Contains(withdraw.ConsentId))
            return new Refused(RefusalKind.NotFound, "No such consent", "This household has no consent with this id.");
        // A consent past its last day has ended by itself; withdrawing it would record nothing.
        if (!state.ActiveConsents.TryGetValue(withdraw.ConsentId, out var consent) || consent.Tot < e.Vandaag)
            return Conflict("No such consent", "There is no active consent with this id.");
        if (withdraw.Per < consent.Van) return Invalid("per", $"The consent holds from {consent.Van:yyyy-MM-dd}.");
        return new Accepted(new ConsentWithdrawn(e.EventId, e.StreamId, e.StreamVersion, e.OccurredAt, state.Gemeente, state.HouseholdId,
            withdraw.ConsentId, withdraw.Per));
    }

    private static Refused Invalid(string field, string reason) => new(RefusalKind.Invalid, "Invalid request", reason, field);

    private static Refused Conflict(string title, string reason) => new(RefusalKind.Conflict, title, reason);

    private static Refused UnknownGoal() => new(RefusalKind.NotFound, "No such goal", "The plan has no goal with this id.");
}
