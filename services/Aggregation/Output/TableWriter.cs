using System.Globalization;
using System.Text;
using System.Text.Json;
using SocialDomain.Views.Statistics;

namespace SocialDomain.Aggregation.Output;

/// <summary>The cells of one period's table, protected (null where suppressed) or raw.</summary>
public sealed record TableCells(Periode Periode, RegioIndeling Regios, Func<int, int, int?> Personen, Func<int, int, int?> Huishoudens)
{
    public static TableCells Of(ProtectedTable t) => new(t.Periode, t.Regios, t.PersonenIn, t.HuishoudensIn);

    public static TableCells Of(StackingTable t) => new(t.Periode, t.Regios, (r, s) => t.PersonenIn(r, s), (r, s) => t.HuishoudensIn(r, s));
}

/// <summary>A column of the table as StatLine describes its columns (its "DataProperties"): key, kind, title, unit, decimals.</summary>
public sealed record Kolom(string Key, string Type, string Titel, string? Eenheid, int Decimalen, string Omschrijving);

/// <summary>
/// A computed cell: a number, secret (".": its numerator or denominator is suppressed) or not applicable (empty:
/// there is no denominator), as StatLine's symbols have it.
/// </summary>
public readonly record struct Cel(double? Waarde, bool Geheim)
{
    public static readonly Cel Onderdrukt = new(null, true);
    public static readonly Cel NietVanToepassing = new(null, false);
}

/// <summary>
/// Writes tables in the shape of a CBS StatLine dataset: an ID column, the dimensions RegioS, Perioden and
/// SoortVoorziening as keys each with its title beside it, and the topics with their units (<see cref="Kolommen"/>),
/// one row per region, period and soort voorziening. CSV is semicolon-separated UTF-8 with a decimal comma (as Dutch
/// spreadsheets read it); "." is a secret cell, an empty cell is not applicable. JSON has the same rows with the same
/// keys, null for a secret cell and no property for one that does not apply.
/// <para>The rates are computed from the published (rounded) counts, never from the raw ones, so they give away
/// nothing the counts do not; a rate is secret when its count is. Denominators come from <see cref="Bevolking"/>.</para>
/// </summary>
public static class TableWriter
{
    public static readonly IReadOnlyList<Kolom> Kolommen =
    [
        new("ID", "ID", "ID", null, 0, "Volgnummer van de rij, vanaf 0."),
        new("RegioS", "GeoDimension", "Regio's", null, 0,
            "NL01 Nederland; GM + gemeentecode; WK + gemeentecode + wijknummer; WK<gemeentecode>ON is de wijk onbekend van die gemeente."),
        new("RegioSTitel", "Label", "Regio's (naam)", null, 0, "De naam van de regio volgens de gebiedsindeling van het jaar."),
        new("Perioden", "TimeDimension", "Perioden", null, 0,
            "2025JJ00 jaar, 2025HJ01 en 2025HJ02 halfjaar, 2025MM06 een peildatum in die maand (de dag staat in de titel en de metadata)."),
        new("PeriodenTitel", "Label", "Perioden (naam)", null, 0, "De periode in woorden."),
        new("SoortVoorziening", "Dimension", "Soort voorziening", null, 0, "Totaal, de combinaties van wetten, de wetten en de productcategorieën."),
        new("SoortVoorzieningTitel", "Label", "Soort voorziening (naam)", null, 0, "De soort voorziening in woorden."),
        new("Personen_1", "Topic", "Personen met voorziening", "aantal", 0, "Personen met een voorziening van deze soort op enig moment in de periode."),
        new("Huishoudens_2", "Topic", "Huishoudens met voorziening", "aantal", 0,
            "Huishoudens waarvan een lid een voorziening van deze soort had op enig moment in de periode, terwijl hij lid was."),
        new("PersonenPer1000Inwoners_3", "Topic", "Personen per 1 000 inwoners van de doelgroep", "per 1 000 inwoners", 1,
            "Personen_1 per 1 000 inwoners op 1 januari van het jaar: Jeugdwet per 0 tot 18 jaar, Wmo per 18 jaar of ouder, Participatiewet per 18 tot 65 jaar, totaal en combinaties per alle inwoners."),
        new("HuishoudensPer1000Huishoudens_4", "Topic", "Huishoudens per 1 000 huishoudens", "per 1 000 huishoudens", 1,
            "Huishoudens_2 per 1 000 particuliere huishoudens op 1 januari van het jaar."),
        new("AandeelPersonen_5", "Topic", "Aandeel van de personen met een voorziening", "%", 1, "Personen_1 als deel van Personen_1 van Totaal."),
        new("AandeelHuishoudens_6", "Topic", "Aandeel van de huishoudens met een voorziening", "%", 1, "Huishoudens_2 als deel van Huishoudens_2 van Totaal."),
    ];

    /// <summary>The column of the first topic (Personen_1); the row's cells follow from there.</summary>
    public const int EersteOnderwerp = 7;

    public static void WriteCsv(IReadOnlyList<TableCells> tables, string path, Bevolking? bevolking = null)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        w.Write(string.Join(';', Kolommen.Select(k => k.Key)));
        w.Write('\n');
        foreach (var rij in Rijen(tables, bevolking))
        {
            w.Write(rij.Id.ToString(CultureInfo.InvariantCulture));
            foreach (var tekst in (string[])[rij.Regio.Code, rij.Regio.Naam, rij.Periode.Code, rij.Periode.Titel, Soorten.Sleutel(rij.Soort), Soorten.Naam(rij.Soort)])
            {
                w.Write(';');
                w.Write(Csv(tekst));
            }
            for (var i = 0; i < rij.Cellen.Length; i++)
            {
                w.Write(';');
                var cel = rij.Cellen[i];
                w.Write(cel.Geheim ? "." : cel.Waarde is { } v ? v.ToString(Kolommen[EersteOnderwerp + i].Decimalen == 0 ? "0" : "0.0", NederlandseNotatie.Getallen) : "");
            }
            w.Write('\n');
        }
    }

    public static void WriteJson(IReadOnlyList<TableCells> tables, string path, DisclosureRule? regel, Bevolking? bevolking = null)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        w.WriteStartObject();
        w.WriteString("tabel", Metadata.Titel);
        w.WriteString("metadata", Metadata.Bestandsnaam(Path.GetFileNameWithoutExtension(path)));
        if (regel is null) w.WriteString("beveiliging", "geen: onbeveiligde tabel, alleen voor de beheerder");
        else
        {
            w.WriteStartObject("beveiliging");
            w.WriteNumber("drempel", regel.Drempel);
            w.WriteNumber("afronding", regel.Afronding);
            w.WriteNumber("beschermingsinterval", regel.Beschermingsinterval);
            w.WriteString("onderdrukt", "null: kleiner dan de drempel, of onderdrukt zodat een kleine cel niet terug te rekenen is");
            w.WriteEndObject();
        }
        w.WriteStartArray("rijen");
        foreach (var rij in Rijen(tables, bevolking))
        {
            w.WriteStartObject();
            w.WriteNumber("ID", rij.Id);
            w.WriteString("RegioS", rij.Regio.Code);
            w.WriteString("RegioSTitel", rij.Regio.Naam);
            w.WriteString("Perioden", rij.Periode.Code);
            w.WriteString("PeriodenTitel", rij.Periode.Titel);
            w.WriteString("SoortVoorziening", Soorten.Sleutel(rij.Soort));
            w.WriteString("SoortVoorzieningTitel", Soorten.Naam(rij.Soort));
            for (var i = 0; i < rij.Cellen.Length; i++)
            {
                var cel = rij.Cellen[i];
                if (cel.Geheim) w.WriteNull(Kolommen[EersteOnderwerp + i].Key);
                else if (cel.Waarde is { } v) w.WriteNumber(Kolommen[EersteOnderwerp + i].Key, v);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>One row: its place, and the topics in the order of <see cref="Kolommen"/> from Personen_1 on.</summary>
    public sealed record Rij(int Id, Regio Regio, Periode Periode, int Soort, Cel[] Cellen);

    public static IEnumerable<Rij> Rijen(IReadOnlyList<TableCells> tables, Bevolking? bevolking)
    {
        var id = 0;
        foreach (var t in tables)
            for (var r = 0; r < t.Regios.Regios.Count; r++)
            {
                var regio = t.Regios.Regios[r];
                var jaar = t.Periode.Van.Year;
                var (totaalPersonen, totaalHuishoudens) = (t.Personen(r, Soorten.Totaal), t.Huishoudens(r, Soorten.Totaal));
                var huishoudensInRegio = bevolking?.Huishoudens(regio.Code, jaar);
                foreach (var s in Soorten.Volgorde)
                {
                    var (personen, huishoudens) = (t.Personen(r, s), t.Huishoudens(r, s));
                    yield return new Rij(id++, regio, t.Periode, s,
                    [
                        Aantal(personen), Aantal(huishoudens),
                        Deel(personen, bevolking?.Inwoners(regio.Code, jaar, Bevolking.Doelgroep(s)), 1000),
                        Deel(huishoudens, huishoudensInRegio, 1000),
                        Aandeel(personen, totaalPersonen), Aandeel(huishoudens, totaalHuishoudens),
                    ]);
                }
            }
    }

    private static Cel Aantal(int? n) => n is { } v ? new Cel(v, false) : Cel.Onderdrukt;

    /// <summary>teller / noemer × per, to one decimal; secret when either is suppressed, not applicable without a denominator.</summary>
    private static Cel Deel(int? teller, long? noemer, int per) =>
        noemer is null or 0 ? Cel.NietVanToepassing
        : teller is not { } t ? Cel.Onderdrukt
        : new Cel(Math.Round((double)t * per / noemer.Value, 1, MidpointRounding.AwayFromZero), false);

    /// <summary>A share of the total in %; secret when the part or the total is suppressed, not applicable when the total is 0.</summary>
    private static Cel Aandeel(int? deel, int? totaal) =>
        totaal is null ? Cel.Onderdrukt : Deel(deel, totaal, 100);

    private static string Csv(string text) =>
        text.AsSpan().IndexOfAny(';', '"', '\n') >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
