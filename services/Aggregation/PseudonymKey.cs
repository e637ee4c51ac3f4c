using SocialDomain.Views.Statistics;

namespace SocialDomain.Aggregation;

/// <summary>
/// Where the pseudonymisation key comes from: a file the beheerder keeps (<c>--key-file</c>) or the environment
/// variable <see cref="EnvironmentVariable"/>, base64 of at least 32 random bytes (<c>openssl rand -base64 32</c>).
/// There is no default key and no fallback: without a key the extract is not made. A key file inside a git
/// working tree, or next to the output, is refused: the key must never travel with the code or the data.
/// </summary>
public static class PseudonymKey
{
    public const string EnvironmentVariable = "SDP_PSEUDONYM_KEY";

    public static byte[] Load(string? keyFile, string outputPath)
    {
        string text;
        string origin;
        if (keyFile is not null)
        {
            var full = Path.GetFullPath(keyFile);
            if (!File.Exists(full)) throw new UsageException($"The key file {keyFile} does not exist.");
            if (InsideGitWorkTree(full) is { } repository)
                throw new UsageException($"The key file lies inside the git working tree {repository}; keep the key outside any repository.");
            var outputDirectory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
            if (Path.GetDirectoryName(full) == outputDirectory)
                throw new UsageException("The key file lies in the directory the extract is written to; keep the key apart from the data.");
            text = File.ReadAllText(full);
            origin = $"the key file {keyFile}";
        }
        else
        {
            text = Environment.GetEnvironmentVariable(EnvironmentVariable)
                ?? throw new UsageException(
                    $"No pseudonymisation key: pass --key-file <path> or set {EnvironmentVariable} to base64 of at least " +
                    $"{Pseudonymiser.MinimumKeyBytes} random bytes (openssl rand -base64 32). The beheerder holds the key.");
            origin = EnvironmentVariable;
        }
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new UsageException($"The key in {origin} is not base64.");
        }
        if (key.Length < Pseudonymiser.MinimumKeyBytes)
            throw new UsageException($"The key in {origin} has {key.Length} bytes; at least {Pseudonymiser.MinimumKeyBytes} are needed.");
        return key;
    }

    private static string? InsideGitWorkTree(string path)
    {
        for (var dir = Path.GetDirectoryName(path); dir is not null; dir = Path.GetDirectoryName(dir))
            if (Directory.Exists(Path.Combine(dir, ".git")) || File.Exists(Path.Combine(dir, ".git"))) return dir;
        return null;
    }
}

/// <summary>The command line asked for something that cannot be done; the message says what to do instead.</summary>
public sealed class UsageException(string message) : Exception(message);
