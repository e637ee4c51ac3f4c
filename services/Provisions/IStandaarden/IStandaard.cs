using System.Reflection;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using SocialDomain.Contracts;

namespace SocialDomain.Provisions.IStandaarden;

/// <summary>One accepted message type of an iStandaard, such as JW305.</summary>
internal sealed record BerichtDefinitie(
    Law Law,
    BerichtSoort Soort,
    string Naam,
    string BerichtCode,
    string RetourBerichtCode,
    XNamespace Namespace,
    XNamespace Basisschema);

/// <summary>
/// The iStandaard of one law (such as iJw 3.2 or iWmo 3.2): its message definitions and its compiled schema set, built
/// once from the XSDs its law's assembly embeds. A compiled <see cref="XmlSchemaSet"/> is only read while validating,
/// so the one instance per standaard is shared by all requests. The messages of every standaard have the same shape;
/// only their namespaces and codes differ, so parsing and the retour are shared.
/// </summary>
public sealed class IStandaard
{
    private static readonly Lock Gate = new();
    private static IStandaard[] _defined = [];

    private IStandaard(Law law, string standaard, string prefix, (string Nummer, string Code, string RetourCode)[] berichten, Assembly schemas)
    {
        Law = law;
        Naam = $"{standaard} 3.2";
        XNamespace basis = $"http://www.istandaarden.nl/{standaard}/3_2/basisschema/schema";
        Berichten = berichten
            .Select(b => new BerichtDefinitie(law, (BerichtSoort)int.Parse(b.Nummer), prefix + b.Nummer, b.Code, b.RetourCode,
                $"http://www.istandaarden.nl/{standaard}/3_2/{prefix.ToLowerInvariant()}{b.Nummer}/schema", basis))
            .ToArray();
        Schemas = SchemaLoader.Load(schemas, standaard, Berichten.Select(b => b.Naam + ".xsd"));
    }

    /// <summary>
    /// Defines the iStandaard of a law: <paramref name="standaard"/> "ijw" with message <paramref name="prefix"/> "JW" and,
    /// per message, its number ("305"), its berichtcode and its retour's code. The assembly embeds the XSDs in a folder
    /// named after the standaard and version ("ijw-3.2"): one per message ("JW305.xsd") and the basisschema.xsd.
    /// </summary>
    public static IStandaard Define(Law law, string standaard, string prefix,
        (string Nummer, string Code, string RetourCode)[] berichten, Assembly schemas)
    {
        var defined = new IStandaard(law, standaard, prefix, berichten, schemas);
        lock (Gate)
        {
            if (_defined.Any(d => d.Law == law)) throw new InvalidOperationException($"The {law} has an iStandaard already.");
            _defined = [.. _defined, defined];
        }
        return defined;
    }

    public Law Law { get; }

    /// <summary>"ijw 3.2" or "iwmo 3.2".</summary>
    public string Naam { get; }

    /// <summary>What the standaard accepts, for a summary: "ijw 3.2 JW305 or JW307".</summary>
    public string Omschrijving => $"{Naam} {string.Join(" or ", Berichten.Select(b => b.Naam))}";

    internal IReadOnlyList<BerichtDefinitie> Berichten { get; }

    /// <summary>The compiled message schemas and their basisschema; never modified after construction.</summary>
    internal XmlSchemaSet Schemas { get; }

    /// <summary>The iStandaarden defined in this process, for saying what is accepted.</summary>
    public static IReadOnlyList<IStandaard> Defined => _defined;

    public static IStandaard? For(Law law) => Array.Find(_defined, d => d.Law == law);

    internal BerichtDefinitie? Find(string namespaceUri, string localName) =>
        localName == "Bericht" ? Berichten.FirstOrDefault(b => b.Namespace.NamespaceName == namespaceUri) : null;

    /// <summary>The message definition of any standaard with this namespace, to say what a misdirected message is.</summary>
    internal static BerichtDefinitie? FindAny(string namespaceUri) =>
        _defined.SelectMany(d => d.Berichten).FirstOrDefault(b => b.Namespace.NamespaceName == namespaceUri);
}

/// <summary>Loads the XSDs a law's assembly embeds; the only thing a message schema may import is the basisschema of its own standaard.</summary>
internal static class SchemaLoader
{
    private const string Basisschema = "basisschema.xsd";

    public static XmlSchemaSet Load(Assembly assembly, string standaard, IEnumerable<string> berichtSchemas)
    {
        var set = new XmlSchemaSet { XmlResolver = new BasisschemaResolver(assembly, standaard) };
        set.ValidationEventHandler += (_, e) =>
            throw new InvalidOperationException($"The embedded {standaard} schemas do not compile: {e.Message}", e.Exception);
        foreach (var file in berichtSchemas)
        {
            using var reader = XmlReader.Create(Open(assembly, standaard, file), ReaderSettings, BaseUri(standaard, file).AbsoluteUri);
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
    private static Stream Open(Assembly assembly, string standaard, string file)
    {
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith("." + file, StringComparison.Ordinal)
                        && n.Contains($".{standaard}_", StringComparison.Ordinal))
            .ToArray();
        if (names.Length != 1)
            throw new InvalidOperationException($"Expected one embedded resource for {standaard}/{file} in {assembly.GetName().Name}, found {names.Length}.");
        return assembly.GetManifestResourceStream(names[0])
            ?? throw new InvalidOperationException($"The embedded resource {names[0]} cannot be opened.");
    }

    /// <summary>Serves the embedded basisschema of one standaard and refuses any other location.</summary>
    private sealed class BasisschemaResolver(Assembly assembly, string standaard) : XmlResolver
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
            return Open(assembly, standaard, Basisschema);
        }
    }
}
