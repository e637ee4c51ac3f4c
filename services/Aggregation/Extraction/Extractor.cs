using System.Text.Json;
using System.Threading.Channels;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Views;
using SocialDomain.Views.Statistics;

namespace SocialDomain.Aggregation.Extraction;

/// <summary>
/// Reads the raw logs, folds them with the views' own folds (<see cref="ProvisionFold"/>, <see cref="HouseholdFold"/>),
/// and pseudonymises the result into a <see cref="StatisticsExtract"/>. This is the only step of the job that sees a
/// BSN; everything after it works on the extract.
/// </summary>
public sealed class Extractor(Pseudonymiser pseudonymiser, Action<string, long>? progress = null)
{
    /// <summary>The event types the statistics are made of; anything else in a log (client indexes, plans, consent) is skipped.</summary>
    private static readonly Dictionary<string, Type> Types = new Type[]
    {
        typeof(ProvisionStarted), typeof(ProvisionEnded), typeof(ProvisionRetracted),
        typeof(HouseholdMemberJoined), typeof(HouseholdMemberLeft),
    }.ToDictionary(t => t.Name);

    private const int BatchSize = 4096;

    public long RowsRead { get; private set; }

    public async Task<StatisticsExtract> ExtractAsync(ExtractSources sources, CancellationToken ct)
    {
        var voorzieningen = (await ReadAsync(sources.Voorzieningen, ct)).OfType<IProvisionEvent>().ToList();
        // The provisions are folded while the households are read, so that folding overlaps reading.
        var builder = new ExtractBuilder(pseudonymiser);
        var provisions = Task.Run(() => builder.Add(ProvisionFold.Fold(voorzieningen), []), ct);
        var huishoudens = await ReadAsync(sources.Huishoudens, ct);
        await provisions;
        builder.Add([], HouseholdFold.Fold(huishoudens));
        builder.CountSourceEvents(voorzieningen.Count + huishoudens.Count);
        return builder.Build();
    }

    /// <summary>The fold and pseudonymisation alone, on events already in memory.</summary>
    public StatisticsExtract Build(IReadOnlyCollection<IProvisionEvent> provisionEvents, IReadOnlyCollection<IIntegrationEvent> householdEvents)
    {
        var timelines = ProvisionFold.Fold(provisionEvents);
        var households = HouseholdFold.Fold(householdEvents);
        var builder = new ExtractBuilder(pseudonymiser);
        builder.Add(timelines, households);
        builder.CountSourceEvents(provisionEvents.Count + householdEvents.Count);
        return builder.Build();
    }

    /// <summary>
    /// Reads logs on one thread and deserializes on the others: parsing JSON costs more than reading the rows, so
    /// with the reader alone on its core the database can stream at full speed.
    /// </summary>
    public async Task<List<IIntegrationEvent>> ReadAsync(IEnumerable<LogSource> logs, CancellationToken ct)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var batches = Channel.CreateBounded<LogRow[]>(new BoundedChannelOptions(16) { SingleWriter = true });
        var workers = Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount - 1))
            .Select(_ => Task.Run(async () =>
            {
                try
                {
                    var events = new List<IIntegrationEvent>();
                    await foreach (var batch in batches.Reader.ReadAllAsync(failed.Token))
                        foreach (var row in batch)
                            if (Types.TryGetValue(row.Type, out var type))
                                events.Add((IIntegrationEvent)(JsonSerializer.Deserialize(row.Data, type, EventSerializer.Json)
                                    ?? throw new InvalidDataException($"An event of type {row.Type} has no data.")));
                    return events;
                }
                catch
                {
                    // Stop the reader, which may be waiting for room in the channel; this exception is the one reported.
                    await failed.CancelAsync();
                    throw;
                }
            }, ct))
            .ToList();
        try
        {
            foreach (var log in logs)
            {
                var batch = new LogRow[BatchSize];
                var n = 0;
                long rows = 0;
                await foreach (var row in log.ReadAsync(failed.Token))
                {
                    batch[n++] = row;
                    if (n < BatchSize) continue;
                    await batches.Writer.WriteAsync(batch, failed.Token);
                    (batch, n) = (new LogRow[BatchSize], 0);
                    rows += BatchSize;
                    progress?.Invoke(log.Naam, rows);
                }
                if (n > 0) await batches.Writer.WriteAsync(batch[..n], failed.Token);
                rows += n;
                progress?.Invoke(log.Naam, rows);
                RowsRead += rows;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // A worker failed; awaiting the workers below throws its exception.
        }
        finally
        {
            batches.Writer.Complete();
        }
        return [.. (await Task.WhenAll(workers)).SelectMany(e => e)];
    }
}
