using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using SocialDomain.AggregationBenchmarks;

SocialDomain.Platform.PlatformLaws.Register();

// Usage (Release build; needs SDP_POSTGRES for part a):
//   dotnet run -c Release --project tests/AggregationBenchmarks [-- --rebuild-scale 0.1 --national-scale 1.0 --work /tmp/sdp-bench]
//   ... -- national-view <extract>     (the child process that measures the national view on its own)
//   ... -- suppression [--scale 0.05] [--gemeenten 342] [--seed 42] [--protection 1]   (how much disclosure control hides; no database)
if (args is ["national-view", var extractPath, ..])
{
    Console.WriteLine(JsonSerializer.Serialize(NationalViewMeasurement.Measure(extractPath, args.Length > 2 ? args[2] : null)));
    return 0;
}

if (args is ["suppression", ..])
{
    Console.Write(SuppressionMeasurement.Run(Option("--scale", 0.05), (int)Option("--gemeenten", 342), (int)Option("--seed", 42),
        new SocialDomain.Views.Statistics.DisclosureRule(Beschermingsinterval: (int)Option("--protection", 1)),
        [SocialDomain.Views.Statistics.Periode.Jaar(2025), SocialDomain.Views.Statistics.Periode.Peildatum(new DateOnly(2025, 6, 30))]));
    return 0;
}

#if DEBUG
Console.Error.WriteLine("warning: a Debug build; figures are only comparable from `dotnet run -c Release`.");
#endif
var rebuildScale = Option("--rebuild-scale", 0.1);
var nationalScale = Option("--national-scale", 1.0);
var work = args.SkipWhile(a => a != "--work").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "sdp-aggregation-bench");
Directory.CreateDirectory(work);
var postgres = Environment.GetEnvironmentVariable("SDP_POSTGRES");
if (string.IsNullOrWhiteSpace(postgres))
{
    Console.Error.WriteLine("""
        Part (a) reads the log from PostgreSQL: set SDP_POSTGRES to a connection string of a role that may create
        databases, e.g. SDP_POSTGRES="Host=127.0.0.1;Port=5432;Username=platform;Password=platform;Database=platform"
        (eval "$(infra/start.sh)" starts PostgreSQL).
        """);
    return 2;
}
// The key lives only in this process and its child: a benchmark needs a key like any extraction, never a stored one.
var keyDirectory = Directory.CreateTempSubdirectory("sdp-bench-key-");
var keyFile = Path.Combine(keyDirectory.FullName, "key");
File.WriteAllText(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
try
{
    var machine = await Machine.DescribeAsync(postgres);
    Console.WriteLine(machine);
    var rebuild = await RebuildBenchmark.RunAsync(postgres, rebuildScale, keyFile, Console.Out);
    var national = await NationalBenchmark.RunAsync(nationalScale, work, keyFile, Console.Out);
    var report = Report.Markdown(machine, rebuild, national);
    var path = Report.Locate();
    await File.WriteAllTextAsync(path, report);
    Console.WriteLine($"wrote {path}");
    return 0;
}
finally
{
    keyDirectory.Delete(recursive: true);
}

double Option(string name, double fallback)
{
    var value = args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
    return value is null ? fallback : double.Parse(value, CultureInfo.InvariantCulture);
}
