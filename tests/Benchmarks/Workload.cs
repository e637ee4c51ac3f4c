using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Wmo;

namespace SocialDomain.Benchmarks;

/// <summary>Realistic events: serialized ProvisionStarted of the Wmo, as the law service writes them.</summary>
public static class Workload
{
    /// <summary>The law services' serializer: the provision events under their CLR short names.</summary>
    public static readonly EventSerializer Serializer = new([typeof(ProvisionStarted), typeof(ProvisionEnded), typeof(ProvisionRetracted)]);

    private static readonly Gemeentecode[] Gemeenten = [.. new[] { "0344", "0363", "0599", "0518", "0014" }.Select(Gemeentecode.Parse)];
    private static readonly string[] Categorieen = ["02", "01", "07", "03"];

    /// <summary>Test persons: 999xxxxxx numbers that pass the 11-proef.</summary>
    public static readonly Bsn[] Persons =
    [
        .. Enumerable.Range(0, 1_000_000).Select(n => $"999{n:D6}")
            .Select(s => Bsn.TryParse(s, out var bsn, out _) ? bsn : (Bsn?)null)
            .OfType<Bsn>(),
    ];

    /// <summary>A new provision start: a fresh provision, so a fresh stream at version 1.</summary>
    public static ProvisionStarted NewStart(int i, long version = 1)
    {
        var provisionId = Guid.NewGuid();
        return new ProvisionStarted(
            Guid.CreateVersion7(),
            $"provision-{provisionId}",
            version,
            DateTimeOffset.UtcNow,
            Gemeenten[i % Gemeenten.Length],
            WmoLaw.Law,
            provisionId,
            Persons[i % Persons.Length],
            Categorieen[i % Categorieen.Length],
            $"{Categorieen[i % Categorieen.Length]}A{i % 100:D2}",
            $"TW{i:D10}",
            new DateOnly(2025, 1, 1).AddDays(i % 365),
            new DateOnly(1950, 1, 1).AddDays(i % 20_000));
    }

    public static EventData Serialize(ProvisionStarted e) =>
        Serializer.Serialize(e.EventId, e, new EventMetadata("wmo", Guid.NewGuid().ToString(), Actor: "benchmark"));

    /// <summary>A pool of serialized events to draw payloads from, so serialization stays out of the timed part.</summary>
    public static EventData[] Pool(int size) => [.. Enumerable.Range(0, size).Select(i => Serialize(NewStart(i)))];
}
