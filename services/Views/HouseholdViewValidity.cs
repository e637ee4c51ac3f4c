using System.Collections.Concurrent;
using System.Reflection;
using SocialDomain.Contracts;

namespace SocialDomain.Views;

/// <summary>
/// How long a household's view for one date stays what it is. The view on a date depends on that date only through
/// comparisons with the dates in the household's events and its members' provisions, and through the window before
/// an 18th birthday; so it is the same on every date up to the first of those dates (or the day after one) that lies
/// ahead. A persisted view of today is recomputed on that date, not every day.
/// </summary>
public static class HouseholdViewValidity
{
    /// <summary>Month arithmetic clamps to the end of a month, so the window's edge is looked at a few days either way.</summary>
    private const int MaandMarge = 3;

    private static readonly ConcurrentDictionary<Type, Func<object, IEnumerable<DateOnly>>> DatesOfType = new();

    /// <summary>The first date after <paramref name="today"/> on which the view may differ from today's; null if never.</summary>
    public static DateOnly? Until(IEnumerable<IHouseholdEvent> householdEvents, IEnumerable<ProvisionTimeline> timelines, DateOnly today,
        SignalOptions options)
    {
        DateOnly? first = null;
        void Consider(DateOnly date)
        {
            if (date > today && (first is null || date < first)) first = date;
        }
        void Edges(DateOnly date)
        {
            Consider(date);
            if (date < DateOnly.MaxValue) Consider(date.AddDays(1));
        }
        void Birthday(DateOnly born)
        {
            var achttien = born.AddYears(18);
            Edges(achttien);
            var venster = achttien.AddMonths(-options.OvergangMaanden);
            for (var d = -MaandMarge; d <= MaandMarge; d++) Consider(venster.AddDays(d));
        }

        foreach (var e in householdEvents)
        {
            Edges(DateOnly.FromDateTime(e.OccurredAt.UtcDateTime));
            foreach (var date in DatesIn(e)) Edges(date);
            if (e is HouseholdMemberJoined { Geboortedatum: { } born }) Birthday(born);
        }
        foreach (var timeline in timelines)
        {
            // A period covers its begindatum up to and including its einddatum.
            foreach (var period in timeline.Perioden)
            {
                Consider(period.Begindatum);
                if (period.Einddatum is { } end && end < DateOnly.MaxValue) Consider(end.AddDays(1));
            }
            if (timeline.Geboortedatum is { } born) Birthday(born);
        }
        return first;
    }

    /// <summary>Every date an event carries, found by its type so a new field with a date is never missed.</summary>
    private static IEnumerable<DateOnly> DatesIn(object e) => DatesOfType.GetOrAdd(e.GetType(), type =>
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(DateOnly) || p.PropertyType == typeof(DateOnly?)).ToArray();
        return instance => properties.Select(p => p.GetValue(instance)).OfType<DateOnly>();
    })(e);
}
