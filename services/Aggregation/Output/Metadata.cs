using System.Text.Json;
using SocialDomain.Views.Statistics;

namespace SocialDomain.Aggregation.Output;

/// <summary>What the metadata names besides the table itself: where the counts come from and what protected them.</summary>
/// <param name="Regel">The disclosure rule applied; null for the beheerder's raw table.</param>
/// <param name="Bevolking">The denominators of the rates, when given.</param>
public sealed record MetadataBron(StatisticsExtract Extract, RegioIndeling Regios, DisclosureRule? Regel, Bevolking? Bevolking);

/// <summary>
/// The metadata file beside a table (<c>stapeling-metadata.json</c>), after StatLine's: the table's description and
/// source, its columns with units (StatLine's "DataProperties"), every dimension's keys with their titles, the
/// protection applied with the share of suppressed cells, the code list the regions were checked against with the
/// codes it did not have, and the population the rates are per.
/// </summary>
public static class Metadata
{
    public const string Titel = "Stapeling van voorzieningen in het sociaal domein; personen en huishoudens, wijk";

    public static string Bestandsnaam(string tabel) => tabel + "-metadata.json";

    public static void Write(IReadOnlyList<TableCells> tables, MetadataBron bron, string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();

        w.WriteStartObject("tabel");
        w.WriteString("titel", Titel);
        w.WriteString("samenvatting", "Personen en huishoudens met maatwerkvoorzieningen van de Jeugdwet, de Wmo 2015 en de Participatiewet, " +
            "naar combinatie van wetten, wet en productcategorie, per gemeente en wijk.");
        w.WriteString("bron", "Sociaal Domein Platform: de maatwerkvoorzieningen zoals de gemeente ze bij de wetten registreert, en de " +
            "huishoudens uit de lidmaatschappen die de gemeente uit de BRP aanlevert; gepseudonimiseerd extract.");
        w.WriteString("telwijze", "Op enig moment in de periode: wie in de periode minstens één dag een voorziening had. Een peildatum telt op die dag. " +
            "Een huishouden telt in de wijk waar het op de laatste dag van de periode woonde.");
        w.WriteString("eenheden", "personen (Personen_1) en huishoudens (Huishoudens_2): elke persoon en elk huishouden telt in één regio");
        w.WriteString("status", bron.Regel is null ? "onbeveiligd: alleen voor de beheerder, niet publiceren" : "beveiligd");
        w.WriteString("gemaakt", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteStartObject("extract");
        w.WriteString("sleutelVingerafdruk", bron.Extract.SleutelVingerafdruk);
        w.WriteNumber("bronEvents", bron.Extract.BronEvents);
        w.WriteNumber("personen", bron.Extract.Personen.Length);
        w.WriteNumber("huishoudens", bron.Extract.Huishoudens.Length);
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartObject("symbolen");
        w.WriteString(".", "geheim: onderdrukt ter bescherming van kleine aantallen, of berekend uit een onderdrukt aantal");
        w.WriteString("", "niet van toepassing: er is geen noemer (geen bevolkingscijfer, of een totaal van 0)");
        w.WriteEndObject();

        w.WriteStartArray("kolommen");
        foreach (var k in TableWriter.Kolommen)
        {
            w.WriteStartObject();
            w.WriteString("key", k.Key);
            w.WriteString("type", k.Type);
            w.WriteString("titel", k.Titel);
            if (k.Eenheid is not null)
            {
                w.WriteString("eenheid", k.Eenheid);
                w.WriteNumber("decimalen", k.Decimalen);
            }
            w.WriteString("omschrijving", k.Omschrijving);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("RegioS");
        foreach (var r in bron.Regios.Regios)
        {
            w.WriteStartObject();
            w.WriteString("key", r.Code);
            w.WriteString("titel", r.Naam);
            w.WriteString("niveau", r.WijkOnbekend ? "wijk onbekend" : r.Niveau.ToString().ToLowerInvariant());
            if (r.Ouder >= 0) w.WriteString("ligtIn", bron.Regios.Regios[r.Ouder].Code);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("Perioden");
        foreach (var p in tables.Select(t => t.Periode))
        {
            w.WriteStartObject();
            w.WriteString("key", p.Code);
            w.WriteString("titel", p.Titel);
            w.WriteString("soort", p.Soort);
            w.WriteString("van", p.Van.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("tot en met", p.Tot.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("SoortVoorziening");
        foreach (var s in Soorten.Volgorde)
        {
            w.WriteStartObject();
            w.WriteString("key", Soorten.Sleutel(s));
            w.WriteString("titel", Soorten.Naam(s));
            w.WriteString("omschrijving", Soorten.Omschrijving(s));
            w.WriteEndObject();
        }
        w.WriteEndArray();

        Beveiliging(w, tables, bron.Regel);
        Gebiedsindeling(w, bron.Regios);

        w.WriteStartObject("bevolking");
        if (bron.Bevolking is null) w.WriteNull("bron");
        else w.WriteString("bron", bron.Bevolking.Bron);
        w.WriteString("noemers", "Inwoners en particuliere huishoudens op 1 januari van het jaar van de periode (Perioden 2025JJ00 van het bevolkingsbestand). " +
            "Jeugdwet per 1 000 inwoners van 0 tot 18 jaar, Wmo per 1 000 van 18 jaar of ouder, Participatiewet per 1 000 van 18 tot 65 jaar; " +
            "productcategorieën per de doelgroep van hun wet; totaal en combinaties per 1 000 inwoners. De cijfers zijn berekend uit de gepubliceerde, afgeronde aantallen.");
        w.WriteEndObject();

        w.WriteString("geslacht", "Niet beschikbaar: het platform slaat geen geslacht op (de iJw/iWmo-berichten hebben het, maar het wordt niet bewaard).");
        w.WriteEndObject();
    }

    private static void Beveiliging(Utf8JsonWriter w, IReadOnlyList<TableCells> tables, DisclosureRule? regel)
    {
        w.WriteStartObject("beveiliging");
        if (regel is null)
        {
            w.WriteString("toegepast", "geen: onbeveiligde tabel, alleen voor de beheerder");
            w.WriteEndObject();
            return;
        }
        w.WriteNumber("drempel", regel.Drempel);
        w.WriteNumber("afronding", regel.Afronding);
        w.WriteNumber("beschermingsinterval", regel.Beschermingsinterval);
        w.WriteString("primair", $"Een aantal van 1 tot en met {regel.Drempel - 1} wordt niet gepubliceerd; een echte 0 wel.");
        w.WriteString("secundair", "Aanvullende cellen zijn onderdrukt zodat geen onderdrukt aantal terug te rekenen is uit totalen " +
            "(totaal = som van de combinaties, wet = som van haar combinaties, gemeente = som van haar wijken, Nederland = som van de gemeenten): " +
            $"wie alles wat gepubliceerd is als exact neemt, kan een onderdrukt klein aantal niet nauwkeuriger bepalen dan tot een interval " +
            $"waarvan de grenzen ten minste {regel.Beschermingsinterval} uiteen liggen (het beschermingsinterval).");
        w.WriteString("afronden", $"Elk gepubliceerd aantal is afzonderlijk afgerond op een veelvoud van {regel.Afronding}; totalen zijn daardoor niet altijd de som van hun delen.");
        var cellen = tables.Sum(t => (long)t.Regios.Regios.Count * Soorten.Count);
        foreach (var (naam, cel) in new[] { ("personen", (Func<TableCells, Func<int, int, int?>>)(t => t.Personen)), ("huishoudens", t => t.Huishoudens) })
        {
            long onderdrukt = 0;
            foreach (var t in tables)
                for (var r = 0; r < t.Regios.Regios.Count; r++)
                    for (var s = 0; s < Soorten.Count; s++)
                        if (cel(t)(r, s) is null) onderdrukt++;
            w.WriteStartObject(naam);
            w.WriteNumber("cellen", cellen);
            w.WriteNumber("onderdrukt", onderdrukt);
            w.WriteNumber("aandeelOnderdrukt", cellen == 0 ? 0 : Math.Round(100.0 * onderdrukt / cellen, 1));
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void Gebiedsindeling(Utf8JsonWriter w, RegioIndeling regios)
    {
        w.WriteStartObject("gebiedsindeling");
        if (regios.Codelijst is not { } lijst)
        {
            w.WriteString("toegepast", "geen: de codes zijn niet gecontroleerd");
            w.WriteEndObject();
            return;
        }
        w.WriteNumber("jaar", lijst.Jaar);
        w.WriteString("bron", lijst.Bron);
        w.WriteNumber("gemeenten", lijst.AantalGemeenten);
        w.WriteNumber("wijken", lijst.AantalWijken);
        w.WriteStartArray("onbekendeCodes");
        foreach (var o in regios.OnbekendeCodes)
        {
            w.WriteStartObject();
            w.WriteString("code", o.Code);
            w.WriteString("niveau", o.Niveau.ToString().ToLowerInvariant());
            w.WriteNumber("huishoudens", o.Huishoudens);
            w.WriteNumber("voorzieningen", o.Voorzieningen);
            w.WriteString("geteldIn", o.GeteldIn);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
