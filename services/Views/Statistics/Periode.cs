using System.Globalization;

namespace SocialDomain.Views.Statistics;

/// <summary>
/// What a table counts over: a year or half-year ("op enig moment in de periode", as CBS counts), or a single
/// peildatum (a period of one day). <see cref="Code"/> is the CBS period code: 2025JJ00 (year), 2025HJ01 (half-year),
/// and for a peildatum the code of its month, 2025MM06, as CBS codes a stand ("stand ultimo") by the month it falls
/// in; the exact day is in <see cref="Titel"/> and the table's metadata. So one table has at most one peildatum a month.
/// </summary>
public readonly record struct Periode(DateOnly Van, DateOnly Tot, string Code)
{
    public static Periode Jaar(int jaar) => new(new DateOnly(jaar, 1, 1), new DateOnly(jaar, 12, 31), $"{jaar}JJ00");

    public static Periode Halfjaar(int jaar, int helft) => helft switch
    {
        1 => new(new DateOnly(jaar, 1, 1), new DateOnly(jaar, 6, 30), $"{jaar}HJ01"),
        2 => new(new DateOnly(jaar, 7, 1), new DateOnly(jaar, 12, 31), $"{jaar}HJ02"),
        _ => throw new ArgumentOutOfRangeException(nameof(helft), "A year has two halves."),
    };

    public static Periode Peildatum(DateOnly datum) => new(datum, datum, $"{datum.Year}MM{datum.Month:D2}");

    public bool IsPeildatum => Van == Tot;

    // The build has invariant globalization (no culture data), so the Dutch month names are spelled out here.
    private static readonly string[] Maanden =
        ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];

    /// <summary>The period as StatLine titles it: "2025", "2025 1e halfjaar", "30 juni 2025 (peildatum)".</summary>
    public string Titel => IsPeildatum ? $"{Van.Day} {Maanden[Van.Month - 1]} {Van.Year} (peildatum)"
        : Code[4..6] == "HJ" ? $"{Van.Year} {Code[^1]}e halfjaar"
        : Van.Year.ToString(CultureInfo.InvariantCulture);

    /// <summary>What kind of period: "jaar", "halfjaar" or "peildatum".</summary>
    public string Soort => IsPeildatum ? "peildatum" : Code[4..6] == "HJ" ? "halfjaar" : "jaar";

    /// <summary>Reads "2025", "2025-H1", "2025-H2" or a peildatum "2025-06-30".</summary>
    public static bool TryParse(string text, out Periode periode)
    {
        periode = default;
        if (text.Length == 4 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var jaar) && jaar >= 1900)
        {
            periode = Jaar(jaar);
            return true;
        }
        if (text.Length == 7 && text[4..6] is "-H" or "-h" && text[6] is '1' or '2'
            && int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out jaar) && jaar >= 1900)
        {
            periode = Halfjaar(jaar, text[6] - '0');
            return true;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var datum))
        {
            periode = Peildatum(datum);
            return true;
        }
        return false;
    }

    public override string ToString() => Code;
}
