using SocialDomain.Aggregation.Output;

namespace SocialDomain.Aggregation;

/// <summary>
/// A one-line progress bar on stderr: what is being done, how far (records done of the total, redrawn as the work
/// moves by thousands of records), the speed and the time still to go. Shown only when stderr is a terminal or
/// --progress asks for it, so logs and pipes stay clean; stdout carries nothing of it.
/// <para>The time to go is the time taken so far in this stage, scaled to what is left.</para>
/// </summary>
public sealed class ProgressBar(TextWriter output, bool enabled, TimeProvider? clock = null)
{
    private const int Width = 30;
    private const int LineWidth = 100;
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(100);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private string? _stage;
    private string? _detail;
    private DateTimeOffset _stageBegun;
    private DateTimeOffset _drawn;

    public static ProgressBar For(bool requested) => new(Console.Error, requested || !Console.IsErrorRedirected);

    public bool Enabled => enabled;

    /// <summary>A stage of known size: <paramref name="done"/> of <paramref name="total"/> records; <paramref name="detail"/> says which part.</summary>
    public void Report(string stage, long done, long total, string? detail = null)
    {
        // A new part of the stage is drawn at once, so the line always says what is being done.
        if (!Begin(stage, done >= total || detail != _detail)) return;
        _detail = detail;
        var fraction = total <= 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        var seconds = Elapsed.TotalSeconds;
        var speed = seconds > 0 ? done / seconds : 0;
        Draw(stage, detail, $"{Bar(fraction)} {Getal(done)}/{Getal(total)} {Snelheid(speed)}{Nog(fraction)}");
    }

    /// <summary>
    /// A stage measured as a fraction (of a file's bytes, or of the time a job's parts take); <paramref name="schatting"/>
    /// false leaves out the time to go while the fraction is not yet a measure of time.
    /// </summary>
    public void Report(string stage, double fraction, string? detail = null, bool schatting = true)
    {
        if (!Begin(stage, fraction >= 1 || detail != _detail)) return;
        _detail = detail;
        var deel = Math.Clamp(fraction, 0, 1);
        Draw(stage, detail, Bar(deel) + (schatting ? Nog(deel) : ""));
    }

    /// <summary>A stage of unknown size: the records so far and the speed.</summary>
    public void Report(string stage, long count)
    {
        if (!Begin(stage, false)) return;
        var seconds = Elapsed.TotalSeconds;
        Draw(stage, null, $"{Getal(count)} {Snelheid(seconds > 0 ? count / seconds : 0)}, {Duur(Elapsed)}");
    }

    public void Done(string stage, string detail)
    {
        if (!enabled) return;
        var duur = _stage == stage ? $" in {Duur(Elapsed)}" : "";
        output.Write($"\r{stage,-24} {detail}{duur}".PadRight(LineWidth) + "\n");
        _stage = null;
    }

    private TimeSpan Elapsed => _clock.GetUtcNow() - _stageBegun;

    /// <summary>Starts the clock of a new stage; whether to draw now (redrawing costs more than a fast loop's work: ten times a second at most).</summary>
    private bool Begin(string stage, bool force)
    {
        if (!enabled) return false;
        var now = _clock.GetUtcNow();
        if (stage != _stage)
        {
            _stage = stage;
            _stageBegun = now;
        }
        else if (!force && now - _drawn < RedrawEvery) return false;
        _drawn = now;
        return true;
    }

    private void Draw(string stage, string? detail, string voortgang)
    {
        var wat = detail is null ? stage : $"{stage} {detail}";
        output.Write($"\r{wat,-24} {voortgang}".PadRight(LineWidth));
    }

    private static string Bar(double fraction)
    {
        var filled = (int)(fraction * Width);
        return $"[{new string('#', filled)}{new string('.', Width - filled)}] {fraction * 100,3:F0}%";
    }

    /// <summary>The time still to go, from the speed so far; nothing until there is a speed to go by.</summary>
    private string Nog(double fraction)
    {
        var verstreken = Elapsed;
        if (fraction <= 0 || fraction >= 1 || verstreken <= TimeSpan.Zero) return "";
        return ", nog " + Duur(verstreken * ((1 - fraction) / fraction));
    }

    private static string Snelheid(double perSeconde) => $"({Getal((long)perSeconde)}/s)";

    private static string Getal(long n) => n.ToString("N0", NederlandseNotatie.Getallen);

    internal static string Duur(TimeSpan duur) =>
        duur.TotalHours >= 1 ? $"{(int)duur.TotalHours}:{duur.Minutes:D2}:{duur.Seconds:D2}"
        : duur.TotalMinutes >= 1 ? $"{duur.Minutes}:{duur.Seconds:D2}"
        : $"{Math.Ceiling(duur.TotalSeconds):F0} s";
}
