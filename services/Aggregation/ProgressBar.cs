using System.Diagnostics;
using System.Globalization;

namespace SocialDomain.Aggregation;

/// <summary>
/// A one-line progress bar on stderr. Shown only when stderr is a terminal or --progress asks for it, so logs and
/// pipes stay clean; stdout carries nothing of it.
/// </summary>
public sealed class ProgressBar(TextWriter output, bool enabled)
{
    private const int Width = 30;
    private readonly Stopwatch _sinceDrawn = Stopwatch.StartNew();
    private string? _stage;

    public static ProgressBar For(bool requested) => new(Console.Error, requested || !Console.IsErrorRedirected);

    public bool Enabled => enabled;

    public void Report(string stage, double fraction)
    {
        var clamped = Math.Clamp(fraction, 0, 1);
        var filled = (int)(clamped * Width);
        Draw(stage, $"[{new string('#', filled)}{new string('.', Width - filled)}] {clamped * 100,3:F0}%", clamped >= 1);
    }

    public void Report(string stage, long count) =>
        Draw(stage, count.ToString("N0", CultureInfo.InvariantCulture), false);

    public void Done(string stage, string detail)
    {
        if (!enabled) return;
        output.Write($"\r{stage,-28} {detail}".PadRight(80) + "\n");
        _stage = null;
    }

    private void Draw(string stage, string detail, bool force)
    {
        if (!enabled) return;
        // Redrawing costs more than the work between two reports of a fast loop: at most ten times a second.
        if (!force && stage == _stage && _sinceDrawn.ElapsedMilliseconds < 100) return;
        output.Write($"\r{stage,-28} {detail}".PadRight(80));
        _stage = stage;
        _sinceDrawn.Restart();
    }
}
