namespace SocialDomain.Aggregation;

/// <summary>The job's command line; docs/aggregation.md explains each command for the beheerder.</summary>
public static class Cli
{
    public const string Usage = """
        Usage:
          aggregation extract --out <extract file> (--postgres <connection string> | --sqlite <data directory>)
                              [--source stores|projection] [--projection-schema projections]
                              [--key-file <path>] [--progress]
              Reads the event logs (or the projection's inbox) and writes a pseudonymised extract. Needs the key:
              --key-file <path> or SDP_PSEUDONYM_KEY, base64 of at least 32 random bytes; refuses to run without one.

          aggregation aggregate --extract <extract file> --out <directory>
                                (--periode 2025|2025-H1|2025-H2 | --peildatum 2025-06-30)...
                                [--threshold 10] [--rounding 5] [--chart-regio NL01|GM0363|WK036301]
                                [--raw --role beheerder] [--progress]
              Writes stapeling.csv, stapeling.json, stapeling.png and stapeling.svg: protected tables per gemeente and
              wijk. The raw table is written only with --raw --role beheerder, into <directory>/onbeveiligd.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        try
        {
            switch (args.FirstOrDefault())
            {
                case "extract":
                    return await ExtractCommand.RunAsync(Arguments.Parse(args, ExtractCommand.Options, ExtractCommand.Flags), stdout, ct);
                case "aggregate":
                    return AggregateCommand.Run(Arguments.Parse(args, AggregateCommand.Options, AggregateCommand.Flags), stdout);
                case null or "help" or "--help" or "-h":
                    stdout.WriteLine(Usage);
                    return args.Length == 0 ? 2 : 0;
                default:
                    throw new UsageException($"Unknown command '{args[0]}'.");
            }
        }
        catch (UsageException ex)
        {
            stderr.WriteLine("error: " + ex.Message);
            stderr.WriteLine(Usage);
            return 2;
        }
    }
}
