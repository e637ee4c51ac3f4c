using System.Threading.Channels;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Provisions;

namespace SocialDomain.Population;

/// <summary>
/// Writes a population straight into the services' stores, as they would have recorded it: provision streams and the
/// client index in each law's store, household streams in the Households store. Events go in large multi-stream
/// appends (one transaction each), one writer per store, while generation goes on: the bulk path of the store.
/// </summary>
public sealed class StoreWriter : IPopulationSink, IAsyncDisposable
{
    /// <summary>What the law services store (the integration events plus their client index) and the Households service.</summary>
    private static readonly EventSerializer Provisions =
        new([typeof(ProvisionStarted), typeof(ProvisionEnded), typeof(ProvisionRetracted)]);
    private static readonly EventSerializer Households = new([typeof(HouseholdMemberJoined), typeof(HouseholdMemberLeft)]);
    private static readonly EventMetadata Metadata = new("population-generator", Actor: "synthetic");

    private readonly Store[] _stores;
    private readonly Dictionary<Law, Store> _lawStores;
    private readonly Store _households;

    public StoreWriter(IReadOnlyDictionary<Law, IEventStore> lawStores, IEventStore households, int batchEvents = 20_000)
    {
        _lawStores = lawStores.ToDictionary(s => s.Key, s => new Store(s.Value, batchEvents));
        _households = new Store(households, batchEvents);
        _stores = [.. _lawStores.Values, _households];
    }

    public long Events => _stores.Sum(s => s.Events);

    public void Huishouden(Huishouden huishouden)
    {
        var events = PopulationEvents.Of(huishouden);
        _households.Add(new StreamAppend(events[0].StreamId, 0, [.. events.Select(e => Households.Serialize(e.EventId, e, Metadata))]));
    }

    public void Persoon(Persoon persoon)
    {
        foreach (var perWet in persoon.Voorzieningen.GroupBy(v => v.Law))
        {
            var store = _lawStores[perWet.Key];
            foreach (var v in perWet)
            {
                var events = PopulationEvents.Of(persoon, v);
                // Tagged as the law service tags a client's provisions, so the service can list them.
                store.Add(new StreamAppend(events[0].StreamId, 0, [.. events.Select(e => Provisions.Serialize(e.EventId, e, Metadata))],
                    [$"client:{persoon.Bsn}"]));
            }
        }
    }

    /// <summary>Writes what is still buffered and waits for every store.</summary>
    public async Task CompleteAsync()
    {
        foreach (var store in _stores) store.Complete();
        await Task.WhenAll(_stores.Select(s => s.Writer));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores) store.Complete();
        try
        {
            await Task.WhenAll(_stores.Select(s => s.Writer));
        }
        catch
        {
            // Already reported by CompleteAsync to a caller that awaited it.
        }
    }

    private sealed class Store
    {
        private readonly Channel<List<StreamAppend>> _batches = Channel.CreateBounded<List<StreamAppend>>(4);
        private readonly int _batchEvents;
        private List<StreamAppend> _batch = [];
        private int _pending;

        public Store(IEventStore store, int batchEvents)
        {
            _batchEvents = batchEvents;
            Writer = Task.Run(async () =>
            {
                await foreach (var batch in _batches.Reader.ReadAllAsync())
                    await store.AppendAsync(batch);
            });
        }

        public Task Writer { get; }

        public long Events { get; private set; }

        public void Add(StreamAppend append)
        {
            _batch.Add(append);
            _pending += append.Events.Count;
            Events += append.Events.Count;
            if (_pending < _batchEvents) return;
            Flush();
        }

        public void Complete()
        {
            if (_batch.Count > 0) Flush();
            _batches.Writer.TryComplete();
        }

        private void Flush()
        {
            // Generation runs on its own thread; waiting here is the back-pressure that keeps memory bounded.
            if (Writer.IsFaulted) Writer.GetAwaiter().GetResult();
            _batches.Writer.WriteAsync(_batch).AsTask().GetAwaiter().GetResult();
            (_batch, _pending) = ([], 0);
        }
    }
}
