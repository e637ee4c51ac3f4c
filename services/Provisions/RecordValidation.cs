using SocialDomain.Contracts;
using SocialDomain.ServiceDefaults;

namespace SocialDomain.Provisions;

/// <summary>
/// One record checked on its own, before any state is read: every field that is not valid is named, and the
/// record's provision id is derived from its key. A record with field errors is refused with retourcode 0001.
/// A valid record's <see cref="Command"/> carries its key in canonical form (<see cref="CanonicalToewijzingNummer"/>),
/// so the id and the events are the same whether the record came as JSON, in a batch or in a message.
/// </summary>
internal sealed class RecordValidation
{
    public required ProvisionCommand Command { get; init; }
    public Decision.Refused? Refusal { get; private init; }
    public Bsn Bsn { get; private init; }
    public Gemeentecode Gemeente { get; private init; }
    public string Categorie { get; private init; } = "";
    public DateOnly Begindatum { get; private init; }
    public DateOnly? Einddatum { get; private init; }
    public string? Reden { get; private init; }
    public Guid ProvisionId { get; private init; }
    public IReadOnlyList<string> Warnings { get; private init; } = [];

    public static RecordValidation Validate(LawDefinition law, ProvisionCommand command)
    {
        var errors = new Dictionary<string, List<string>>();
        void Error(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }

        var key = command.Key;
        Productcategorie categorie = default;
        if (!Enum.IsDefined(command.Status)) Error("statusAanlevering", "StatusAanlevering is the code \"1\", \"3\" or \"9\" (a string, as in the iStandaard).");
        else if (command.Status == StatusAanlevering.Gewijzigd)
            Error("statusAanlevering", "StatusAanlevering 2 is not used for starts and stops: a correction is 3 (withdraw) and then 1.");
        if (!Bsn.TryParse(key.Bsn, out var bsn, out var bsnError)) Error("bsn", bsnError);
        if (!Gemeentecode.TryParse(key.Gemeente, out var gemeente, out var gemeenteError)) Error("gemeente", gemeenteError);
        if (!IsCodeShaped(key.Productcategorie))
            Error("productcategorie", $"One of the codes of the {law.Law}: {string.Join(", ", Productcategorie.Of(law.Law).Keys.Order(StringComparer.Ordinal))}.");
        else if (!Productcategorie.TryParse(law.Law, key.Productcategorie, out categorie, out var categorieError))
            Error("productcategorie", categorieError);
        if (key.ProductCode is { } code && (code.Length is 0 or > 5 || !code.All(char.IsAsciiLetterOrDigit)))
            Error("productCode", "A product code is 1 to 5 letters or digits.");
        if (key.ToewijzingNummer is { } nummer && (nummer.Length is 0 or > 20 || !nummer.All(char.IsAsciiLetterOrDigit)))
            Error("toewijzingNummer", "A toewijzingnummer is 1 to 20 letters or digits.");
        if (key.Begindatum is null) Error("begindatum", "This field is required.");
        else if (Invoer.Datum(key.Begindatum.Value) is { } beginError) Error("begindatum", beginError);

        var warnings = new List<string>();
        DateOnly? einddatum = null;
        string? reden = null;
        switch (command)
        {
            case StartCommand { Geboortedatum: { } geboortedatum } when Invoer.Datum(geboortedatum) is { } geboorteError:
                Error("geboortedatum", geboorteError);
                break;
            case StartCommand { Geboortedatum: { } geboortedatum } when key.Begindatum is { } begin:
                if (geboortedatum > begin) Error("geboortedatum", "The birth date lies after the begindatum.");
                else if (command.Status == StatusAanlevering.Eerste)
                {
                    var (refusal, warning) = law.Leeftijd.Check(AgeRule.AgeOn(geboortedatum, begin));
                    if (refusal is not null) Error("geboortedatum", refusal);
                    if (warning is not null) warnings.Add(warning);
                }
                break;
            case StopCommand stop when stop.Status == StatusAanlevering.Eerste:
                einddatum = stop.Einddatum;
                if (einddatum is null) Error("einddatum", "This field is required.");
                else if (Invoer.Datum(einddatum.Value) is { } eindError) Error("einddatum", eindError);
                else if (einddatum < key.Begindatum)
                    Error("einddatum", $"The einddatum lies before the begindatum {key.Begindatum:yyyy-MM-dd}.");
                if (!IsCodeShaped(stop.RedenBeeindiging))
                    Error("redenBeeindiging", $"One of the codes of the {law.Law}: {string.Join(", ", RedenBeeindiging.Of(law.Law).Keys.Order(StringComparer.Ordinal))}.");
                else if (RedenBeeindiging.TryParse(law.Law, stop.RedenBeeindiging, out var parsed, out var redenError)) reden = parsed.Code;
                else Error("redenBeeindiging", redenError);
                break;
        }

        if (errors.Count > 0)
            return new RecordValidation
            {
                Command = command, Warnings = warnings,
                Refusal = new Decision.Refused(CommandOutcome.Afgekeurd, "One or more fields are invalid; see errors.",
                    errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), warnings),
            };
        var toewijzing = key.ToewijzingNummer is { } sent ? CanonicalToewijzingNummer(sent) : null;
        command = command with { Key = key with { ToewijzingNummer = toewijzing } };
        return new RecordValidation
        {
            Command = command, Warnings = warnings, Bsn = bsn, Gemeente = gemeente, Categorie = categorie.Code,
            Begindatum = key.Begindatum!.Value, Einddatum = einddatum, Reden = reden,
            ProvisionId = ProvisionDecider.IdentityOf(law.Law, gemeente, bsn, categorie.Code, key.ProductCode, toewijzing, key.Begindatum.Value),
        };
    }

    /// <summary>
    /// Whether a value can be a code of a law's list at all. The list's own refusal repeats the value, which is
    /// fine for "99" but not for a value of any length or with control characters in it.
    /// </summary>
    private static bool IsCodeShaped(string? code) => code is { Length: > 0 and <= 8 } && code.All(char.IsAsciiLetterOrDigit);

    /// <summary>
    /// The iStandaarden type a toewijzingnummer as LDT_Nummer, an xs:integer: "0820099" and "820099" are the same
    /// toewijzing, so a number is kept by its value, without leading zeros, on every path. A number with letters
    /// (a gemeente's own numbering, or a law without an iStandaard) is not a number and is kept exactly as sent.
    /// </summary>
    internal static string CanonicalToewijzingNummer(string nummer)
    {
        if (nummer.Length == 0 || !nummer.All(char.IsAsciiDigit)) return nummer;
        var value = nummer.TrimStart('0');
        return value.Length == 0 ? "0" : value;
    }
}
