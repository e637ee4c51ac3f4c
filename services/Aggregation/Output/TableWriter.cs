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

/// <summary>
/// Writes tables in the shape of CBS StatLine downloads: one row per region, period and soort voorziening, with the
/// numbers of persons and households. CSV is semicolon-separated as StatLine's, a suppressed cell is ".";
/// JSON has lowerCamelCase keys and null for a suppressed cell.
/// </summary>
public static class TableWriter
{
    public static readonly string[] Kolommen = ["RegioS", "Perioden", "SoortVoorziening", "Personen", "Huishoudens"];

    public static void WriteCsv(IReadOnlyList<TableCells> tables, string path)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        w.Write(string.Join(';', Kolommen));
        w.Write('\n');
        foreach (var t in tables)
            for (var r = 0; r < t.Regios.Regios.Count; r++)
                foreach (var s in Soorten.Volgorde)
                {
                    w.Write(t.Regios.Regios[r].Code);
                    w.Write(';');
                    w.Write(t.Periode.Code);
                    w.Write(';');
                    w.Write(Csv(Soorten.Naam(s)));
                    w.Write(';');
                    w.Write(Cell(t.Personen(r, s)));
                    w.Write(';');
                    w.Write(Cell(t.Huishoudens(r, s)));
                    w.Write('\n');
                }
    }

    public static void WriteJson(IReadOnlyList<TableCells> tables, string path, DisclosureRule? regel)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        w.WriteStartObject();
        w.WriteString("tabel", "Stapeling van voorzieningen in het sociaal domein: personen en huishoudens");
        w.WriteString("telwijze", "op enig moment in de periode; een peildatum telt op die dag");
        if (regel is null) w.WriteString("beveiliging", "geen: onbeveiligde tabel, alleen voor de beheerder");
        else
        {
            w.WriteStartObject("beveiliging");
            w.WriteNumber("drempel", regel.Drempel);
            w.WriteNumber("afronding", regel.Afronding);
            w.WriteString("onderdrukt", "null: kleiner dan de drempel, of onderdrukt zodat een kleine cel niet terug te rekenen is");
            w.WriteEndObject();
        }
        w.WriteStartArray("perioden");
        foreach (var t in tables) w.WriteStringValue(t.Periode.Code);
        w.WriteEndArray();
        w.WriteStartArray("cellen");
        foreach (var t in tables)
            for (var r = 0; r < t.Regios.Regios.Count; r++)
            {
                var regio = t.Regios.Regios[r];
                foreach (var s in Soorten.Volgorde)
                {
                    w.WriteStartObject();
                    w.WriteString("regio", regio.Code);
                    w.WriteString("regioniveau", regio.Niveau.ToString().ToLowerInvariant());
                    w.WriteString("perioden", t.Periode.Code);
                    w.WriteString("soortVoorziening", Soorten.Naam(s));
                    Number(w, "personen", t.Personen(r, s));
                    Number(w, "huishoudens", t.Huishoudens(r, s));
                    w.WriteEndObject();
                }
            }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static string Cell(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? ".";

    private static string Csv(string text) =>
        text.AsSpan().IndexOfAny(';', '"', '\n') >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
