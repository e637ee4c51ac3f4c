using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using SocialDomain.Contracts;

namespace SocialDomain.Provisions.IStandaarden;

/// <summary>One accepted message type: JW305, JW307, WMO305 or WMO307.</summary>
internal sealed record BerichtDefinitie(
    Law Law,
    BerichtSoort Soort,
    string Naam,
    string BerichtCode,
    string RetourBerichtCode,
    XNamespace Namespace,
    XNamespace Basisschema);

/// <summary>
/// The iStandaard of one law (iJw 3.2 or iWmo 3.2): its two message definitions and its compiled schema set, built once
/// from the embedded XSDs. A compiled <see cref="XmlSchemaSet"/> is only read while validating, so the one instance per
/// standaard is shared by all requests.
/// </summary>
internal sealed class IStandaard
{
    public static readonly IStandaard Ijw = new(Law.Jeugdwet, "ijw", "JW", [("305", "438", "439"), ("307", "440", "441")]);
    public static readonly IStandaard Iwmo = new(Law.Wmo, "iwmo", "WMO", [("305", "418", "419"), ("307", "420", "421")]);

    private IStandaard(Law law, string standaard, string prefix, (string Nummer, string Code, string RetourCode)[] berichten)
    {
        Law = law;
        Naam = $"{standaard} 3.2";
        XNamespace basis = $"http://www.istandaarden.nl/{standaard}/3_2/basisschema/schema";
        Berichten = berichten
            .Select(b => new BerichtDefinitie(law, (BerichtSoort)int.Parse(b.Nummer), prefix + b.Nummer, b.Code, b.RetourCode,
                $"http://www.istandaarden.nl/{standaard}/3_2/{prefix.ToLowerInvariant()}{b.Nummer}/schema", basis))
            .ToArray();
        Schemas = SchemaLoader.Load(standaard, Berichten.Select(b => b.Naam + ".xsd"));
    }

    public Law Law { get; }

    /// <summary>"ijw 3.2" or "iwmo 3.2".</summary>
    public string Naam { get; }

    public IReadOnlyList<BerichtDefinitie> Berichten { get; }

    /// <summary>The compiled message schemas and their basisschema; never modified after construction.</summary>
    public XmlSchemaSet Schemas { get; }

    public static IStandaard? For(Law law) => law switch
    {
        Law.Jeugdwet => Ijw,
        Law.Wmo => Iwmo,
        _ => null,
    };

    public BerichtDefinitie? Find(string namespaceUri, string localName) =>
        localName == "Bericht" ? Berichten.FirstOrDefault(b => b.Namespace.NamespaceName == namespaceUri) : null;

    /// <summary>The message definition of any standaard with this namespace, to say what a misdirected message is.</summary>
    public static BerichtDefinitie? FindAny(string namespaceUri) =>
        Ijw.Berichten.Concat(Iwmo.Berichten).FirstOrDefault(b => b.Namespace.NamespaceName == namespaceUri);

    /// <summary>Whether one element is valid against a named complex type of this standaard (used for a best-effort header).</summary>
    public bool IsValid(XElement element, BerichtDefinitie definitie, string typeName)
    {
        if (Schemas.GlobalTypes[new XmlQualifiedName(typeName, definitie.Namespace.NamespaceName)] is not XmlSchemaType type)
            return false;
        var valid = true;
        element.Validate(type, Schemas, (_, _) => valid = false);
        return valid;
    }
}

/// <summary>Loads the embedded XSDs; the only thing a message schema may import is the basisschema of its own standaard.</summary>
internal static class SchemaLoader
{
    private const string Basisschema = "basisschema.xsd";

    public static XmlSchemaSet Load(string standaard, IEnumerable<string> berichtSchemas)
    {
        var set = new XmlSchemaSet { XmlResolver = new BasisschemaResolver(standaard) };
        set.ValidationEventHandler += (_, e) =>
            throw new InvalidOperationException($"The embedded {standaard} schemas do not compile: {e.Message}", e.Exception);
        foreach (var file in berichtSchemas)
        {
            using var reader = XmlReader.Create(Open(standaard, file), ReaderSettings, BaseUri(standaard, file).AbsoluteUri);
            set.Add(null, reader);
        }
        set.Compile();
        // Compiled: from here on nothing is resolved, and the set is only read.
        set.XmlResolver = null;
        return set;
    }

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        CloseInput = true,
    };

    private static Uri BaseUri(string standaard, string file) => new($"embedded-xsd:///{standaard}/{file}");

    /// <summary>Finds the one embedded resource for a file of a standaard, however MSBuild spelled the folder name.</summary>
    private static Stream Open(string standaard, string file)
    {
        var assembly = typeof(SchemaLoader).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith("." + file, StringComparison.Ordinal)
                        && n.Contains($".IStandaarden.Schemas.{standaard}_", StringComparison.Ordinal))
            .ToArray();
        if (names.Length != 1)
            throw new InvalidOperationException($"Expected one embedded resource for {standaard}/{file}, found {names.Length}.");
        return assembly.GetManifestResourceStream(names[0])
            ?? throw new InvalidOperationException($"The embedded resource {names[0]} cannot be opened.");
    }

    /// <summary>Serves the embedded basisschema of one standaard and refuses any other location.</summary>
    private sealed class BasisschemaResolver(string standaard) : XmlResolver
    {
        private readonly Uri _basisschema = BaseUri(standaard, Basisschema);

        public override Uri ResolveUri(Uri? baseUri, string? relativeUri) =>
            relativeUri == Basisschema || relativeUri == _basisschema.AbsoluteUri
                ? _basisschema
                : throw new XmlException($"The {standaard} schemas may import only {Basisschema}, not '{relativeUri}'.");

        public override object GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            if (absoluteUri != _basisschema)
                throw new XmlException($"The {standaard} schemas may import only {Basisschema}, not '{absoluteUri}'.");
            if (ofObjectToReturn is not null && ofObjectToReturn != typeof(Stream) && ofObjectToReturn != typeof(object))
                throw new XmlException($"Cannot serve {Basisschema} as {ofObjectToReturn}.");
            return Open(standaard, Basisschema);
        }
    }
}
