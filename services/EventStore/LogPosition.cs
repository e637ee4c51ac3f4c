namespace SocialDomain.EventStore;

/// <summary>
/// A place in the global log. On PostgreSQL the log is ordered by (transaction id, sequence): see
/// <see cref="PostgresEventStore"/> for why a sequence alone is not enough. SQLite serialises writers,
/// so there the transaction id is always 0.
/// </summary>
public readonly record struct LogPosition(long TransactionId, long Sequence) : IComparable<LogPosition>
{
    public static readonly LogPosition Start = new(0, 0);

    public int CompareTo(LogPosition other) =>
        TransactionId != other.TransactionId ? TransactionId.CompareTo(other.TransactionId) : Sequence.CompareTo(other.Sequence);

    public static bool operator <(LogPosition a, LogPosition b) => a.CompareTo(b) < 0;
    public static bool operator >(LogPosition a, LogPosition b) => a.CompareTo(b) > 0;
    public static bool operator <=(LogPosition a, LogPosition b) => a.CompareTo(b) <= 0;
    public static bool operator >=(LogPosition a, LogPosition b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{TransactionId}/{Sequence}";
}
