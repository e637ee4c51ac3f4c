using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using SocialDomain.Contracts;

namespace SocialDomain.Provisions.IStandaarden;

/// <summary>The kind of message, by its number: a start (305) or a stop (307) of the delivery of products.</summary>
public enum BerichtSoort
{
    Start = 305,
    Stop = 307,
}

/// <summary>The sender's identification of the whole delivery; a retour refers to it.</summary>
public sealed record BerichtIdentificatie(string Identificatie, DateOnly Dagtekening);

/// <summary>The header of an iJw/iWmo 305 or 307 message.</summary>
/// <param name="Naam">"JW305", "JW307", "WMO305" or "WMO307".</param>
/// <param name="BerichtCode">The code in the message: 438/440 (iJw), 418/420 (iWmo).</param>
/// <param name="Afzender">The provider's AGB code.</param>
/// <param name="Ontvanger">The gemeentecode; every command of the message is for this gemeente.</param>
/// <param name="RetourBerichtCode">The code of the matching retour (306/308): the message's code + 1.</param>
public sealed record BerichtHeader(
    Law Law,
    BerichtSoort Soort,
    string Naam,
    string BerichtCode,
    string Afzender,
    string Ontvanger,
    BerichtIdentificatie BerichtIdentificatie,
    string RetourBerichtCode);

/// <summary>
/// A message of a law's iStandaard (such as JW305/JW307 or WMO305/WMO307), read safely, validated against the official XSD and mapped to
/// the service's commands in document order. The client's name and gender are validated but not kept.
/// </summary>
public sealed partial record IStandaardBericht(BerichtHeader Header, IReadOnlyList<ProvisionCommand> Commands)
{
    /// <summary>10 MiB.</summary>
    public const long DefaultMaxBytes = 10 * 1024 * 1024;

    /// <summary>At most this many XSD errors are reported one by one; the rest is counted.</summary>
    public const int MaxReasons = 100;

    /// <summary>A 305/307 nests six levels deep (Bericht/Client/StartProducten/StartProduct/Product/Categorie).</summary>
    private const int MaxDepth = 16;

    /// <summary>
    /// Reads, validates and maps a message for <paramref name="law"/>. Reads synchronously: on an ASP.NET Core request body
    /// use <see cref="ParseAsync"/>.
    /// </summary>
    /// <exception cref="BerichtAfgekeurd">The message is refused as a whole (retourcode 0001).</exception>
    public static IStandaardBericht Parse(Stream body, Law law, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var standaard = StandaardFor(law);
        RefuseKnownLength(body, maxBytes);
        try
        {
            return Read(new SizeLimitedStream(body, maxBytes), standaard, maxBytes);
        }
        catch (BodyTooLargeException e)
        {
            throw TooLarge(e.MaxBytes);
        }
    }

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> + 1 bytes of the body asynchronously into memory, refusing the message as
    /// soon as it is longer, then parses it as <see cref="Parse"/> does.
    /// </summary>
    /// <exception cref="BerichtAfgekeurd">The message is refused as a whole (retourcode 0001).</exception>
    public static async Task<IStandaardBericht> ParseAsync(Stream body, Law law, long maxBytes = DefaultMaxBytes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        StandaardFor(law);
        RefuseKnownLength(body, maxBytes);
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var limited = new SizeLimitedStream(body, maxBytes);
            int n;
            while ((n = await limited.ReadAsync(chunk.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
                buffer.Write(chunk, 0, n);
        }
        catch (BodyTooLargeException e)
        {
            throw TooLarge(e.MaxBytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        buffer.Position = 0;
        return Parse(buffer, law, maxBytes);
    }

    private static IStandaard StandaardFor(Law law) => IStandaard.For(law) ?? throw new BerichtAfgekeurd(
        $"{law} has no iStandaard; messages are accepted for: {string.Join("; ", IStandaard.Defined.Select(d => $"{d.Law} ({d.Omschrijving})"))}.");

    private static void RefuseKnownLength(Stream body, long maxBytes)
    {
        if (body.CanSeek && body.Length - body.Position > maxBytes)
            throw TooLarge(maxBytes);
    }

    private static BerichtAfgekeurd TooLarge(long maxBytes) =>
        new($"The message is larger than the limit of {maxBytes} bytes.");

    private static IStandaardBericht Read(Stream body, IStandaard standaard, long maxBytes)
    {
        var errors = new XsdErrors();
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            MaxCharactersInDocument = maxBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = false,
            ValidationType = ValidationType.Schema,
            // Not ProcessInlineSchema, not ProcessSchemaLocation: only our embedded schemas count.
            ValidationFlags = XmlSchemaValidationFlags.None,
            Schemas = standaard.Schemas,
        };
        settings.ValidationEventHandler += errors.Add;

        XElement root;
        BerichtDefinitie definitie;
        try
        {
            using var reader = XmlReader.Create(body, settings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element)
                throw new BerichtAfgekeurd("The message has no root element.");
            definitie = standaard.Find(reader.NamespaceURI, reader.LocalName)
                        ?? throw new BerichtAfgekeurd(WrongMessage(standaard, reader.NamespaceURI, reader.LocalName));
            root = LoadRoot(reader, errors);
            // Whatever follows the root element must be well-formed too (and is nothing but comments or whitespace).
            while (reader.Read()) { }
        }
        catch (XmlException e)
        {
            throw new BerichtAfgekeurd(NotWellFormed(e));
        }

        if (errors.Count > 0)
            throw new BerichtAfgekeurd(errors.Reasons(), TryHeader(root, definitie, standaard));
        try
        {
            return Map(root, definitie);
        }
        catch (FormatException e)
        {
            // Not reachable for a message that passed the XSD; a safety net that still says which element.
            throw new BerichtAfgekeurd([e.Message], TryHeader(root, definitie, standaard));
        }
    }

    /// <summary>
    /// Builds the tree of the root element on which the reader stands, iteratively. Not XElement.Load: that walks all
    /// ancestors on every added element and concatenates text split by comments, quadratic in depth and in pieces.
    /// Once the XSD has found an error the message is refused anyway, so from then on it only reads on (collecting every
    /// error) and no longer builds: what it built is the valid part before the first error, enough for the header.
    /// </summary>
    private static XElement LoadRoot(XmlReader reader, XsdErrors errors)
    {
        var root = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
        var open = new Stack<(XElement Element, StringBuilder Text)>();
        if (!reader.IsEmptyElement)
            open.Push((root, new StringBuilder()));
        while (open.Count > 0 && reader.Read())
        {
            var build = errors.Count == 0;
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (open.Count >= MaxDepth)
                        throw new BerichtAfgekeurd($"{Where(reader)}elements are nested deeper than {MaxDepth} levels.");
                    var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                    if (build)
                        open.Peek().Element.Add(TextOf(open.Peek()), element);
                    if (!reader.IsEmptyElement)
                        open.Push((element, new StringBuilder()));
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace:
                    if (build)
                        open.Peek().Text.Append(reader.Value);
                    break;
                case XmlNodeType.EndElement:
                    var closed = open.Pop();
                    if (build)
                        closed.Element.Add(TextOf(closed));
                    break;
            }
        }
        return root;
    }

    /// <summary>The text collected so far for an open element, as one node; the collector starts again.</summary>
    private static XText? TextOf((XElement Element, StringBuilder Text) open)
    {
        if (open.Text.Length == 0)
            return null;
        var text = new XText(open.Text.ToString());
        open.Text.Clear();
        return text;
    }

    private static string Where(XmlReader reader) =>
        reader is IXmlLineInfo info && info.HasLineInfo() ? $"Line {info.LineNumber}, position {info.LinePosition}: " : "";

    private static string WrongMessage(IStandaard standaard, string namespaceUri, string localName)
    {
        var expected = $"expected {string.Join(" or ", standaard.Berichten.Select(b => b.Naam))} ({standaard.Naam})";
        if (IStandaard.FindAny(namespaceUri) is { } other && localName == "Bericht")
            return $"A {other.Naam} message ({other.Law}) cannot be delivered to the {standaard.Law} service: {expected}.";
        return namespaceUri.Length == 0
            ? $"The root element '{localName}' has no namespace: {expected}."
            : $"The root element '{localName}' in namespace '{namespaceUri}' is not an accepted message: {expected}.";
    }

    private static string NotWellFormed(XmlException e)
    {
        // DtdProcessing.Prohibit stops at the DOCTYPE, before any entity is declared, let alone expanded or fetched.
        var message = e.Message.Contains("DTD", StringComparison.Ordinal)
            ? "a DTD (<!DOCTYPE ...>) is not allowed."
            : Redact(LineInfoSuffix().Replace(e.Message, ""));
        return e.LineNumber > 0
            ? $"Line {e.LineNumber}, position {e.LinePosition}: the message is not well-formed XML or not allowed: {message}"
            : $"The message is not well-formed XML or not allowed: {message}";
    }

    private static IStandaardBericht Map(XElement root, BerichtDefinitie d)
    {
        var m = d.Namespace;
        var header = MapHeader(root, d);
        var client = Required(root, m + "Client");
        var bsn = Required(client, m + "Bsn").Value;
        var geboortedatum = Date(Required(Required(client, m + "Geboortedatum"), d.Basisschema + "Datum"));

        IEnumerable<ProvisionCommand> commands = d.Soort switch
        {
            BerichtSoort.Start => Required(client, m + "StartProducten").Elements(m + "StartProduct")
                .Select(p => new StartCommand(Key(p, d, bsn, header.Ontvanger), geboortedatum, Status(p, m))),
            _ => Required(client, m + "StopProducten").Elements(m + "StopProduct")
                .Select(p => new StopCommand(Key(p, d, bsn, header.Ontvanger), Date(Required(p, m + "Einddatum")),
                    Required(p, m + "RedenBeeindiging").Value.Trim(), Status(p, m))),
        };
        return new IStandaardBericht(header, commands.ToArray());
    }

    private static BerichtHeader MapHeader(XElement root, BerichtDefinitie d)
    {
        var m = d.Namespace;
        var header = Required(root, m + "Header");
        var identificatie = Required(header, m + "BerichtIdentificatie");
        return new BerichtHeader(
            d.Law,
            d.Soort,
            d.Naam,
            Required(header, m + "BerichtCode").Value.Trim(),
            Required(header, m + "Afzender").Value.Trim(),
            Required(header, m + "Ontvanger").Value.Trim(),
            new BerichtIdentificatie(
                Required(identificatie, d.Basisschema + "Identificatie").Value,
                Date(Required(identificatie, d.Basisschema + "Dagtekening"))),
            d.RetourBerichtCode);
    }

    /// <summary>The header of a refused message, if it is there and valid on its own; else null.</summary>
    private static BerichtHeader? TryHeader(XElement root, BerichtDefinitie d, IStandaard standaard)
    {
        // XElement.Validate recurses; LoadRoot bounds the depth and stops building at the first XSD error.
        if (root.Element(d.Namespace + "Header") is not { } header || !standaard.IsValid(header, d, "Header"))
            return null;
        try
        {
            return MapHeader(root, d);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static ProvisionKey Key(XElement product, BerichtDefinitie d, string bsn, string gemeente)
    {
        var m = d.Namespace;
        var toewijzing = product.Element(m + "ToewijzingNummer");
        var productElement = product.Element(m + "Product");
        return new ProvisionKey(
            Bsn: bsn,
            Gemeente: gemeente,
            Productcategorie: productElement?.Element(d.Basisschema + "Categorie")?.Value.Trim(),
            ProductCode: productElement?.Element(d.Basisschema + "Code")?.Value.Trim(),
            ToewijzingNummer: toewijzing is null ? null : Nummer(toewijzing),
            Begindatum: Date(Required(product, m + "Begindatum")));
    }

    private static StatusAanlevering Status(XElement product, XNamespace m)
    {
        var element = Required(product, m + "StatusAanlevering");
        return StatusAanleveringCode.Parse(element.Value.Trim()) is var status && Enum.IsDefined(status)
            ? status
            : throw Unreadable(element, "a StatusAanlevering");
    }

    /// <summary>
    /// An LDT_Nummer is an xs:integer, which may be written "+0300201": read as the number it is, then kept as
    /// every path keeps a toewijzingnummer (<see cref="RecordValidation.CanonicalToewijzingNummer"/>).
    /// </summary>
    private static string Nummer(XElement element) =>
        long.TryParse(element.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? RecordValidation.CanonicalToewijzingNummer(value.ToString(CultureInfo.InvariantCulture))
            : throw Unreadable(element, "a number");

    /// <summary>An LDT_Datum is an xs:date without time zone.</summary>
    private static DateOnly Date(XElement element) =>
        DateOnly.TryParseExact(element.Value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw Unreadable(element, "a date (yyyy-mm-dd)");

    private static XElement Required(XElement parent, XName name) =>
        parent.Element(name) ?? throw new FormatException($"Element '{parent.Name.LocalName}' has no '{name.LocalName}'.");

    private static FormatException Unreadable(XElement element, string what) =>
        new($"The value of '{element.Name.LocalName}' is not {what}.");

    /// <summary>
    /// Removes values from a parser's message: the .NET messages quote the offending value ("The value '…' is invalid",
    /// "The string '…' is not a valid Date value"), which may be a BSN or a name. Namespaces are shortened to local names.
    /// </summary>
    internal static string Redact(string message)
    {
        message = InNamespace().Replace(message, "");
        message = QualifiedName().Replace(message, "'$1'");
        message = QuotedValue().Replace(message, "The value is invalid according to");
        message = QuotedString().Replace(message, "The value is not a valid");
        return NineDigits().Replace(message, "*********");
    }

    [GeneratedRegex(@" in namespace '[^']*'")]
    private static partial Regex InNamespace();

    [GeneratedRegex(@"'[a-z][a-z0-9+.\-]*:[^'\s]*:([\w.\-]+)'", RegexOptions.IgnoreCase)]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"The value '.*' is invalid according to", RegexOptions.Singleline)]
    private static partial Regex QuotedValue();

    [GeneratedRegex(@"The string '.*' is not a valid", RegexOptions.Singleline)]
    private static partial Regex QuotedString();

    [GeneratedRegex(@"\d{9}")]
    private static partial Regex NineDigits();

    [GeneratedRegex(@"\s*Line \d+, position \d+\.\s*$")]
    private static partial Regex LineInfoSuffix();

    /// <summary>Collects every XSD error with its line and position, values redacted.</summary>
    private sealed class XsdErrors
    {
        private readonly List<string> _reasons = [];

        public int Count { get; private set; }

        public void Add(object? sender, ValidationEventArgs e)
        {
            if (e.Severity != XmlSeverityType.Error)
                return;
            Count++;
            if (_reasons.Count < MaxReasons)
                _reasons.Add($"Line {e.Exception.LineNumber}, position {e.Exception.LinePosition}: {Redact(e.Message)}");
        }

        public IReadOnlyList<string> Reasons() => Count > _reasons.Count
            ? [.. _reasons, $"... and {Count - _reasons.Count} more XSD errors."]
            : _reasons;
    }
}
