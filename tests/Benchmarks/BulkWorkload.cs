using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SocialDomain.Contracts;
using SocialDomain.Provisions;

namespace SocialDomain.Benchmarks;

/// <summary>One start of a new Jeugdwet provision, as a bulk load sends it: its own toewijzing, its own client.</summary>
public sealed record BulkStart(string Bsn, string Productcategorie, string ProductCode, string ToewijzingNummer, DateOnly Begindatum, DateOnly Geboortedatum)
{
    public const string Gemeente = "0363";

    /// <summary>The care provider that sends the workload: the messages name it as Afzender, and only it may send them.</summary>
    public const string Afzender = "65656055";

    public BatchRecord ToRecord() => new("start", Bsn, Gemeente, Productcategorie, ProductCode, ToewijzingNummer, Begindatum, Geboortedatum, null, null);

    /// <summary>What the batch endpoint makes of the record (BatchRecord.ToCommand is internal to the service).</summary>
    public StartCommand ToCommand() => new(new ProvisionKey(Bsn, Gemeente, Productcategorie, ProductCode, ToewijzingNummer, Begindatum), Geboortedatum);
}

/// <summary>
/// Fresh starts for the bulk-ingest benchmark. Every start is a new provision (a new toewijzingnummer) of a client
/// that has none yet in the store, as long as the 999-test BSNs last (90,909 of them); after that clients are reused
/// (their index streams then exist, which changes the work), and <see cref="ReusedClients"/> says how many were.
/// </summary>
public sealed class BulkWorkload
{
    private static readonly string[] Categorieen = ["45", "41", "43", "54", "32", "35"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private int _nextClient;
    private int _nextToewijzing;

    public int ReusedClients { get; private set; }

    private string NextClient()
    {
        if (_nextClient >= Workload.Persons.Length) ReusedClients++;
        return Workload.Persons[_nextClient++ % Workload.Persons.Length].Value;
    }

    private BulkStart NextStart(string bsn)
    {
        var i = _nextToewijzing++;
        var categorie = Categorieen[i % Categorieen.Length];
        // LDT_Nummer is an integer up to 999,999,999; ages 7 to 17 at the begindatum, so the age rule neither refuses nor warns.
        return new BulkStart(bsn, categorie, $"{categorie}A{i % 100:D2}", (100_000_000 + i).ToString(CultureInfo.InvariantCulture),
            new DateOnly(2026, 1, 1).AddDays(i % 365), new DateOnly(2009, 1, 1).AddDays(i % 3650));
    }

    /// <summary>Clients per batch record: every client in a batch gets this many provisions, next to each other.</summary>
    public const int ProvisionsPerClient = 2;

    /// <summary>
    /// Starts of <paramref name="count"/> new provisions, <see cref="ProvisionsPerClient"/> per client (two toewijzingen of
    /// different productcategorieën), as a migration from an existing system sends them.
    /// </summary>
    public BulkStart[] Batch(int count)
    {
        var starts = new BulkStart[count];
        var bsn = "";
        for (var i = 0; i < count; i++)
        {
            if (i % ProvisionsPerClient == 0) bsn = NextClient();
            starts[i] = NextStart(bsn);
        }
        return starts;
    }

    /// <summary>Starts of <paramref name="count"/> new provisions of one client: the products of one JW305.</summary>
    public BulkStart[] OneClient(int count)
    {
        var bsn = NextClient();
        return [.. Enumerable.Range(0, count).Select(_ => NextStart(bsn))];
    }

    /// <summary>The body of POST /provisions/batch, in the API's JSON conventions (camelCase, nulls left out).</summary>
    public static byte[] BatchBody(IEnumerable<BulkStart> starts) =>
        JsonSerializer.SerializeToUtf8Bytes(new BatchRequest([.. starts.Select(s => s.ToRecord())]), Json);

    /// <summary>A JW305 (iJw 3.2) for one client holding every start as a StartProduct, shaped like the official examples.</summary>
    public static byte[] Jw305(IReadOnlyList<BulkStart> products, int identificatie)
    {
        var geboortedatum = products.Min(p => p.Geboortedatum);
        var xml = new StringBuilder(capacity: 600 + products.Count * 420);
        xml.Append(CultureInfo.InvariantCulture, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <jw305:Bericht xmlns:ijw="http://www.istandaarden.nl/ijw/3_2/basisschema/schema" xmlns:jw305="http://www.istandaarden.nl/ijw/3_2/jw305/schema">
                <jw305:Header>
                    <jw305:BerichtCode>438</jw305:BerichtCode>
                    <jw305:BerichtVersie>3</jw305:BerichtVersie>
                    <jw305:BerichtSubversie>2</jw305:BerichtSubversie>
                    <jw305:Afzender>{BulkStart.Afzender}</jw305:Afzender>
                    <jw305:Ontvanger>{BulkStart.Gemeente}</jw305:Ontvanger>
                    <jw305:BerichtIdentificatie><ijw:Identificatie>{identificatie}</ijw:Identificatie><ijw:Dagtekening>2026-04-15</ijw:Dagtekening></jw305:BerichtIdentificatie>
                    <jw305:XsdVersie><ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie><ijw:BerichtXsdVersie>1.0.0</ijw:BerichtXsdVersie></jw305:XsdVersie>
                </jw305:Header>
                <jw305:Client>
                    <jw305:Bsn>{products[0].Bsn}</jw305:Bsn>
                    <jw305:Geboortedatum><ijw:Datum>{geboortedatum:yyyy-MM-dd}</ijw:Datum></jw305:Geboortedatum>
                    <jw305:Geslacht>1</jw305:Geslacht>
                    <jw305:Naam><ijw:Geslachtsnaam><ijw:Achternaam>Wit</ijw:Achternaam><ijw:Voorvoegsel>de</ijw:Voorvoegsel></ijw:Geslachtsnaam><ijw:Voornamen>Tom</ijw:Voornamen><ijw:Voorletters>T</ijw:Voorletters></jw305:Naam>
                    <jw305:StartProducten>

            """);
        foreach (var p in products)
            xml.Append(CultureInfo.InvariantCulture, $"""
                            <jw305:StartProduct>
                                <jw305:ToewijzingNummer>{p.ToewijzingNummer}</jw305:ToewijzingNummer>
                                <jw305:Product><ijw:Categorie>{p.Productcategorie}</ijw:Categorie><ijw:Code>{p.ProductCode}</ijw:Code></jw305:Product>
                                <jw305:ToewijzingIngangsdatum>{p.Begindatum:yyyy-MM-dd}</jw305:ToewijzingIngangsdatum>
                                <jw305:Begindatum>{p.Begindatum:yyyy-MM-dd}</jw305:Begindatum>
                                <jw305:StatusAanlevering>1</jw305:StatusAanlevering>
                            </jw305:StartProduct>

                """);
        xml.Append("""
                    </jw305:StartProducten>
                </jw305:Client>
            </jw305:Bericht>
            """);
        return Encoding.UTF8.GetBytes(xml.ToString());
    }
}
