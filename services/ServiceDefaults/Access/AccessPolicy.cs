using SocialDomain.Contracts;

namespace SocialDomain.ServiceDefaults.Access;

/// <summary>Everything a caller can ask of the platform that touches personal data or changes it.</summary>
public enum AccessAction
{
    ReadHouseholdView,
    ReadPersonStacking,
    ReadProvisions,
    ReadProvisionHistory,
    SearchHouseholds,
    ListGemeenteHouseholds,
    RecordMembership,
    AssignRegie,
    ReleaseRegie,
    TransferRegie,
    EditPlan,
    RecordInvolvedParty,
    GiveConsent,
    WithdrawConsent,
    PostProvisions,
    PostMessages,
    ReadAccessLog,
    RunStatistics,

    /// <summary>Operate the platform's delivery: error-queue messages, parked events, replays. Their bodies hold BSNs.</summary>
    OperatePlatform,
}

public enum AccessOutcome
{
    Allowed,

    /// <summary>The caller may know the thing exists but may not do this: 403.</summary>
    Forbidden,

    /// <summary>The caller may not even know the thing exists: answered as if it did not (404).</summary>
    NotFound,
}

/// <summary>What the policy decided, and for reads how much of the provisions it shows.</summary>
public sealed record AccessDecision(AccessOutcome Outcome, ProvisionScope Scope, string Reason)
{
    public bool Allowed => Outcome == AccessOutcome.Allowed;
}

/// <summary>What the policy is asked about: a gemeente, a household, a person, a provision, a message, or the platform.</summary>
public abstract record AccessTarget
{
    public sealed record Platform : AccessTarget;

    public sealed record InGemeente(Gemeentecode Code) : AccessTarget;

    /// <param name="ConsentId">For <see cref="AccessAction.WithdrawConsent"/>: the consent to withdraw.</param>
    public sealed record Household(HouseholdRelations Relations, Guid? ConsentId = null) : AccessTarget;

    /// <summary>A person, through every household the person belongs or belonged to.</summary>
    public sealed record Person(Bsn Bsn, IReadOnlyList<HouseholdRelations> Households) : AccessTarget;

    public sealed record Provision(Gemeentecode Gemeente, IReadOnlySet<string> Aanbieders) : AccessTarget;

    public sealed record Message(Gemeentecode Ontvanger, string Afzender) : AccessTarget;
}

/// <summary>
/// The one place where access is decided. Every endpoint asks it, with the facts of the thing asked for; the
/// table in docs/access-policy.md is this class written out, and a test holds the two together cell by cell.
/// </summary>
public static class AccessPolicy
{
    /// <summary>How a caller stands to a household: the columns of the table.</summary>
    private enum Relation
    {
        OtherGemeente,
        AssignedRegisseur,
        ConsentRegisseur,
        UnrelatedRegisseur,
        Teamleider,
        Aanleverancier,
        Aanbieder,
        Statisticus,
    }

    /// <summary>Who may do what to a household of their own gemeente; the beheerder may do everything.</summary>
    private static readonly Dictionary<AccessAction, Relation[]> HouseholdRules = new()
    {
        [AccessAction.ReadHouseholdView] = [Relation.AssignedRegisseur, Relation.ConsentRegisseur],
        [AccessAction.ReadPersonStacking] = [Relation.AssignedRegisseur, Relation.ConsentRegisseur],
        [AccessAction.SearchHouseholds] = [Relation.AssignedRegisseur, Relation.ConsentRegisseur, Relation.Teamleider],
        // A regisseur's list is its worklist: the households it coordinates. A consent opens a member's provisions, not the list.
        [AccessAction.ListGemeenteHouseholds] = [Relation.AssignedRegisseur, Relation.Teamleider],
        [AccessAction.RecordMembership] = [Relation.Aanleverancier],
        [AccessAction.AssignRegie] = [Relation.Teamleider],
        [AccessAction.ReleaseRegie] = [Relation.AssignedRegisseur, Relation.Teamleider],
        [AccessAction.TransferRegie] = [Relation.AssignedRegisseur, Relation.Teamleider],
        [AccessAction.EditPlan] = [Relation.AssignedRegisseur],
        [AccessAction.RecordInvolvedParty] = [Relation.AssignedRegisseur],
        [AccessAction.GiveConsent] = [Relation.AssignedRegisseur],
        // The regisseur who recorded the consent may withdraw it as well; see Decide.
        [AccessAction.WithdrawConsent] = [Relation.AssignedRegisseur, Relation.Teamleider],
    };

    /// <summary>Those who work with a household of their gemeente know it exists: a refusal tells them 403, others 404.</summary>
    private static readonly Relation[] KnowTheHousehold =
        [Relation.AssignedRegisseur, Relation.ConsentRegisseur, Relation.Teamleider, Relation.Aanleverancier];

    public static AccessDecision Decide(Caller caller, AccessAction action, AccessTarget target) => (action, target) switch
    {
        (AccessAction.ReadAccessLog, _) => Role(caller, "the access log is for the beheerder", Roles.Beheerder),
        (AccessAction.OperatePlatform, _) => Role(caller, "operating the platform's delivery is for the beheerder", Roles.Beheerder),
        (AccessAction.RunStatistics, _) => Role(caller, "statistics are run by a statisticus", Roles.Statisticus, Roles.Beheerder),
        (AccessAction.PostProvisions, AccessTarget.Platform) =>
            Role(caller, "provisions are posted by an aanleverancier or an aanbieder", Roles.Aanleverancier, Roles.Aanbieder, Roles.Beheerder),
        (AccessAction.PostProvisions, AccessTarget.InGemeente g) => PostFor(caller, g.Code),
        (AccessAction.PostMessages, AccessTarget.Message m) => PostMessage(caller, m),
        (AccessAction.ReadProvisions or AccessAction.ReadProvisionHistory, AccessTarget.Provision p) => ReadProvision(caller, p),
        (AccessAction.ReadProvisions or AccessAction.ReadProvisionHistory, AccessTarget.Platform) => MayReadProvisionsAtAll(caller),
        (AccessAction.ListGemeenteHouseholds, AccessTarget.Platform) =>
            Role(caller, "the households of a gemeente are listed for its teamleider, and its regisseurs' own for them",
                Roles.Teamleider, Roles.Regisseur, Roles.Beheerder),
        (AccessAction.ListGemeenteHouseholds, AccessTarget.InGemeente g) => ListHouseholds(caller, g.Code),
        (AccessAction.SearchHouseholds, AccessTarget.Platform) =>
            Role(caller, "searching households is for regisseurs and teamleiders", Roles.Regisseur, Roles.Teamleider, Roles.Beheerder),
        (_, AccessTarget.Household h) => Household(caller, action, h),
        (AccessAction.ReadPersonStacking, AccessTarget.Person p) => Person(caller, p),
        _ => throw new ArgumentException($"The policy has no rule for {action} on {target.GetType().Name}.", nameof(target)),
    };

    private static AccessDecision Household(Caller caller, AccessAction action, AccessTarget.Household target)
    {
        if (!HouseholdRules.TryGetValue(action, out var allowed))
            throw new ArgumentException($"{action} is not an action on a household.", nameof(action));
        if (caller.Is(Roles.Beheerder)) return Allow(ProvisionScope.Everything);
        var household = target.Relations;
        var relation = RelationOf(caller, household);
        if (allowed.Contains(relation))
            return Allow(relation == Relation.ConsentRegisseur ? household.ScopeOf(caller.UserId) : ProvisionScope.Everything);
        if (action == AccessAction.WithdrawConsent && relation is Relation.ConsentRegisseur or Relation.UnrelatedRegisseur
            && target.ConsentId is { } id && household.RecordedBy(id) == caller.UserId)
            return Allow(ProvisionScope.Everything);
        return KnowTheHousehold.Contains(relation)
            ? Refuse(AccessOutcome.Forbidden, $"a {caller.Role} with this relation to the household may not {Describe(action)}")
            : Refuse(AccessOutcome.NotFound, "no household with this id that you may see");
    }

    /// <summary>A person's provisions show as far as any of the person's households lets the caller see that person.</summary>
    private static AccessDecision Person(Caller caller, AccessTarget.Person target)
    {
        if (caller.Is(Roles.Beheerder)) return Allow(ProvisionScope.Everything);
        var relations = target.Households.Select(h => (Household: h, Relation: RelationOf(caller, h))).ToList();
        if (relations.Any(r => r.Relation == Relation.AssignedRegisseur)) return Allow(ProvisionScope.Everything);
        var scope = relations.Where(r => r.Relation == Relation.ConsentRegisseur)
            .Aggregate(ProvisionScope.Nothing, (all, r) => all.With(r.Household.ScopeOf(caller.UserId)));
        if (scope.ShowsAny(target.Bsn)) return Allow(scope);
        return relations.Any(r => KnowTheHousehold.Contains(r.Relation))
            ? Refuse(AccessOutcome.Forbidden, $"a {caller.Role} with this relation to the person's household may not read this person's provisions")
            : Refuse(AccessOutcome.NotFound, "no person with this BSN that you may see");
    }

    private static Relation RelationOf(Caller caller, HouseholdRelations household)
    {
        if (caller.Gemeente != household.Gemeente) return Relation.OtherGemeente;
        return caller.Role switch
        {
            Roles.Regisseur when household.Regisseur == caller.UserId => Relation.AssignedRegisseur,
            Roles.Regisseur when household.Consents.Any(c => c.Ontvanger == caller.UserId) => Relation.ConsentRegisseur,
            Roles.Regisseur => Relation.UnrelatedRegisseur,
            Roles.Teamleider => Relation.Teamleider,
            Roles.Aanleverancier => Relation.Aanleverancier,
            Roles.Aanbieder => Relation.Aanbieder,
            _ => Relation.Statisticus,
        };
    }

    private static AccessDecision PostFor(Caller caller, Gemeentecode gemeente)
    {
        if (Decide(caller, AccessAction.PostProvisions, new AccessTarget.Platform()) is { Allowed: false } refused) return refused;
        return caller.ServesGemeente(gemeente)
            ? Allow(ProvisionScope.Everything)
            : Refuse(AccessOutcome.Forbidden, $"you post for gemeente {caller.Gemeente} only, not {gemeente}");
    }

    /// <summary>A message is sent by the care provider it names as Afzender: no one sends in another's name, not even a beheerder.</summary>
    private static AccessDecision PostMessage(Caller caller, AccessTarget.Message message)
    {
        if (!caller.Is(Roles.Aanbieder))
            return Refuse(AccessOutcome.Forbidden, $"an iJw/iWmo message is sent only by the aanbieder it names as Afzender, {message.Afzender}");
        if (caller.Agb is null || caller.Agb != message.Afzender)
            return Refuse(AccessOutcome.Forbidden, $"the message names Afzender {message.Afzender}, but you are {caller.Agb ?? "no aanbieder with an AGB code"}");
        return caller.ServesGemeente(message.Ontvanger)
            ? Allow(ProvisionScope.Everything)
            : Refuse(AccessOutcome.Forbidden, $"you send messages to gemeente {caller.Gemeente} only, not {message.Ontvanger}");
    }

    private static AccessDecision MayReadProvisionsAtAll(Caller caller) =>
        Role(caller, "a law service's provisions are read by who posts them; a regisseur reads them in the household view",
            Roles.Aanleverancier, Roles.Aanbieder, Roles.Beheerder);

    /// <summary>A municipal system reads its gemeente's provisions; a care provider only those it sent itself.</summary>
    private static AccessDecision ReadProvision(Caller caller, AccessTarget.Provision provision)
    {
        if (MayReadProvisionsAtAll(caller) is { Allowed: false } refused) return refused;
        var mine = caller.Is(Roles.Beheerder)
                   || caller.Gemeente == provision.Gemeente
                   && (caller.Is(Roles.Aanleverancier) || caller.Agb is { } agb && provision.Aanbieders.Contains(agb));
        return mine ? Allow(ProvisionScope.Everything) : Refuse(AccessOutcome.NotFound, "no provision with this id that you may see");
    }

    private static AccessDecision ListHouseholds(Caller caller, Gemeentecode gemeente)
    {
        if (Decide(caller, AccessAction.ListGemeenteHouseholds, new AccessTarget.Platform()) is { Allowed: false } refused) return refused;
        return caller.ServesGemeente(gemeente) ? Allow(ProvisionScope.Everything) : Refuse(AccessOutcome.NotFound, "no such gemeente that you may see");
    }

    private static AccessDecision Role(Caller caller, string reason, params string[] roles) =>
        roles.Contains(caller.Role) ? Allow(ProvisionScope.Everything) : Refuse(AccessOutcome.Forbidden, reason);

    private static AccessDecision Allow(ProvisionScope scope) => new(AccessOutcome.Allowed, scope, "");

    private static AccessDecision Refuse(AccessOutcome outcome, string reason) => new(outcome, ProvisionScope.Nothing, reason);

    private static string Describe(AccessAction action) => action switch
    {
        AccessAction.ReadHouseholdView => "read this household",
        AccessAction.ReadPersonStacking => "read this person's provisions",
        AccessAction.SearchHouseholds => "find this household",
        AccessAction.ListGemeenteHouseholds => "see it in the gemeente's list",
        AccessAction.RecordMembership => "record its members",
        AccessAction.AssignRegie => "assign its regisseur",
        AccessAction.ReleaseRegie => "release its regisseur",
        AccessAction.TransferRegie => "transfer its regie",
        AccessAction.EditPlan => "edit its plan",
        AccessAction.RecordInvolvedParty => "record an involved party",
        AccessAction.GiveConsent => "record a consent",
        AccessAction.WithdrawConsent => "withdraw this consent",
        _ => action.ToString(),
    };
}
