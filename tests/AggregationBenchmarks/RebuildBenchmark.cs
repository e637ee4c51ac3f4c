using System.Diagnostics;
using Npgsql;
using SocialDomain.Aggregation.Extraction;
using SocialDomain.Contracts;
using SocialDomain.EventStore;
using SocialDomain.Population;
using SocialDomain.Views;
using SocialDomain.Views.Statistics;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Wmo;

namespace SocialDomain.AggregationBenchmarks;

public sealed record RebuildResult(
    double Scale, long StoredRows, TimeSpan Generate,
    double RowReaderRate, double CopyRate, double RebuildRate, TimeSpan Rebuild, long FoldedEvents,
    double ViewsFoldRate, double ViewsFoldMedianRate, double ExtractBuildRate, double StatisticsFoldRecordRate, double StatisticsFoldSourceRate, int Records);

/// <summary>
/// (a) The rebuild from PostgreSQL: the generated logs read and folded into the 2025 table, beside two raw reads of
/// the same rows in the same run (a plain row-by-row reader and binary COPY); each measured three times, interleaved, the best kept,
/// so that neither gains from coming second to a warm cache.
/// </summary>
public static class RebuildBenchmark
{
    private static readonly string[] Schemas = ["participatiewet", "wmo", "jeugdwet", "households"];

    public static async Task<RebuildResult> RunAsync(string postgres, double scale, string keyFile, TextWriter log)
    {
        var database = "bench_aggr_" + Guid.NewGuid().ToString("N")[..12];
        await Execute(postgres, $"create database {database}");
        var db = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
        try
        {
            var clock = Stopwatch.StartNew();
            var stores = Schemas.ToDictionary(s => s, s => (IEventStore)new PostgresEventStore(db, s));
            foreach (var store in stores.Values) await store.InitializeAsync();
            await using (var writer = new StoreWriter(new Dictionary<Law, IEventStore>
                         {
                             [ParticipatiewetLaw.Law] = stores["participatiewet"], [WmoLaw.Law] = stores["wmo"], [JeugdwetLaw.Law] = stores["jeugdwet"],
                         }, stores["households"]))
            {
                await Task.Run(() => new PopulationGenerator(new GeneratorOptions(scale, BuitenTestBereik: true)).Generate(writer));
                await writer.CompleteAsync();
            }
            var generate = clock.Elapsed;
            await Execute(db, "vacuum analyze");
            log.WriteLine($"(a) generated scale {scale} into PostgreSQL in {generate.TotalSeconds:F0} s");

            var key = Convert.FromBase64String(File.ReadAllText(keyFile));
            double rowReader = 0, copy = 0, rebuild = 0;
            long rows = 0, folded = 0;
            var rebuildTime = TimeSpan.MaxValue;
            StatisticsExtract? extract = null;
            for (var round = 0; round < 3; round++)
            {
                var (n, t) = await Time(() => RowByRow(db));
                rowReader = Math.Max(rowReader, n / t.TotalSeconds);
                rows = n;
                (n, t) = await Time(() => Copy(db));
                copy = Math.Max(copy, n / t.TotalSeconds);
                clock.Restart();
                using var pseudonymiser = new Pseudonymiser(key);
                var extractor = new Extractor(pseudonymiser);
                extract = await extractor.ExtractAsync(ExtractSources.PostgresStores(db), CancellationToken.None);
                StatisticsFold.Fold(extract, RegioIndeling.Van(extract), Periode.Jaar(2025));
                t = clock.Elapsed;
                rebuild = Math.Max(rebuild, extractor.RowsRead / t.TotalSeconds);
                rebuildTime = t < rebuildTime ? t : rebuildTime;
                folded = extract.BronEvents;
                log.WriteLine($"    round {round + 1}: row reader {n / 1.0:N0} rows, {rowReader:N0}/s; COPY {copy:N0}/s; rebuild {rebuild:N0}/s");
            }

            // The fold alone: the same events, already read and deserialized, folded again; a collection before each
            // round, so that no round pays for the garbage of the one before.
            using (var pseudonymiser = new Pseudonymiser(key))
            {
                var extractor = new Extractor(pseudonymiser);
                var provisions = (await extractor.ReadAsync(ExtractSources.PostgresStores(db).Voorzieningen, CancellationToken.None)).OfType<IProvisionEvent>().ToList();
                var households = await extractor.ReadAsync(ExtractSources.PostgresStores(db).Huishoudens, CancellationToken.None);
                var events = provisions.Count + households.Count;
                var views = Seconds(5, () =>
                {
                    ProvisionFold.Fold(provisions);
                    HouseholdFold.Fold(households);
                }).Select(t => events / t).ToList();
                var withExtract = events / Seconds(3, () => extractor.Build(provisions, households)).Min();
                var (recordRate, sourceRate) = StatisticsFoldRate(extract!);
                log.WriteLine($"    in memory: views folds {views.Max():N0} events/s (median {Median(views):N0}); with pseudonymised extract {withExtract:N0} events/s; " +
                              $"statistics fold {recordRate:N0} records/s = {sourceRate:N0} source events/s");
                return new RebuildResult(scale, rows, generate, rowReader, copy, rebuild, rebuildTime, folded, views.Max(), Median(views), withExtract,
                    recordRate, sourceRate, extract!.Voorzieningen.Length + extract.Lidmaatschappen.Length);
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Execute(postgres, $"drop database if exists {database} with (force)");
        }
    }

    /// <summary>The statistics fold alone on an extract in memory, best of five.</summary>
    public static (double RecordsPerSecond, double SourceEventsPerSecond) StatisticsFoldRate(StatisticsExtract extract)
    {
        var regios = RegioIndeling.Van(extract);
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            StatisticsFold.Fold(extract, regios, Periode.Jaar(2025));
            best = clock.Elapsed < best ? clock.Elapsed : best;
        }
        return ((extract.Voorzieningen.Length + extract.Lidmaatschappen.Length) / best.TotalSeconds, extract.BronEvents / best.TotalSeconds);
    }

    /// <summary>Seconds per round, each round after a full collection.</summary>
    private static List<double> Seconds(int rounds, Action run)
    {
        var seconds = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var clock = Stopwatch.StartNew();
            run();
            seconds.Add(clock.Elapsed.TotalSeconds);
        }
        return seconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<long> RowByRow(string db)
    {
        long n = 0;
        await using var conn = new NpgsqlConnection(db);
        await conn.OpenAsync();
        foreach (var schema in Schemas)
        {
            await using var cmd = new NpgsqlCommand($"select type, data::text from {schema}.events", conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                _ = reader.GetString(0);
                _ = reader.GetString(1);
                n++;
            }
        }
        return n;
    }

    private static async Task<long> Copy(string db)
    {
        long n = 0;
        await using var conn = new NpgsqlConnection(db);
        await conn.OpenAsync();
        foreach (var schema in Schemas)
        {
            await using var reader = await conn.BeginBinaryExportAsync($"copy (select type, data::text from {schema}.events) to stdout (format binary)");
            while (await reader.StartRowAsync() != -1)
            {
                _ = await reader.ReadAsync<string>();
                _ = await reader.ReadAsync<string>();
                n++;
            }
        }
        return n;
    }

    private static async Task<(long, TimeSpan)> Time(Func<Task<long>> read)
    {
        var clock = Stopwatch.StartNew();
        var n = await read();
        return (n, clock.Elapsed);
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
