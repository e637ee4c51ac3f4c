using System.Text;
using SocialDomain.Contracts;
using SocialDomain.Views.Statistics;

namespace SocialDomain.Aggregation;

/// <summary>
/// The pseudonymised extract on disk: a compact little-endian binary file, so a national extract (millions of
/// records) loads in well under a second per million. It holds only what <see cref="StatisticsExtract"/> holds.
/// <code>
/// "SDPX" version:u16 key-fingerprint:string source-events:i64
/// categories: n:i32, n × (law:string code:string)        (records refer to this list, not to the code's catalogue order)
/// persons:     n:i32, n × (pseudonym[32] birth-month:i32)                                 birth month: year * 12 + month - 1, 0 unknown
/// households:  n:i32, n × (pseudonym[32] gemeente:u16 wijk:u8)                             the wijk of its first known address
/// moves:       n:i32, n × (household:i32 from:i32 wijk:u8)                                  sorted by household, from
/// provisions:  n:i32, n × (person:i32 law:u8 category:u8 gemeente:u16 begin:i32 end:i32)   sorted by person, begin
/// memberships: n:i32, n × (person:i32 household:i32 from:i32 to:i32)                       sorted by person, from
/// "EIND"
/// </code>
/// </summary>
public static class ExtractFile
{
    private const int Version = 3;
    private static readonly byte[] Magic = "SDPX"u8.ToArray();
    private static readonly byte[] End = "EIND"u8.ToArray();

    public static void Write(StatisticsExtract extract, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        using (var w = new BinaryWriter(stream, Encoding.UTF8))
        {
            w.Write(Magic);
            w.Write((ushort)Version);
            w.Write(extract.SleutelVingerafdruk);
            w.Write(extract.BronEvents);
            // A provision's law is a registry index; the names say which law each index was when written.
            w.Write(Contracts.Laws.All.Count);
            foreach (var law in Contracts.Laws.All) w.Write(law.Law.Name);
            w.Write(Soorten.Categorieen.Count);
            foreach (var c in Soorten.Categorieen)
            {
                w.Write(c.Law.ToString());
                w.Write(c.Code);
            }
            Span<byte> pseudonym = stackalloc byte[Pseudonym.Size];
            w.Write(extract.Personen.Length);
            for (var i = 0; i < extract.Personen.Length; i++)
            {
                extract.Personen[i].Write(pseudonym);
                w.Write(pseudonym);
                w.Write(extract.Geboortemaanden[i]);
            }
            w.Write(extract.Huishoudens.Length);
            foreach (var h in extract.Huishoudens)
            {
                h.Pseudonym.Write(pseudonym);
                w.Write(pseudonym);
                w.Write(h.Gemeente);
                w.Write(h.Wijk);
            }
            w.Write(extract.Verhuizingen.Length);
            foreach (var v in extract.Verhuizingen)
            {
                w.Write(v.Huishouden);
                w.Write(v.Van);
                w.Write(v.Wijk);
            }
            w.Write(extract.Voorzieningen.Length);
            foreach (var v in extract.Voorzieningen)
            {
                w.Write(v.Persoon);
                w.Write(v.Wet);
                w.Write(v.Categorie);
                w.Write(v.Gemeente);
                w.Write(v.Begin);
                w.Write(v.Eind);
            }
            w.Write(extract.Lidmaatschappen.Length);
            foreach (var m in extract.Lidmaatschappen)
            {
                w.Write(m.Persoon);
                w.Write(m.Huishouden);
                w.Write(m.Van);
                w.Write(m.Tot);
            }
            w.Write(End);
        }
        // Readers never see half a file: the extract appears whole or not at all.
        File.Move(temporary, path, overwrite: true);
    }

    public static StatisticsExtract Read(string path, IProgress<double>? progress = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        if (!r.ReadBytes(4).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException($"{path} is not a pseudonymised extract.");
        var version = r.ReadUInt16();
        if (version != Version) throw new InvalidDataException($"{path} is an extract of version {version}; this job reads version {Version}.");
        var vingerafdruk = r.ReadString();
        var bronEvents = r.ReadInt64();

        var wetten = new byte[Count(r, Contracts.Laws.Max)];
        for (var i = 0; i < wetten.Length; i++) wetten[i] = (byte)Contracts.Laws.IndexOf(KnownLaw(r.ReadString(), path));
        var categorieen = new byte[Count(r, 256)];
        for (var i = 0; i < categorieen.Length; i++)
        {
            var law = KnownLaw(r.ReadString(), path);
            categorieen[i] = Soorten.CategorieNummer(Productcategorie.Parse(law, r.ReadString()));
        }
        var lengte = (double)stream.Length;
        var personen = new Pseudonym[Count(r)];
        var geboortemaanden = new int[personen.Length];
        for (var i = 0; i < personen.Length; i++)
        {
            personen[i] = Pseudonym.Read(r.ReadBytes(Pseudonym.Size));
            geboortemaanden[i] = r.ReadInt32();
        }
        progress?.Report(stream.Position / lengte);
        var huishoudens = new HouseholdRecord[Count(r)];
        for (var i = 0; i < huishoudens.Length; i++)
            huishoudens[i] = new HouseholdRecord(Pseudonym.Read(r.ReadBytes(Pseudonym.Size)), r.ReadUInt16(), r.ReadByte());
        var verhuizingen = new VerhuizingRecord[Count(r)];
        for (var i = 0; i < verhuizingen.Length; i++) verhuizingen[i] = new VerhuizingRecord(r.ReadInt32(), r.ReadInt32(), r.ReadByte());
        progress?.Report(stream.Position / lengte);
        var voorzieningen = new ProvisionRecord[Count(r)];
        for (var i = 0; i < voorzieningen.Length; i++)
        {
            voorzieningen[i] = new ProvisionRecord(r.ReadInt32(), wetten[r.ReadByte()], categorieen[r.ReadByte()], r.ReadUInt16(), r.ReadInt32(), r.ReadInt32());
            if ((i & 0xFFFF) == 0) progress?.Report(stream.Position / lengte);
        }
        var lidmaatschappen = new MembershipRecord[Count(r)];
        for (var i = 0; i < lidmaatschappen.Length; i++)
        {
            lidmaatschappen[i] = new MembershipRecord(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
            if ((i & 0xFFFF) == 0) progress?.Report(stream.Position / lengte);
        }
        if (!r.ReadBytes(4).AsSpan().SequenceEqual(End)) throw new InvalidDataException($"{path} is cut short.");
        progress?.Report(1);
        return new StatisticsExtract(personen, huishoudens, voorzieningen, lidmaatschappen, bronEvents, vingerafdruk, verhuizingen, geboortemaanden);
    }

    private static Law KnownLaw(string name, string path) =>
        Contracts.Laws.TryFind(name, out var law) ? law
            : throw new InvalidDataException($"{path} has provisions under the {name}, a law this job does not know; registered: {string.Join(", ", Contracts.Laws.All.Select(l => l.Law))}.");

    private static int Count(BinaryReader r, int max = int.MaxValue)
    {
        var n = r.ReadInt32();
        return n >= 0 && n <= max ? n : throw new InvalidDataException("The extract is damaged: a negative or impossible count.");
    }
}
