using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SocialDomain.Households;
using SocialDomain.Projections;
using SocialDomain.Relay;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// POST /households/members/batch, the BRP-bewoning feed in bulk: all or nothing, every record validated and decided
/// as its own endpoint would, with the same access policy, and what it stores reaches the projection.
/// </summary>
public sealed class MembershipBatchTests : EmbeddedPlatformTests
{
    private const string Path = "/api/v1/households/members/batch";
    private static readonly string[] Persons = [.. RealStackTests.TestPersons.Take(2000)];

    private HttpClient Feed => Host.As(Roles.Aanleverancier, "0344", "brp-koppeling");

    private static object Join(Guid household, string bsn, string rol = "Kind", string van = "2020-01-01", string gemeente = "0344") =>
        new { soort = "join", householdId = household, bsn, gemeente, rol, van };

    private static object Leave(Guid household, string bsn, string tot) => new { soort = "leave", householdId = household, bsn, tot };

    private Task<HttpResponseMessage> Batch(HttpClient client, IEnumerable<object?> records) =>
        client.PostAsJsonAsync(Path, new { records }, Ct);

    private Task<IReadOnlyList<SocialDomain.EventStore.StoredEvent>> Stored() => AllStored(HouseholdsService.Name);

    [Fact]
    public async Task A_batch_of_thousands_of_joins_and_leaves_is_stored_in_one_go_and_the_projection_sees_every_member()
    {
        // 1,000 households of two members; the first member of every tenth household leaves again in the same batch.
        var households = Enumerable.Range(0, 1000).Select(_ => Guid.CreateVersion7()).ToArray();
        var records = new List<object>();
        for (var h = 0; h < households.Length; h++)
        {
            records.Add(Join(households[h], Persons[2 * h], "Ouder"));
            records.Add(Join(households[h], Persons[2 * h + 1]));
        }
        var leaving = Enumerable.Range(0, households.Length).Where(h => h % 10 == 0).ToArray();
        records.AddRange(leaving.Select(h => Leave(households[h], Persons[2 * h], "2025-06-30")));

        var response = await Batch(Feed, records);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        body.GetProperty("accepted").GetInt32().ShouldBe(2100);
        var changes = body.GetProperty("changes").EnumerateArray().ToList();
        changes.Count.ShouldBe(2100);
        changes[1].GetProperty("householdId").GetGuid().ShouldBe(households[0]);
        changes[1].GetProperty("version").GetInt64().ShouldBe(2);
        changes[2000].GetProperty("version").GetInt64().ShouldBe(3);
        (await Stored()).Count.ShouldBe(2100);

        var inbox = Services.GetRequiredService<IInbox>();
        foreach (var h in new[] { 0, 1, 500, 999 })
        {
            var expected = leaving.Contains(h) ? 3 : 2;
            (await Eventually.Get(() => inbox.ReadHouseholdAsync(households[h], Ct), e => e.Count == expected)).Count.ShouldBe(expected);
        }
        var view = await Eventually.Get(() => Client.GetFromJsonAsync<JsonElement>($"/api/v1/households/{households[0]}?date=2025-03-01", Ct),
            v => v.GetProperty("leden").GetArrayLength() == 2);
        view.GetProperty("leden").EnumerateArray().Single(l => l.GetProperty("bsn").GetString() == Persons[0])
            .GetProperty("tot").GetString().ShouldBe("2025-06-30");
        (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/households/{households[0]}?date=2025-07-01", Ct))
            .GetProperty("leden").EnumerateArray().Select(l => l.GetProperty("bsn").GetString()).ShouldBe([Persons[1]]);
    }

    [Fact]
    public async Task A_batch_with_bad_records_stores_nothing_and_names_every_bad_record_by_index()
    {
        var household = Guid.CreateVersion7();
        var response = await Batch(Feed, [
            Join(household, Persons[0], "Ouder"),
            Join(household, "123456789"),
            new { soort = "verhuizing", householdId = household, bsn = Persons[1] },
            Leave(household, Persons[2], "2025-06-30"),
            new { soort = "join", householdId = household, bsn = Persons[3], gemeente = "0344", rol = "Kind", van = "2020-01-01", geboortedatum = "2021-01-01" },
            null,
            Join(household, Persons[4]),
        ]);

        var problem = await ShouldBeProblem(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe(
            ["records[1].bsn", "records[2].soort", "records[3]", "records[4].geboortedatum", "records[5]"], ignoreOrder: true);
        errors.GetProperty("records[3]")[0].GetString()!.ShouldStartWith("Not a member");
        problem.GetProperty("detail").GetString()!.ShouldStartWith("5 record(s) refused; nothing was stored");
        await NothingStoredOrPublished();
    }

    [Fact]
    public async Task Every_record_is_validated_exactly_as_its_own_endpoint_validates_it()
    {
        // Values JSON itself cannot carry (a date 2020-02-30) refuse the body before any record is looked at, as one by one.
        var household = Guid.CreateVersion7();
        object[] joins =
        [
            new { bsn = "12345678x", gemeente = "344", rol = "Oom" },
            new { bsn = Persons[0], gemeente = "0344", rol = "1", van = "1899-12-31", wijk = "WK99" },
            new { bsn = Persons[0], gemeente = "0344", rol = "Kind" },
            new { bsn = Persons[0], gemeente = "0344", rol = "Kind", van = "2020-01-01", geboortedatum = "2100-12-31" },
        ];
        object[] leaves = [new { bsn = "1", tot = "2025-01-01" }, new { bsn = Persons[0] }];

        var single = new List<HashSet<string>>();
        foreach (var join in joins) single.Add(await ErrorFields(await Feed.PostAsJsonAsync($"/api/v1/households/{household}/members", join, Ct)));
        foreach (var leave in leaves) single.Add(await ErrorFields(await Feed.PostAsJsonAsync($"/api/v1/households/{household}/members/leave", leave, Ct)));
        var records = joins.Select(j => With(j, "join", household)).Concat(leaves.Select(l => With(l, "leave", household))).ToList();
        var batch = await ErrorFields(await Batch(Feed, records));

        for (var i = 0; i < single.Count; i++)
        {
            single[i].ShouldNotBeEmpty();
            batch.Where(f => f.StartsWith($"records[{i}]")).Select(f => f[$"records[{i}].".Length..]).ToHashSet().ShouldBe(single[i], ignoreOrder: true);
        }
        await NothingStoredOrPublished();
    }

    [Fact]
    public async Task The_access_policy_decides_each_record_as_for_one_join_a_refused_record_refuses_the_batch()
    {
        var ours = Guid.CreateVersion7();
        var theirs = Guid.CreateVersion7();
        (await Batch(Host.As(Roles.Aanleverancier, "0363", "brp-utrecht"), [Join(theirs, Persons[9], gemeente: "0363")])).StatusCode.ShouldBe(HttpStatusCode.OK);
        var before = (await Stored()).Count;

        foreach (var (caller, single, batch) in new[]
                 {
                     (Host.As(Roles.Teamleider, "0344", "teamleider-dirk"), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
                     (Host.As(Roles.Regisseur, "0344", "regisseur-anna"), HttpStatusCode.NotFound, HttpStatusCode.NotFound),
                     (Host.As(Roles.Statisticus), HttpStatusCode.NotFound, HttpStatusCode.NotFound),
                 })
        {
            (await caller.PostAsJsonAsync($"/api/v1/households/{ours}/members", new { bsn = Persons[0], gemeente = "0344", rol = "Ouder", van = "2020-01-01" }, Ct))
                .StatusCode.ShouldBe(single);
            var refused = await ShouldBeProblem(await Batch(caller, [Join(ours, Persons[0], "Ouder"), Join(ours, Persons[1])]), batch);
            refused.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["records[0]", "records[1]"], ignoreOrder: true);
        }

        // The feed of 0344 may not reach into 0363's household, not even beside records it may send: 404, as one by one.
        (await Feed.PostAsJsonAsync($"/api/v1/households/{theirs}/members/leave", new { bsn = Persons[9], tot = "2025-01-01" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var mixed = await ShouldBeProblem(await Batch(Feed, [Join(ours, Persons[0], "Ouder"), Leave(theirs, Persons[9], "2025-01-01")]), HttpStatusCode.NotFound);
        mixed.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["records[1]"]);
        (await Stored()).Count.ShouldBe(before);

        // A record may rely on one before it: the first join creates the household whose gemeente the second is checked against.
        (await Batch(Feed, [Join(ours, Persons[0], "Ouder"), Join(ours, Persons[1]), Leave(ours, Persons[1], "2025-01-01")]))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Stored()).Count.ShouldBe(before + 3);
    }

    [Fact]
    public async Task A_replayed_batch_is_refused_whole_with_409_naming_the_records_its_state_refuses_and_stores_nothing_more()
    {
        var household = Guid.CreateVersion7();
        object[] records = [Join(household, Persons[0], "Ouder"), Join(household, Persons[1]), Leave(household, Persons[1], "2025-12-31")];
        (await Batch(Feed, records)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var stored = (await Stored()).Count;

        var replay = await ShouldBeProblem(await Batch(Feed, records), HttpStatusCode.Conflict);

        // Persons[1] left, so joining again and leaving again would be new; Persons[0] is a member still.
        var errors = replay.GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe(["records[0]"]);
        errors.GetProperty("records[0]")[0].GetString()!.ShouldStartWith("Already a member");
        (await Stored()).Count.ShouldBe(stored);
    }

    private async Task NothingStoredOrPublished()
    {
        (await Stored()).ShouldBeEmpty();
        await Task.Delay(100, Ct);
        Services.GetRequiredKeyedService<EventRelay>(HouseholdsService.Name).Published.ShouldBe(0);
    }

    private static async Task<HashSet<string>> ErrorFields(HttpResponseMessage response)
    {
        var problem = await ShouldBeProblem(response, HttpStatusCode.BadRequest);
        return [.. problem.GetProperty("errors").EnumerateObject().Select(e => e.Name)];
    }

    /// <summary>A single endpoint's body as a batch record: its fields, the soort and the household.</summary>
    private static Dictionary<string, object?> With(object body, string soort, Guid household)
    {
        var record = JsonSerializer.SerializeToElement(body).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        record["soort"] = soort;
        record["householdId"] = household;
        return record;
    }
}
