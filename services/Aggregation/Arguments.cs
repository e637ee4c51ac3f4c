namespace SocialDomain.Aggregation;

/// <summary>
/// A command line of the form <c>command --option value --flag</c>. Options may repeat (<c>--periode 2025
/// --periode 2025-H1</c>); anything not known to the command is an error, so a typo never silently changes a run.
/// </summary>
public sealed class Arguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public string Command { get; }

    private Arguments(string command) => Command = command;

    public static Arguments Parse(IReadOnlyList<string> args, IReadOnlySet<string> options, IReadOnlySet<string> flags)
    {
        if (args.Count == 0) throw new UsageException("Name a command: extract or aggregate.");
        var parsed = new Arguments(args[0]);
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            if (flags.Contains(name)) parsed._flags.Add(name);
            else if (options.Contains(name))
            {
                if (i + 1 >= args.Count) throw new UsageException($"{name} needs a value.");
                if (!parsed._values.TryGetValue(name, out var list)) parsed._values[name] = list = [];
                list.Add(args[++i]);
            }
            else throw new UsageException($"Unknown argument '{name}' for {parsed.Command}.");
        }
        return parsed;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public string? Value(string name) => Values(name) switch
    {
        [] => null,
        [var one] => one,
        _ => throw new UsageException($"{name} may be given only once."),
    };

    public string Required(string name) => Value(name) ?? throw new UsageException($"{Command} needs {name}.");

    public int Int(string name, int fallback) => Value(name) is { } text
        ? int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new UsageException($"{name} takes a whole number, not '{text}'.")
        : fallback;
}
