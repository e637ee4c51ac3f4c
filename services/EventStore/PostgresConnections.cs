using Npgsql;

namespace SocialDomain.EventStore;

/// <summary>How the platform's own pools of PostgreSQL connections are set up.</summary>
public static class PostgresConnections
{
    /// <summary>
    /// No reset when a connection goes back to the pool: by default Npgsql sends seven statements (RESET ALL,
    /// CLOSE ALL, UNLISTEN *, ...) in front of the next command on it, which cost a one-event append a third of its
    /// rate with eight writers (docs/benchmarks.md (a)). The platform's pooled connections carry no session state to
    /// reset: they set and lock per transaction only. With <paramref name="autoPrepare"/>, Npgsql prepares a statement
    /// on a connection after its second use there, so PostgreSQL no longer parses and plans it on every call (for
    /// statements whose best plan does not depend on their parameters). Whatever the connection string says about
    /// either (e.g. "Max Auto Prepare=0" for a pooler without prepared statements) is kept.
    /// </summary>
    public static string Tuned(string connectionString, bool autoPrepare)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey answers true for every keyword it knows; the plain builder keeps what was written.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (autoPrepare && !written.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }
        if (!written.Contains("NoResetOnClose")) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }
}
