using SocialDomain.Contracts;
using SocialDomain.ServiceDefaults.Access;
using SocialDomain.Jeugdwet;
using SocialDomain.Wmo;

namespace SocialDomain.UnitTests;

/// <summary>
/// docs/access-policy.md is the policy written out: every cell of its table is decided here and compared, so the
/// document and <see cref="AccessPolicy"/> cannot drift apart.
/// </summary>
public class AccessPolicyTests
{
    private static readonly Gemeentecode Utrecht = Gemeentecode.Parse("0344");
    private static readonly Gemeentecode Amsterdam = Gemeentecode.Parse("0363");
    private static readonly Bsn Ouder = Bsn.Parse("111222333");
    private static readonly Bsn Kind = Bsn.Parse("999990019");
    private static readonly Guid Consent = Guid.Parse("00000000-0000-4000-8000-00000000c001");
    private const string Agb = "12345678";

    /// <summary>The household of the table: Anna coordinates it; the child consented to Bert, for the Wmo only, recorded by Anna.</summary>
    private static readonly HouseholdRelations Gezin = new(Utrecht, "regisseur-anna",
        [new ActiveConsent(Consent, Kind, "regisseur-bert", [WmoLaw.Law], "regisseur-anna")]);

    private static readonly Dictionary<string, Caller> Columns = new()
    {
        ["assigned regisseur"] = new("regisseur-anna", Roles.Regisseur, Utrecht),
        ["consent regisseur"] = new("regisseur-bert", Roles.Regisseur, Utrecht),
        ["unrelated regisseur"] = new("regisseur-carla", Roles.Regisseur, Utrecht),
        ["teamleider"] = new("teamleider-dirk", Roles.Teamleider, Utrecht),
        ["aanleverancier"] = new("systeem-0344", Roles.Aanleverancier, Utrecht),
        ["aanbieder"] = new("zorg-bv", Roles.Aanbieder, Utrecht, Agb),
        ["statisticus"] = new("statisticus-cbs", Roles.Statisticus, null),
        ["beheerder"] = new("beheerder", Roles.Beheerder, null),
    };

    private static readonly Dictionary<string, AccessAction> Rows = new()
    {
        ["read household view"] = AccessAction.ReadHouseholdView,
        ["read person stacking"] = AccessAction.ReadPersonStacking,
        ["read client provisions"] = AccessAction.ReadProvisions,
        ["read a provision and its history"] = AccessAction.ReadProvisionHistory,
        ["search households"] = AccessAction.SearchHouseholds,
        ["list a gemeente's households"] = AccessAction.ListGemeenteHouseholds,
        ["record membership"] = AccessAction.RecordMembership,
        ["assign regie"] = AccessAction.AssignRegie,
        ["release regie"] = AccessAction.ReleaseRegie,
        ["transfer regie"] = AccessAction.TransferRegie,
        ["edit the plan"] = AccessAction.EditPlan,
        ["record an involved party"] = AccessAction.RecordInvolvedParty,
        ["give consent"] = AccessAction.GiveConsent,
        ["withdraw consent"] = AccessAction.WithdrawConsent,
        ["post provisions"] = AccessAction.PostProvisions,
        ["post messages"] = AccessAction.PostMessages,
        ["read the access log"] = AccessAction.ReadAccessLog,
        ["run statistics"] = AccessAction.RunStatistics,
        ["operate the platform"] = AccessAction.OperatePlatform,
    };

    public static TheoryData<string, string, string> Cells() => [.. AccessTable.Cells()];

    [Theory]
    [MemberData(nameof(Cells))]
    public void Every_cell_of_the_documented_table_is_what_the_policy_decides(string action, string column, string expected)
    {
        var caller = column == AccessTable.OtherGemeente ? InOtherGemeente(Rows[action]) : Columns[column];
        if (expected == "n/a")
        {
            caller.ShouldBeNull($"'{action}' has a caller of another gemeente; the table says n/a");
            return;
        }
        Outcome(caller!, Rows[action]).ShouldBe(expected, $"{action} by {column}");
    }

    [Fact]
    public void The_table_has_a_row_for_every_action_and_a_cell_for_every_caller()
    {
        var cells = AccessTable.Cells().ToList();
        cells.Select(c => c.Action).Distinct().Select(a => Rows[a]).ShouldBe(Enum.GetValues<AccessAction>(), ignoreOrder: true);
        cells.Count.ShouldBe(Rows.Count * (Columns.Count + 1));
    }

    [Fact]
    public void A_consent_shows_only_its_member_under_its_laws()
    {
        var decision = AccessPolicy.Decide(Columns["consent regisseur"], AccessAction.ReadHouseholdView, new AccessTarget.Household(Gezin));

        decision.Scope.Shows(Kind, WmoLaw.Law).ShouldBeTrue();
        decision.Scope.Shows(Kind, JeugdwetLaw.Law).ShouldBeFalse();
        decision.Scope.Shows(Ouder, WmoLaw.Law).ShouldBeFalse();
    }

    [Fact]
    public void A_consent_for_another_member_does_not_open_this_persons_provisions()
    {
        var decision = AccessPolicy.Decide(Columns["consent regisseur"], AccessAction.ReadPersonStacking,
            new AccessTarget.Person(Ouder, [Gezin]));

        decision.Outcome.ShouldBe(AccessOutcome.Forbidden);
    }

    [Fact]
    public void Consents_from_two_households_add_up_for_the_person()
    {
        var ander = Gezin with { Regisseur = "regisseur-erik", Consents = [new ActiveConsent(Guid.NewGuid(), Kind, "regisseur-bert", [JeugdwetLaw.Law], null)] };

        var decision = AccessPolicy.Decide(Columns["consent regisseur"], AccessAction.ReadPersonStacking, new AccessTarget.Person(Kind, [Gezin, ander]));

        decision.Scope.LawsOf(Kind, Contracts.Laws.All.Select(l => l.Law)).ShouldBe([JeugdwetLaw.Law, WmoLaw.Law], ignoreOrder: true);
    }

    [Fact]
    public void The_regisseur_who_recorded_a_consent_may_withdraw_it_after_the_regie_passed_on()
    {
        var overgedragen = Gezin with { Regisseur = "regisseur-erik" };

        AccessPolicy.Decide(Columns["assigned regisseur"], AccessAction.WithdrawConsent, new AccessTarget.Household(overgedragen, Consent))
            .Outcome.ShouldBe(AccessOutcome.Allowed);
        AccessPolicy.Decide(Columns["assigned regisseur"], AccessAction.WithdrawConsent, new AccessTarget.Household(overgedragen, Guid.NewGuid()))
            .Outcome.ShouldBe(AccessOutcome.NotFound, "without the regie or a consent she recorded, the household is not hers to see");
    }

    [Fact]
    public void A_message_in_another_aanbieders_name_is_refused()
    {
        var decision = AccessPolicy.Decide(Columns["aanbieder"], AccessAction.PostMessages, new AccessTarget.Message(Utrecht, "87654321"));

        decision.Outcome.ShouldBe(AccessOutcome.Forbidden);
        decision.Reason.ShouldContain("87654321");
    }

    [Fact]
    public void Relations_follow_the_household_events_on_the_date()
    {
        var id = Guid.NewGuid();
        var stream = $"household-{id}";
        var at = DateTimeOffset.UtcNow;
        IHouseholdEvent[] events =
        [
            new RegisseurAssigned(Guid.NewGuid(), stream, 1, at, Utrecht, id, "regisseur-anna", "Anna", new(2025, 1, 1)),
            new ConsentGiven(Guid.NewGuid(), stream, 2, at, Utrecht, id, Consent, Kind, "regisseur-bert", [WmoLaw.Law], new(2025, 2, 1), new(2025, 2, 28), "regisseur-anna"),
            new RegisseurTransferred(Guid.NewGuid(), stream, 3, at, Utrecht, id, "regisseur-anna", "regisseur-erik", "Erik", new(2025, 3, 1)),
        ];

        HouseholdRelations.On(events, new(2025, 2, 15))!.ShouldSatisfyAllConditions(
            r => r.Regisseur.ShouldBe("regisseur-anna"),
            r => r.Consents.ShouldHaveSingleItem().Ontvanger.ShouldBe("regisseur-bert"));
        HouseholdRelations.On(events, new(2025, 3, 1))!.ShouldSatisfyAllConditions(
            r => r.Regisseur.ShouldBe("regisseur-erik"),
            r => r.Consents.ShouldBeEmpty("the consent held up to and including 28 February"));
        HouseholdRelations.On([], new(2025, 3, 1)).ShouldBeNull();
    }

    /// <summary>The caller that may do this in its own gemeente, with a token of another gemeente; none for platform-wide actions.</summary>
    private static Caller? InOtherGemeente(AccessAction action) => action switch
    {
        AccessAction.ReadAccessLog or AccessAction.RunStatistics or AccessAction.OperatePlatform => null,
        AccessAction.ReadProvisions or AccessAction.ReadProvisionHistory or AccessAction.RecordMembership or AccessAction.PostProvisions =>
            Columns["aanleverancier"] with { Gemeente = Amsterdam },
        AccessAction.PostMessages => Columns["aanbieder"] with { Gemeente = Amsterdam },
        AccessAction.ListGemeenteHouseholds or AccessAction.AssignRegie => Columns["teamleider"] with { Gemeente = Amsterdam },
        _ => Columns["assigned regisseur"] with { Gemeente = Amsterdam },
    };

    /// <summary>What the policy decides, in the table's words.</summary>
    private static string Outcome(Caller caller, AccessAction action)
    {
        var household = new AccessTarget.Household(Gezin, Consent);
        var provision = new AccessTarget.Provision(Utrecht, new HashSet<string> { Agb });
        var decision = action switch
        {
            AccessAction.ReadPersonStacking => AccessPolicy.Decide(caller, action, new AccessTarget.Person(Kind, [Gezin])),
            AccessAction.ReadProvisions => AccessPolicy.Decide(caller, action, new AccessTarget.Platform()) is { Allowed: false } refused
                ? refused
                : AccessPolicy.Decide(caller, action, provision) is { Allowed: false } ? null : AccessPolicy.Decide(caller, action, provision),
            AccessAction.ReadProvisionHistory => AccessPolicy.Decide(caller, action, provision),
            AccessAction.SearchHouseholds => AccessPolicy.Decide(caller, action, new AccessTarget.Platform()) is { Allowed: false } refused
                ? refused
                : AccessPolicy.Decide(caller, action, household) is { Allowed: false } ? null : AccessPolicy.Decide(caller, action, household),
            // The list is asked of the gemeente, then shows each household the caller may see in it.
            AccessAction.ListGemeenteHouseholds => AccessPolicy.Decide(caller, action, new AccessTarget.InGemeente(Utrecht)) is { Allowed: false } refused
                ? refused
                : AccessPolicy.Decide(caller, action, household) is { Allowed: false } ? null : AccessPolicy.Decide(caller, action, household),
            AccessAction.PostProvisions => AccessPolicy.Decide(caller, action, new AccessTarget.InGemeente(Utrecht)),
            AccessAction.PostMessages => AccessPolicy.Decide(caller, action, new AccessTarget.Message(Utrecht, Agb)),
            AccessAction.ReadAccessLog or AccessAction.RunStatistics or AccessAction.OperatePlatform => AccessPolicy.Decide(caller, action, new AccessTarget.Platform()),
            _ => AccessPolicy.Decide(caller, action, household),
        };
        return decision switch
        {
            null => "empty",
            { Outcome: AccessOutcome.Forbidden } => "403",
            { Outcome: AccessOutcome.NotFound } => "404",
            _ when action == AccessAction.SearchHouseholds => "yes",
            { Scope.IsEverything: false } => "scoped",
            _ when caller.Is(Roles.Aanbieder) && action is AccessAction.ReadProvisions or AccessAction.ReadProvisionHistory => "own",
            _ => "yes",
        };
    }
}

/// <summary>Reads the table of docs/access-policy.md (copied beside the tests).</summary>
public static class AccessTable
{
    public const string OtherGemeente = "other gemeente";

    public static IEnumerable<(string Action, string Column, string Expected)> Cells()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "access-policy.md"));
        var header = Array.FindIndex(lines, l => l.StartsWith("| action |", StringComparison.Ordinal));
        var columns = Split(lines[header]);
        foreach (var line in lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = Split(line);
            for (var i = 2; i < columns.Length; i++) yield return (cells[0], columns[i], cells[i]);
        }
    }

    private static string[] Split(string row) => [.. row.Trim('|').Split('|').Select(c => c.Trim())];
}
