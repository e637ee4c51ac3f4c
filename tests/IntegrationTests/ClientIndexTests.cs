using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Provisions;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// A client's provisions are found by the tag their streams carry, not by an index stream per client; a store written
/// before that still lists its provisions through the old index stream.
/// </summary>
public sealed class ClientIndexTests : EmbeddedPlatformTests
{
    private static readonly string Bsn = RealStackTests.TestPersons.ElementAt(78_001);

    [Fact]
    public async Task A_start_tags_its_stream_with_the_client_and_writes_no_index_event()
    {
        var first = await Start("wmo", new { bsn = Bsn, gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01" });
        var second = await Start("wmo", new { bsn = Bsn, gemeente = "0344", productcategorie = "03", begindatum = "2025-02-01" });

        (await AllStored("wmo")).Select(e => e.Type).ShouldAllBe(t => ProvisionService.Published.Knows(t));
        var tagged = await Services.GetRequiredKeyedService<IEventStore>("wmo").ReadTaggedStreamsAsync($"client:{Bsn}", Ct);
        tagged.Keys.ShouldBe([$"provision-{first}", $"provision-{second}"], ignoreOrder: true);
        (await Listed()).ShouldBe([second, first]);
    }

    [Fact]
    public async Task Provisions_indexed_by_an_earlier_version_in_a_client_stream_are_still_listed_once_each()
    {
        var current = await Start("wmo", new { bsn = Bsn, gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01" });
        var store = Services.GetRequiredKeyedService<IEventStore>("wmo");
        var stored = (ProvisionStarted)ProvisionService.Published.Deserialize((await StoredEvents("wmo")).Single());
        var earlier = Guid.NewGuid();
        var started = stored with
        {
            EventId = Guid.CreateVersion7(), StreamId = $"provision-{earlier}", ProvisionId = earlier, ToewijzingNummer = "legacy-1",
            Begindatum = new DateOnly(2020, 3, 1),
        };
        var metadata = new EventMetadata("an earlier version");
        var legacy = new EventSerializer([typeof(ProvisionRegistered)]);
        // As that version wrote them: the provision's stream, and the client's index stream naming both provisions.
        await store.AppendAsync([
            new StreamAppend(started.StreamId, 0, [ProvisionService.Published.Serialize(started.EventId, started, metadata)]),
            new StreamAppend($"client-{Bsn}", 0, [
                legacy.Serialize(Guid.CreateVersion7(), new ProvisionRegistered(earlier), metadata),
                legacy.Serialize(Guid.CreateVersion7(), new ProvisionRegistered(current), metadata)]),
        ], Ct);

        (await Listed()).ShouldBe([current, earlier]);
    }

    private async Task<List<Guid>> Listed()
    {
        var response = await Client.PostAsJsonAsync("/api/v1/wmo/clients/provisions/zoeken", new { bsn = Bsn }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("provisionId").GetGuid())];
    }
}
