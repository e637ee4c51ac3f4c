using System.Security.Cryptography;
using SocialDomain.Contracts;

namespace SocialDomain.Population;

/// <summary>
/// The integration events a population stands for, as the services would have recorded them: per provision a stream
/// <c>provision-{id}</c> (a withdrawn start first where the model has one, then each period's start and stop), per
/// household a stream <c>household-{id}</c> of joins and leaves in date order. Event ids derive from the stream and
/// version, so the same population always gives the same events.
/// </summary>
public static class PopulationEvents
{
    public static List<IProvisionEvent> Of(Persoon persoon, Voorziening v)
    {
        var stream = $"provision-{v.Id}";
        var events = new List<IProvisionEvent>();
        var bsn = persoon.Bsn;
        if (v.IngetrokkenBegin is { } fout)
        {
            var wrong = Start(events.Count + 1, fout);
            events.Add(wrong);
            events.Add(new ProvisionRetracted(Id(stream, events.Count + 1), stream, events.Count + 1, At(fout), v.Gemeente, v.Law, v.Id, bsn, wrong.EventId));
        }
        foreach (var p in v.Perioden)
        {
            events.Add(Start(events.Count + 1, p.Begin));
            if (p.Eind is { } eind)
                events.Add(new ProvisionEnded(Id(stream, events.Count + 1), stream, events.Count + 1, At(eind), v.Gemeente, v.Law, v.Id, bsn,
                    p.Begin, eind, p.Reden ?? throw new InvalidOperationException("An ended period needs a reden.")));
        }
        return events;

        ProvisionStarted Start(int version, DateOnly begin) =>
            new(Id(stream, version), stream, version, At(begin), v.Gemeente, v.Law, v.Id, bsn, v.Productcategorie, null, null, begin,
                persoon.Geboortedatum);
    }

    public static List<IHouseholdEvent> Of(Huishouden h)
    {
        var stream = $"household-{h.Id}";
        var changes = h.Leden.Select(l => (Datum: l.Van, Lid: l, Join: true))
            .Concat(h.Leden.Where(l => l.Tot is not null).Select(l => (Datum: l.Tot!.Value.AddDays(1), Lid: l, Join: false)))
            .OrderBy(c => c.Datum).ThenBy(c => c.Join);
        var events = new List<IHouseholdEvent>();
        foreach (var (datum, lid, join) in changes)
        {
            var version = events.Count + 1;
            events.Add(join
                ? new HouseholdMemberJoined(Id(stream, version), stream, version, At(datum), h.Gemeente, h.Id, lid.Persoon.Bsn, lid.Rol, lid.Van,
                    h.Wijk, lid.Persoon.Geboortedatum)
                : new HouseholdMemberLeft(Id(stream, version), stream, version, At(datum), h.Gemeente, h.Id, lid.Persoon.Bsn, lid.Tot!.Value));
        }
        return events;
    }

    /// <summary>How many events <see cref="Of(Persoon, Voorziening)"/> gives, without making them.</summary>
    public static int Count(Voorziening v) => (v.IngetrokkenBegin is null ? 0 : 2) + v.Perioden.Sum(p => p.Eind is null ? 1 : 2);

    public static int Count(Huishouden h) => h.Leden.Sum(l => l.Tot is null ? 1 : 2);

    private static DateTimeOffset At(DateOnly date) => new(date.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);

    private static Guid Id(string stream, int version)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(System.Text.Encoding.ASCII.GetBytes($"{stream}/{version}"), hash);
        return new Guid(hash[..16]);
    }
}
