using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SocialDomain.EventStore;

/// <summary>
/// What the stores tell about their appends: a span per append, so a request's trace shows its write on either
/// adapter (on PostgreSQL Npgsql's own spans sit inside it), and the events appended, counted once committed.
/// </summary>
public static class StoreTelemetry
{
    public const string Name = "SocialDomain.EventStore";

    private static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);
    private static readonly Counter<long> AppendedCounter = Meter.CreateCounter<long>("sdp.store.appended", "{event}",
        "Events appended to a service's store and committed.");

    /// <param name="store">The service whose store it is (its schema, or its SQLite file's name).</param>
    public static Activity? StartAppend(string store, int events) =>
        Source.StartActivity("store append")?.SetTag("sdp.store", store).SetTag("sdp.events", events);

    public static void Appended(string store, int events) =>
        AppendedCounter.Add(events, new KeyValuePair<string, object?>("store", store));
}
