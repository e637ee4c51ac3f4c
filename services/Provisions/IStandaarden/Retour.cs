using System.Globalization;
using System.Xml.Linq;

namespace SocialDomain.Provisions.IStandaarden;

/// <summary>
/// Renders the answer to a 305/307 message in the manner of a 306/308 retour: the message's header with its retourcode,
/// and per product its key, its retourcode and a text. It uses the iStandaarden element names, in a namespace of our own:
/// it is not an official 306/308 and does not claim to validate against one. The client's BSN and name are left out;
/// the BerichtIdentificatie and the product keys identify the records.
/// </summary>
public static class Retour
{
    public static readonly XNamespace Namespace = "urn:sociaal-domein-platform:retour:v1";

    /// <summary>The retour of a message that passed its XSD (0200): one retourcode per record, as the service decided.</summary>
    /// <param name="outcomes">One per command, in the order of <see cref="IStandaardBericht.Commands"/>.</param>
    public static XDocument Render(IStandaardBericht bericht, IReadOnlyList<CommandOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(bericht);
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count != bericht.Commands.Count)
            throw new ArgumentException(
                $"Expected one outcome per command ({bericht.Commands.Count}), got {outcomes.Count}.", nameof(outcomes));

        var (lijst, item) = bericht.Header.Soort == BerichtSoort.Start
            ? ("StartProducten", "StartProduct")
            : ("StopProducten", "StopProduct");
        var producten = bericht.Commands.Zip(outcomes, (command, outcome) => new XElement(Namespace + item,
            KeyElements(command),
            RetourCodes(outcome.Retourcode),
            Optional("Toelichting", outcome.Message),
            outcome.Errors.Count == 0
                ? null
                : new XElement(Namespace + "Fouten", outcome.Errors.SelectMany(field => field.Value.Select(text =>
                    new XElement(Namespace + "Fout", new XAttribute("Veld", field.Key), text)))),
            outcome.Warnings.Count == 0
                ? null
                : new XElement(Namespace + "Waarschuwingen", outcome.Warnings.Select(text => new XElement(Namespace + "Waarschuwing", text)))));

        return Document(
            Header(bericht.Header, CommandOutcome.Geaccepteerd),
            new XElement(Namespace + "Client", new XElement(Namespace + lijst, producten)));
    }

    private static XDocument Document(params object[] content) =>
        new(new XDeclaration("1.0", "utf-8", null), new XElement(Namespace + "Bericht", content));

    /// <summary>The retour goes back: the gemeente is the afzender, the provider the ontvanger.</summary>
    private static XElement Header(BerichtHeader heen, string retourcode) => new(Namespace + "Header",
        new XElement(Namespace + "BerichtCode", heen.RetourBerichtCode),
        new XElement(Namespace + "Heenbericht", heen.Naam),
        new XElement(Namespace + "Afzender", heen.Ontvanger),
        new XElement(Namespace + "Ontvanger", heen.Afzender),
        new XElement(Namespace + "BerichtIdentificatie",
            new XElement(Namespace + "Identificatie", heen.BerichtIdentificatie.Identificatie),
            new XElement(Namespace + "Dagtekening", Date(heen.BerichtIdentificatie.Dagtekening))),
        RetourCodes(retourcode));

    private static IEnumerable<XElement?> KeyElements(ProvisionCommand command)
    {
        var key = command.Key;
        yield return Optional("ToewijzingNummer", key.ToewijzingNummer);
        yield return key.Productcategorie is null && key.ProductCode is null
            ? null
            : new XElement(Namespace + "Product",
                Optional("Categorie", key.Productcategorie),
                Optional("Code", key.ProductCode));
        yield return Optional("Begindatum", key.Begindatum is { } begin ? Date(begin) : null);
        if (command is StopCommand stop)
            yield return Optional("Einddatum", stop.Einddatum is { } eind ? Date(eind) : null);
        yield return new XElement(Namespace + "StatusAanlevering", ((int)command.Status).ToString(CultureInfo.InvariantCulture));
    }

    private static XElement RetourCodes(string retourcode) =>
        new(Namespace + "RetourCodes", new XElement(Namespace + "RetourCode", retourcode));

    private static XElement? Optional(string name, string? value) =>
        string.IsNullOrEmpty(value) ? null : new XElement(Namespace + name, value);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
