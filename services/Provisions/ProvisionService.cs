using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.ServiceDefaults;

namespace SocialDomain.Provisions;

/// <summary>Decides on starts and ends of provisions under one law and records them in that law's own store.</summary>
public sealed class ProvisionService(LawDefinition law, IEventStore store, EventSerializer serializer, TimeProvider clock)
{
    public static readonly Type[] EventTypes = [typeof(ProvisionStarted), typeof(ProvisionEnded), typeof(ProvisionRetracted)];

    private const int ConcurrencyAttempts = 5;

    public LawDefinition Law => law;

    public async Task<Provision> Start(StartProvisionRequest request, EventMetadata metadata, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (!Bsn.TryParse(request.Bsn, out var bsn, out var bsnError)) errors.Add("bsn", bsnError);
        if (!Gemeentecode.TryParse(request.Gemeente, out var gemeente, out var gemeenteError)) errors.Add("gemeente", gemeenteError);
        if (!Productcategorie.TryParse(law.Law, request.Productcategorie, out var categorie, out var categorieError))
            errors.Add("productcategorie", categorieError);
        var begindatum = errors.Required("begindatum", request.Begindatum);
        if (request.Geboortedatum > request.Begindatum) errors.Add("geboortedatum", "The birth date lies after the begindatum.");
        if (request.ProductCode is { Length: > 5 }) errors.Add("productCode", "A product code has at most 5 characters.");
        if (request.ToewijzingNummer is { } nummer && (nummer.Length is 0 or > 20 || !nummer.All(char.IsAsciiLetterOrDigit)))
            errors.Add("toewijzingNummer", "A toewijzingnummer is 1 to 20 letters or digits.");
        errors.ThrowIfAny();

        var provisionId = IdentityOf(gemeente, bsn, categorie, request.ProductCode, request.ToewijzingNummer, begindatum!.Value);
        return await Decide(provisionId, current =>
        {
            if (current?.Actual is not null)
                throw new ApiProblem(StatusCodes.Status409Conflict, "Provision already started",
                    "There is an actual start with the same key; end it first.", retourcode: "9326");
            if (current?.Perioden[^1].Einddatum is { } previousEnd && begindatum <= previousEnd)
                throw ApiProblem.Invalid("begindatum", $"A new start must begin after the previous period's einddatum {previousEnd:yyyy-MM-dd}.");
            return new ProvisionStarted(Guid.CreateVersion7(), StreamOf(provisionId), (current?.Version ?? 0) + 1, clock.GetUtcNow(),
                gemeente, law.Law, provisionId, bsn, categorie.Code, request.ProductCode, request.ToewijzingNummer,
                begindatum.Value, request.Geboortedatum);
        }, metadata, ct);
    }

    public async Task<Provision> End(Guid provisionId, EndProvisionRequest request, EventMetadata metadata, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var einddatum = errors.Required("einddatum", request.Einddatum);
        if (!RedenBeeindiging.TryParse(law.Law, request.RedenBeeindiging, out var reden, out var redenError))
            errors.Add("redenBeeindiging", redenError);
        errors.ThrowIfAny();

        return await Decide(provisionId, current =>
        {
            if (current is null)
                throw new ApiProblem(StatusCodes.Status404NotFound, "No such provision",
                    "There is no start with this key to end.", retourcode: "9069");
            if (current.Actual is not { } actual)
                throw new ApiProblem(StatusCodes.Status409Conflict, "Provision not started",
                    "The provision has no actual start to end: it has ended already.", retourcode: "9069");
            if (einddatum < actual.Begindatum)
                throw ApiProblem.Invalid("einddatum", $"The einddatum lies before the begindatum {actual.Begindatum:yyyy-MM-dd}.");
            return new ProvisionEnded(Guid.CreateVersion7(), StreamOf(provisionId), current.Version + 1, clock.GetUtcNow(),
                current.First.Gemeente, law.Law, provisionId, current.First.Bsn, actual.Begindatum, einddatum!.Value, reden.Code);
        }, metadata, ct);
    }

    public async Task<Provision?> Get(Guid provisionId, CancellationToken ct) =>
        Provision.From(await Load(provisionId, ct));

    /// <summary>Reads the stream, decides, appends; when another request wrote first, decides again on the new state.</summary>
    private async Task<Provision> Decide(Guid provisionId, Func<Provision?, IProvisionEvent> decide, EventMetadata metadata, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var history = await Load(provisionId, ct);
            var current = Provision.From(history);
            var @event = decide(current);
            try
            {
                await store.AppendAsync(@event.StreamId, current?.Version ?? 0, [serializer.Serialize(@event.EventId, @event, metadata)], ct);
                return Provision.From([.. history, @event])!;
            }
            catch (WrongExpectedVersionException) when (attempt < ConcurrencyAttempts)
            {
            }
            catch (WrongExpectedVersionException)
            {
                throw new ApiProblem(StatusCodes.Status409Conflict, "Concurrent change",
                    "The provision was changed by another request at the same time; try again.");
            }
        }
    }

    private async Task<List<IProvisionEvent>> Load(Guid provisionId, CancellationToken ct) =>
        [.. (await store.ReadStreamAsync(StreamOf(provisionId), ct)).Select(e => (IProvisionEvent)serializer.Deserialize(e))];

    private static string StreamOf(Guid provisionId) => $"provision-{provisionId}";

    /// <summary>
    /// The identity of a provision is its toewijzingnummer when there is one, else productcategorie, productcode
    /// and begindatum (rule IV096), always within one client and gemeente. Deriving the id from that key makes the
    /// key's stream the place where a second start is refused.
    /// </summary>
    private Guid IdentityOf(Gemeentecode gemeente, Bsn bsn, Productcategorie categorie, string? productCode, string? toewijzing, DateOnly begindatum)
    {
        var key = toewijzing is not null
            ? $"{law.Law}|{gemeente}|{bsn}|T|{toewijzing}"
            : $"{law.Law}|{gemeente}|{bsn}|P|{categorie.Code}|{productCode}|{begindatum:yyyy-MM-dd}";
        return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));
    }
}
