using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using SocialDomain.Aggregation;
using SocialDomain.Aggregation.Output;
using SocialDomain.Contracts;
using SocialDomain.Population;
using SocialDomain.Views.Statistics;

namespace SocialDomain.AggregationBenchmarks;

public sealed record NationalResult(double Scale, TimeSpan Generate, long ExtractBytes, NationalView View);

/// <summary>What the child process measures: the national view on its own, from the extract file to the outputs.</summary>
public sealed record NationalView(
    int Persons, int Households, int Provisions, int Memberships, long SourceEvents, int Regions,
    double ReadSeconds, double RegionsSeconds, double FoldSeconds, double ProtectSeconds, double WriteSeconds, double TotalSeconds,
    double FoldRecordRate, double FoldSourceRate, long PeakWorkingSetBytes, long GcHeapBytes, long ManagedAllocatedBytes,
    Dictionary<string, int> PersonenNL, Dictionary<string, int> HuishoudensNL);

/// <summary>
/// (b) and (c): a national population generated straight into an extract file, then the whole 2025 table (all
/// gemeenten and wijken, persons and households, protected and written) measured in a fresh process, so its peak
/// memory is the national view's own and not the generator's.
/// </summary>
public static class NationalBenchmark
{
    public static async Task<NationalResult> RunAsync(double scale, string work, string keyFile, TextWriter log)
    {
        var extractPath = Path.Combine(work, $"national-{scale}.sdpx");
        var clock = Stopwatch.StartNew();
        using (var pseudonymiser = new Pseudonymiser(Convert.FromBase64String(File.ReadAllText(keyFile))))
        {
            var sink = new ExtractSink(pseudonymiser);
            new PopulationGenerator(new GeneratorOptions(scale, BuitenTestBereik: true)).Generate(sink);
            ExtractFile.Write(sink.Build(), extractPath);
        }
        var generate = clock.Elapsed;
        log.WriteLine($"(b) generated a scale {scale} extract in {generate.TotalSeconds:F0} s: {new FileInfo(extractPath).Length / 1e6:F0} MB");

        var self = Assembly.GetEntryAssembly()!.Location;
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(self);
        foreach (var a in new[] { "national-view", extractPath, Path.Combine(work, "national-out") }) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0) throw new InvalidOperationException($"national-view failed ({child.ExitCode}): {output}");
        var view = JsonSerializer.Deserialize<NationalView>(output)!;
        log.WriteLine($"    national view: fold {view.FoldSeconds:F2} s, protect {view.ProtectSeconds:F2} s, total {view.TotalSeconds:F2} s, peak {view.PeakWorkingSetBytes / 1e9:F2} GB");
        var result = new NationalResult(scale, generate, new FileInfo(extractPath).Length, view);
        File.Delete(extractPath);
        return result;
    }
}

public static class NationalViewMeasurement
{
    public static NationalView Measure(string extractPath, string? outputDirectory)
    {
        var total = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        var extract = ExtractFile.Read(extractPath);
        var read = Lap(clock);
        var regios = RegioIndeling.Van(extract);
        var regions = Lap(clock);
        var tabel = StatisticsFold.Fold(extract, regios, Periode.Jaar(2025));
        var fold = Lap(clock);
        var beschermd = DisclosureControl.Protect(tabel, DisclosureRule.Standaard);
        var protect = Lap(clock);
        var write = 0.0;
        if (outputDirectory is not null)
        {
            Directory.CreateDirectory(outputDirectory);
            TableWriter.WriteCsv([TableCells.Of(beschermd)], Path.Combine(outputDirectory, "stapeling.csv"));
            TableWriter.WriteJson([TableCells.Of(beschermd)], Path.Combine(outputDirectory, "stapeling.json"), DisclosureRule.Standaard);
            StackingChart.Write(beschermd, 0, Path.Combine(outputDirectory, "stapeling.png"), Path.Combine(outputDirectory, "stapeling.svg"));
            write = Lap(clock);
        }
        var totalSeconds = total.Elapsed.TotalSeconds;
        var (recordRate, sourceRate) = RebuildBenchmark.StatisticsFoldRate(extract);
        var rows = Soorten.Volgorde.Where(s => s < Soorten.EersteCategorie).ToList();
        var gc = GC.GetGCMemoryInfo();
        return new NationalView(extract.Personen.Length, extract.Huishoudens.Length, extract.Voorzieningen.Length, extract.Lidmaatschappen.Length,
            extract.BronEvents, regios.Regios.Count, read, regions, fold, protect, write, totalSeconds, recordRate, sourceRate,
            Process.GetCurrentProcess().PeakWorkingSet64, gc.HeapSizeBytes, GC.GetTotalAllocatedBytes(),
            rows.ToDictionary(Soorten.Naam, s => tabel.PersonenIn(0, s)), rows.ToDictionary(Soorten.Naam, s => tabel.HuishoudensIn(0, s)));
    }

    private static double Lap(Stopwatch clock)
    {
        var s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return s;
    }
}
