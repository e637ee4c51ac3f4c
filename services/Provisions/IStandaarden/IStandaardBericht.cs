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
        List<ProductTexts> products;
        BerichtDefinitie definitie;
        try
        {
            using var reader = XmlReader.Create(body, settings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element)
                throw new BerichtAfgekeurd("The message has no root element.");
            definitie = standaard.Find(reader.NamespaceURI, reader.LocalName)
                        ?? throw new BerichtAfgekeurd(WrongMessage(standaard, reader.NamespaceURI, reader.LocalName));
            root = LoadRoot(reader, errors, out products);
            // Whatever follows the root element must be well-formed too (and is nothing but comments or whitespace).
            while (reader.Read()) { }
        }
        catch (XmlException e)
        {
            throw new BerichtAfgekeurd(NotWellFormed(e));
        }

        if (errors.Count > 0)
            throw new BerichtAfgekeurd(errors.Reasons());
        try
        {
            return Map(root, products, definitie);
        }
        catch (FormatException e)
        {
            // Not reachable for a message that passed the XSD; a safety net that still says which element.
            throw new BerichtAfgekeurd([e.Message]);
        }
    }

    /// <summary>
    /// Builds the tree of the root element on which the reader stands, iteratively. Not XElement.Load: that walks all
    /// ancestors on every added element and concatenates text split by comments, quadratic in depth and in pieces.
    /// The products (the elements of StartProducten or StopProducten, thousands in a large message) become no elements:
    /// only their texts are kept, in <paramref name="products"/>, which halves the time of reading a large message.
    /// Once the XSD has found an error the message is refused anyway, so from then on it only reads on (collecting every
    /// error) and builds nothing more.
    /// </summary>
    private static XElement LoadRoot(XmlReader reader, XsdErrors errors, out List<ProductTexts> products)
    {
        var root = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
        products = [];
        if (reader.IsEmptyElement)
            return root;
        var open = new Stack<(XElement Element, StringBuilder Text)>();
        open.Push((root, new StringBuilder()));
        ProductTexts? product = null;
        while (reader.Read())
        {
            var build = errors.Count == 0;
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.Depth >= MaxDepth:
                    throw new BerichtAfgekeurd($"{Where(reader)}elements are nested deeper than {MaxDepth} levels.");
                case XmlNodeType.Element when product is not null:
                    product.Open(reader.LocalName, reader.IsEmptyElement);
                    break;
                case XmlNodeType.Element when IsProduct(reader, root, open.Peek().Element):
                    product = new ProductTexts(reader.LocalName, reader.Depth);
                    if (reader.IsEmptyElement)
                        product = Closed(product, products, build);
                    break;
                case XmlNodeType.Element:
                    var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                    if (build)
                        open.Peek().Element.Add(TextOf(open.Peek()), element);
                    if (!reader.IsEmptyElement)
                        open.Push((element, new StringBuilder()));
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace:
                    if (product is not null)
                        product.Text(reader.Value);
                    else if (build)
                        open.Peek().Text.Append(reader.Value);
                    break;
                case XmlNodeType.EndElement when product is not null:
                    product = reader.Depth == product.Depth ? Closed(product, products, build) : product.Close();
                    break;
                case XmlNodeType.EndElement:
                    var closed = open.Pop();
                    if (build)
                        closed.Element.Add(TextOf(closed));
                    if (open.Count == 0)
                        return root;
                    break;
            }
        }
        return root;
    }

    /// <summary>A StartProduct or StopProduct in its list, in the message's namespace (the XSD allows nothing else there).</summary>
    private static bool IsProduct(XmlReader reader, XElement root, XElement parent) =>
        reader.NamespaceURI == root.Name.NamespaceName && parent.Name.Namespace == root.Name.Namespace
        && (reader.LocalName, parent.Name.LocalName) is ("StartProduct", "StartProducten") or ("StopProduct", "StopProducten");

    private static ProductTexts? Closed(ProductTexts product, List<ProductTexts> products, bool build)
    {
        if (build)
            products.Add(product);
        return null;
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

    private static IStandaardBericht Map(XElement root, IReadOnlyList<ProductTexts> products, BerichtDefinitie d)
    {
        var m = d.Namespace;
        var header = MapHeader(root, d);
        var client = Required(root, m + "Client");
        var bsn = Required(client, m + "Bsn").Value;
        var geboortedatum = Date(Required(Required(client, m + "Geboortedatum"), d.Basisschema + "Datum"));

        Required(client, m + (d.Soort == BerichtSoort.Start ? "StartProducten" : "StopProducten"));
        IEnumerable<ProvisionCommand> commands = d.Soort switch
        {
            BerichtSoort.Start => products.Select(p => new StartCommand(Key(p, bsn, header.Ontvanger), geboortedatum, Status(p))),
            _ => products.Select(p => new StopCommand(Key(p, bsn, header.Ontvanger), Date(p, "Einddatum"),
                p.Required("RedenBeeindiging").Trim(), Status(p))),
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

    private static ProvisionKey Key(ProductTexts product, string bsn, string gemeente) => new(
        Bsn: bsn,
        Gemeente: gemeente,
        Productcategorie: product["Categorie"]?.Trim(),
        ProductCode: product["Code"]?.Trim(),
        ToewijzingNummer: product["ToewijzingNummer"] is { } toewijzing ? Nummer(toewijzing) : null,
        Begindatum: Date(product, "Begindatum"));

    private static StatusAanlevering Status(ProductTexts product)
    {
        var status = StatusAanleveringCode.Parse(product.Required("StatusAanlevering").Trim());
        return Enum.IsDefined(status) ? status : throw Unreadable("StatusAanlevering", "a StatusAanlevering");
    }

    /// <summary>
    /// An LDT_Nummer is an xs:integer, which may be written "+0300201": read as the number it is, then kept as
    /// every path keeps a toewijzingnummer (<see cref="RecordValidation.CanonicalToewijzingNummer"/>).
    /// </summary>
    private static string Nummer(string text) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? RecordValidation.CanonicalToewijzingNummer(value.ToString(CultureInfo.InvariantCulture))
            : throw Unreadable("ToewijzingNummer", "a number");

    private static DateOnly Date(ProductTexts product, string name) => Date(product.Required(name), name);

    private static DateOnly Date(XElement element) => Date(element.Value, element.Name.LocalName);

    /// <summary>An LDT_Datum is an xs:date without time zone.</summary>
    private static DateOnly Date(string text, string name) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw Unreadable(name, "a date (yyyy-mm-dd)");

    private static XElement Required(XElement parent, XName name) =>
        parent.Element(name) ?? throw new FormatException($"Element '{parent.Name.LocalName}' has no '{name.LocalName}'.");

    private static FormatException Unreadable(string name, string what) => new($"The value of '{name}' is not {what}.");

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

    /// <summary>
    /// One product of a message as its texts, by the local name of the element that holds each: within a 305/307
    /// product every name occurs once (ToewijzingNummer, Product/Categorie, Product/Code, Begindatum, ...), and the XSD
    /// has checked where each stands. An element without text has the empty text, as XElement.Value would give.
    /// </summary>
    private sealed class ProductTexts(string name, int depth)
    {
        private readonly Dictionary<string, string> _texts = new(8);
        private readonly List<string> _open = new(2);
        private readonly StringBuilder _text = new();

        public int Depth => depth;

        public string? this[string element] => _texts.GetValueOrDefault(element);

        public string Required(string element) =>
            this[element] ?? throw new FormatException($"Element '{name}' has no '{element}'.");

        public void Open(string element, bool isEmpty)
        {
            _texts.TryAdd(element, "");
            _text.Clear();
            if (!isEmpty)
                _open.Add(element);
        }

        /// <summary>Text split by comments arrives in pieces: collected, and joined once its element closes.</summary>
        public void Text(string text) => _text.Append(text);

        public ProductTexts Close()
        {
            if (_text.Length > 0)
                _texts[_open[^1]] = _text.ToString();
            _text.Clear();
            _open.RemoveAt(_open.Count - 1);
            return this;
        }
    }

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
