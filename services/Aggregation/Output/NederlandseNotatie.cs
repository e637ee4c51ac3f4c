using System.Globalization;

namespace SocialDomain.Aggregation.Output;

/// <summary>
/// Numbers as a Dutch reader writes them: 1.234.567 and 12,5. Spelled out because the build has invariant
/// globalization (no nl-NL culture data).
/// </summary>
public static class NederlandseNotatie
{
    public static readonly NumberFormatInfo Getallen = new() { NumberGroupSeparator = ".", NumberDecimalSeparator = ",", NumberGroupSizes = [3] };

    /// <summary>A message for the user with its numbers the Dutch way.</summary>
    public static string Nl(FormattableString tekst) => tekst.ToString(Getallen);
}
