using SocialDomain.Contracts;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Provisions;
using SocialDomain.Wmo;
using static SocialDomain.Provisions.StatusAanlevering;

namespace SocialDomain.UnitTests;

/// <summary>The iStandaarden lifecycle rules, each tried on <see cref="ProvisionDecider"/> with the events of a stream.</summary>
public class ProvisionDeciderTests
{
    private const string Child = "999990019";
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly LawDefinition Jeugd = JeugdwetLaw.Definition;

    [Theory]
    [MemberData(nameof(SecondActualStarts))]
    public void Second_actual_start_with_the_same_key_is_refused_with_9326(string begindatum) =>
        Refused(Given(Start("2025-01-01")), Start(begindatum)).Retourcode.ShouldBe("9326");

    public static TheoryData<string> SecondActualStarts => ["2025-01-01", "2025-03-01", "2024-12-01"];

    [Fact]
    public void A_start_received_before_is_refused_with_9074() =>
        Refused(Given(Start("2025-01-01"), Stop("2025-01-01", "2025-01-31", "20")), Start("2025-01-01")).Retourcode.ShouldBe("9074");

    [Theory]
    [MemberData(nameof(StopsWithoutActualStart))]
    public void Stop_without_an_actual_start_is_refused_with_9069(string situation, ProvisionCommand[] history)
    {
        var refusal = Refused(Given(history), Stop("2025-01-01", "2025-03-31"));

        refusal.Retourcode.ShouldBe("9069", situation);
    }

    public static TheoryData<string, ProvisionCommand[]> StopsWithoutActualStart => new()
    {
        { "nothing received", [] },
        { "the start was stopped already", [Start("2025-01-01"), Stop("2025-01-01", "2025-02-28", "20")] },
        { "another begindatum", [Start("2025-01-02")] },
    };

    [Fact]
    public void Stop_of_a_withdrawn_start_is_refused_with_9069() =>
        Refused(Given(Start("2025-01-01"), Start("2025-01-01", Verwijderen)), Stop("2025-01-01", "2025-03-31")).Retourcode.ShouldBe("9069");

    [Theory]
    [InlineData("45A12")]
    [InlineData(null)]
    public void A_stop_whose_product_differs_from_its_start_is_refused_with_9069_TR382(string? productCode) =>
        Refused(Given(Start("2025-01-01")), Stop("2025-01-01", "2025-03-31", productCode: productCode)).Retourcode.ShouldBe("9069");

    [Fact]
    public void Withdrawing_a_stopped_start_is_refused_with_9071() =>
        Refused(Given(Start("2025-01-01"), Stop("2025-01-01", "2025-03-31")), Start("2025-01-01", Verwijderen)).Retourcode.ShouldBe("9071");

    [Theory]
    [MemberData(nameof(WithoutEarlierRecord))]
    public void Withdrawing_or_confirming_a_record_never_received_is_refused_with_9063(ProvisionCommand[] history, ProvisionCommand command) =>
        Refused(Given(history), command).Retourcode.ShouldBe("9063");

    public static TheoryData<ProvisionCommand[], ProvisionCommand> WithoutEarlierRecord => new()
    {
        { [], Start("2025-01-01", Verwijderen) },
        { [], Start("2025-01-01", Ongewijzigd) },
        { [Start("2025-01-01")], Start("2025-02-01", Verwijderen) },
        { [Start("2025-01-01")], Stop("2025-01-01", null, null, Verwijderen) },
        { [Start("2025-01-01")], Stop("2025-01-01", null, null, Ongewijzigd) },
        { [Start("2025-01-01"), Start("2025-01-01", Verwijderen)], Start("2025-01-01", Verwijderen) },
    };

    [Theory]
    [InlineData("2025-01-15")]
    [InlineData("2025-01-31")]
    public void A_new_start_inside_the_previous_period_is_refused_with_9361(string begindatum) =>
        Refused(Given(Start("2025-01-01"), Stop("2025-01-01", "2025-01-31", "20")), Start(begindatum)).Retourcode.ShouldBe("9361");

    [Fact]
    public void Withdrawing_a_stop_that_a_later_start_follows_is_refused_with_9361() =>
        Refused(Given(Start("2025-01-01"), Stop("2025-01-01", "2025-01-31", "20"), Start("2025-03-01")),
            Stop("2025-01-01", null, null, Verwijderen)).Retourcode.ShouldBe("9361");

    [Theory]
    [InlineData("20", null)]
    [InlineData("31", "9415")]
    [InlineData("02", "9415")]
    [InlineData("38", "9415")]
    public void Only_a_temporary_stop_allows_a_new_start_in_the_same_toewijzing(string reden, string? refusal)
    {
        var decision = ProvisionDecider.Decide(Given(Start("2025-01-01"), Stop("2025-01-01", "2025-01-31", reden)), Start("2025-03-01"), Jeugd, Now);

        if (refusal is null) decision.ShouldBeOfType<Decision.Accepted>().Events.ShouldHaveSingleItem().ShouldBeOfType<ProvisionStarted>();
        else decision.ShouldBeOfType<Decision.Refused>().Retourcode.ShouldBe(refusal);
    }

    [Fact]
    public void A_correction_is_a_withdrawal_then_a_new_start()
    {
        var events = new List<IProvisionEvent>();
        var original = Accepted(events, Start("2025-01-01")).ShouldBeOfType<ProvisionStarted>();

        Accepted(events, Start("2025-01-01", Verwijderen)).ShouldBeOfType<ProvisionRetracted>().RetractedEventId.ShouldBe(original.EventId);
        Accepted(events, Start("2025-01-10"));

        var state = ProvisionState.From(events);
        state.Perioden.ShouldHaveSingleItem().Begindatum.ShouldBe(new DateOnly(2025, 1, 10));
        state.Version.ShouldBe(3);
    }

    [Fact]
    public void A_withdrawn_start_counts_as_never_sent() =>
        Given(Start("2025-01-01"), Start("2025-01-01", Verwijderen)).First.ShouldBeNull();

    [Fact]
    public void A_withdrawn_stop_makes_the_start_actual_again()
    {
        var state = Given(Start("2025-01-01"), Stop("2025-01-01", "2025-03-31"), Stop("2025-01-01", null, null, Verwijderen));

        state.Actual.ShouldNotBeNull().Begindatum.ShouldBe(new DateOnly(2025, 1, 1));
    }

    [Theory]
    [MemberData(nameof(Unchanged))]
    public void An_unchanged_record_is_accepted_and_records_nothing(ProvisionCommand[] history, ProvisionCommand command) =>
        ProvisionDecider.Decide(Given(history), command, Jeugd, Now).ShouldBeOfType<Decision.Accepted>().Events.ShouldBeEmpty();

    public static TheoryData<ProvisionCommand[], ProvisionCommand> Unchanged => new()
    {
        { [Start("2025-01-01")], Start("2025-01-01", Ongewijzigd) },
        { [Start("2025-01-01"), Stop("2025-01-01", "2025-03-31")], Stop("2025-01-01", null, null, Ongewijzigd) },
    };

    [Fact]
    public void An_accepted_stop_is_the_next_event_of_its_stream_at_the_given_time()
    {
        var state = Given(Start("2025-01-01"));

        var stop = Accepted(state, Stop("2025-01-01", "2025-03-31", "31")).ShouldBeOfType<ProvisionEnded>();

        stop.StreamVersion.ShouldBe(2);
        stop.StreamId.ShouldBe(state.First!.StreamId);
        stop.ProvisionId.ShouldBe(state.First.ProvisionId);
        stop.OccurredAt.ShouldBe(Now);
        (stop.Begindatum, stop.Einddatum, stop.RedenBeeindiging).ShouldBe((new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 31), "31"));
    }

    [Theory]
    [MemberData(nameof(Identities))]
    public void A_provision_is_identified_by_its_toewijzingnummer_or_else_by_product_and_begindatum_IV096(
        string rule, ProvisionCommand first, ProvisionCommand second, bool same)
    {
        var (a, b) = (ProvisionDecider.IdentityOf(Jeugd, first), ProvisionDecider.IdentityOf(Jeugd, second));

        a.ShouldNotBeNull();
        (a == b).ShouldBe(same, rule);
    }

    public static TheoryData<string, ProvisionCommand, ProvisionCommand, bool> Identities => new()
    {
        { "the toewijzing, whatever its begindatum", Start("2025-01-01"), Stop("2025-03-01", "2025-04-01"), true },
        { "the toewijzing, whatever its product", Start("2025-01-01"), Start("2025-01-01", productCode: "45A12"), true },
        { "another toewijzing", Start("2025-01-01"), Start("2025-01-01", toewijzing: "T2"), false },
        { "without toewijzing, the same product and begindatum", Start("2025-01-01", toewijzing: null), Stop("2025-01-01", "2025-04-01", toewijzing: null), true },
        { "without toewijzing, another begindatum", Start("2025-01-01", toewijzing: null), Start("2025-01-02", toewijzing: null), false },
        { "without toewijzing, another product", Start("2025-01-01", toewijzing: null), Start("2025-01-01", productCode: "45A12", toewijzing: null), false },
        { "another gemeente", Start("2025-01-01"), Start("2025-01-01", gemeente: "0363"), false },
    };

    [Fact]
    public void The_same_key_under_another_law_is_another_provision() =>
        ProvisionDecider.IdentityOf(WmoLaw.Definition, Start("2025-01-01", categorie: "02"))
            .ShouldNotBe(ProvisionDecider.IdentityOf(ParticipatiewetLaw.Definition, Start("2025-01-01", categorie: "PW01")));

    [Theory]
    [MemberData(nameof(Ages))]
    public void The_age_at_the_begindatum_is_refused_where_the_law_cannot_allow_it_and_warned_where_it_is_exceptional(
        LawDefinition law, string geboortedatum, string? refusal, string? warning)
    {
        var categorie = law.Productcategorieen.Keys.First();
        var decision = ProvisionDecider.Decide(null, Start("2025-01-01", geboortedatum: geboortedatum, categorie: categorie), law, Now);

        if (refusal is null) decision.ShouldBeOfType<Decision.Accepted>();
        else decision.ShouldBeOfType<Decision.Refused>().Errors["geboortedatum"].ShouldHaveSingleItem().ShouldContain(refusal);
        if (warning is null) decision.Warnings.ShouldBeEmpty();
        else decision.Warnings.ShouldHaveSingleItem().ShouldContain(warning);
    }

    public static TheoryData<LawDefinition, string, string?, string?> Ages => new()
    {
        { JeugdwetLaw.Definition, "2010-06-01", null, null },
        { JeugdwetLaw.Definition, "2007-01-01", null, "verlengde jeugdhulp" },
        { JeugdwetLaw.Definition, "2002-01-02", null, "verlengde jeugdhulp" },
        { JeugdwetLaw.Definition, "2002-01-01", "ends at 23", null },
        { WmoLaw.Definition, "2010-06-01", null, "exceptional" },
        { WmoLaw.Definition, "1950-06-01", null, null },
        { ParticipatiewetLaw.Definition, "2007-01-02", "18 and older", null },
        { ParticipatiewetLaw.Definition, "2007-01-01", null, null },
        { ParticipatiewetLaw.Definition, "1958-01-01", null, "AOW" },
    };

    [Fact]
    public void The_age_is_checked_on_a_new_start_only() =>
        ProvisionDecider.Decide(Given(Start("2025-01-01")), Start("2025-01-01", Ongewijzigd, geboortedatum: "2000-01-01"), Jeugd, Now)
            .ShouldBeOfType<Decision.Accepted>();

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public void A_record_with_an_invalid_field_is_refused_with_0001_naming_the_field(ProvisionCommand command, string field)
    {
        var refusal = Refused(null, command);

        refusal.Retourcode.ShouldBe("0001");
        refusal.Errors.Keys.ShouldBe([field]);
    }

    public static TheoryData<ProvisionCommand, string> InvalidFields => new()
    {
        { Start("2025-01-01") with { Key = Key("2025-01-01") with { Bsn = "123456789" } }, "bsn" },
        { Start("2025-01-01", gemeente: "344"), "gemeente" },
        { Start("2025-01-01", categorie: "02"), "productcategorie" },
        { Start("2025-01-01", productCode: "45A11X"), "productCode" },
        { Start("2025-01-01", toewijzing: "T-1"), "toewijzingNummer" },
        { Start("2025-01-01") with { Key = Key("2025-01-01") with { Begindatum = null } }, "begindatum" },
        { Start("2025-01-01", Gewijzigd), "statusAanlevering" },
        { Start("2025-01-01", (StatusAanlevering)4), "statusAanlevering" },
        { Start("2025-01-01", geboortedatum: "2025-01-02"), "geboortedatum" },
        { Stop("2025-01-01", null), "einddatum" },
        { Stop("2025-01-01", "2024-12-31"), "einddatum" },
        { Stop("2025-01-01", "2025-03-31", "19"), "redenBeeindiging" },
    };

    /// <summary>The state after every record of <paramref name="history"/> was accepted, in order.</summary>
    private static ProvisionState Given(params ProvisionCommand[] history)
    {
        var events = new List<IProvisionEvent>();
        foreach (var command in history) Accepted(events, command);
        return ProvisionState.From(events);
    }

    private static IProvisionEvent Accepted(List<IProvisionEvent> events, ProvisionCommand command)
    {
        var @event = Accepted(ProvisionState.From(events), command);
        events.Add(@event);
        return @event;
    }

    private static IProvisionEvent Accepted(ProvisionState state, ProvisionCommand command) =>
        ProvisionDecider.Decide(state, command, Jeugd, Now).ShouldBeOfType<Decision.Accepted>().Events.ShouldHaveSingleItem();

    private static Decision.Refused Refused(ProvisionState? state, ProvisionCommand command)
    {
        var refusal = ProvisionDecider.Decide(state, command, Jeugd, Now).ShouldBeOfType<Decision.Refused>();
        refusal.Message.ShouldNotBeNullOrWhiteSpace();
        return refusal;
    }

    private static ProvisionKey Key(string begindatum, string categorie = "45", string? productCode = "45A11", string? toewijzing = "T1",
        string gemeente = "0344") =>
        new(Child, gemeente, categorie, productCode, toewijzing, DateOnly.Parse(begindatum));

    private static StartCommand Start(string begindatum, StatusAanlevering status = Eerste, string? geboortedatum = null,
        string categorie = "45", string? productCode = "45A11", string? toewijzing = "T1", string gemeente = "0344") =>
        new(Key(begindatum, categorie, productCode, toewijzing, gemeente), geboortedatum is null ? null : DateOnly.Parse(geboortedatum), status);

    private static StopCommand Stop(string begindatum, string? einddatum, string? reden = "31", StatusAanlevering status = Eerste,
        string? productCode = "45A11", string? toewijzing = "T1") =>
        new(Key(begindatum, productCode: productCode, toewijzing: toewijzing), einddatum is null ? null : DateOnly.Parse(einddatum), reden, status);
}
