using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SocialDomain.Contracts;

namespace SocialDomain.Views.Statistics;

/// <summary>A keyed hash (HMAC-SHA256) that stands in for a BSN or a household id in policy statistics.</summary>
public readonly record struct Pseudonym(UInt128 Hoog, UInt128 Laag)
{
    public const int Size = 32;

    public static Pseudonym Read(ReadOnlySpan<byte> bytes) =>
        new(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes[16..]));

    public void Write(Span<byte> destination)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(destination, Hoog);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(destination[16..], Laag);
    }

    public override string ToString() => Hoog.ToString("x32", CultureInfo.InvariantCulture) + Laag.ToString("x32", CultureInfo.InvariantCulture);
}

/// <summary>
/// Replaces identifying numbers by keyed hashes. The law lets a gemeente use the BSN to grant and pay for care, not
/// to build policy statistics; with the key held by the beheerder, a pseudonym cannot be turned back into a BSN by
/// anyone who only has the extract, yet the same person gets the same pseudonym in every extract made with that key,
/// so extracts can be linked over time. Each kind of number is hashed under its own prefix, so a BSN and a household
/// id can never collide. Not thread-safe: one instance per thread.
/// </summary>
public sealed class Pseudonymiser : IDisposable
{
    /// <summary>HMAC-SHA256 keys shorter than its block output add no strength and make guessing easier.</summary>
    public const int MinimumKeyBytes = 32;

    private readonly byte[] _key;
    private readonly HMACSHA256 _hmac;
    private readonly byte[] _input = new byte[64];

    public Pseudonymiser(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeyBytes)
            throw new ArgumentException($"A pseudonymisation key has at least {MinimumKeyBytes} bytes.", nameof(key));
        _key = key.ToArray();
        _hmac = new HMACSHA256(_key);
    }

    public Pseudonym Persoon(Bsn bsn) => Hash("bsn:", bsn.Value);

    public Pseudonym Huishouden(Guid householdId) => Hash("huishouden:", householdId.ToString("N"));

    /// <summary>Many pseudonyms at once, on all cores: a national extract needs millions of hashes.</summary>
    public Pseudonym[] Personen(IReadOnlyList<Bsn> bsns) => Many(bsns, static (p, bsn) => p.Persoon(bsn));

    /// <inheritdoc cref="Personen"/>
    public Pseudonym[] Huishoudens(IReadOnlyList<Guid> householdIds) => Many(householdIds, static (p, id) => p.Huishouden(id));

    private Pseudonym[] Many<T>(IReadOnlyList<T> values, Func<Pseudonymiser, T, Pseudonym> hash)
    {
        var result = new Pseudonym[values.Count];
        var parts = values.Count < 10_000 ? 1 : Environment.ProcessorCount;
        Parallel.For(0, parts, part =>
        {
            // An HMAC instance is not thread-safe: each part hashes with its own, made from the same key.
            using var own = parts == 1 ? null : new Pseudonymiser(_key);
            var pseudonymiser = own ?? this;
            for (var i = (int)((long)values.Count * part / parts); i < (long)values.Count * (part + 1) / parts; i++)
                result[i] = hash(pseudonymiser, values[i]);
        });
        return result;
    }

    /// <summary>
    /// Identifies the key without revealing it, so a beheerder can tell which key made an extract (and so whether
    /// two extracts can be linked).
    /// </summary>
    public string Vingerafdruk => Hash("sleutel-vingerafdruk:", "").ToString()[..16];

    private Pseudonym Hash(string prefix, string value)
    {
        var length = Encoding.ASCII.GetBytes(prefix, _input);
        length += Encoding.ASCII.GetBytes(value, _input.AsSpan(length));
        Span<byte> hash = stackalloc byte[Pseudonym.Size];
        _hmac.TryComputeHash(_input.AsSpan(0, length), hash, out _);
        return Pseudonym.Read(hash);
    }

    public void Dispose()
    {
        _hmac.Dispose();
        CryptographicOperations.ZeroMemory(_key);
    }
}
