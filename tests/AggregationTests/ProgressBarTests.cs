using SocialDomain.Aggregation;

namespace SocialDomain.AggregationTests;

/// <summary>The progress line as a user sees it, drawn against a clock the test moves.</summary>
public class ProgressBarTests
{
    private sealed class Klok : TimeProvider
    {
        public DateTimeOffset Nu { get; set; } = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Nu;
    }

    [Fact]
    public void The_bar_moves_with_the_records_and_says_how_long_is_left()
    {
        var (uit, klok) = (new StringWriter(), new Klok());
        var balk = new ProgressBar(uit, enabled: true, klok);

        balk.Report("tellen en beveiligen", 0, 4_000_000, "(tellen 2025JJ00)");
        Laatste(uit).ShouldContain("[..............................]   0% 0/4.000.000");
        Laatste(uit).ShouldNotContain("nog", Case.Sensitive);

        klok.Nu += TimeSpan.FromSeconds(30);
        balk.Report("tellen en beveiligen", 1_000_000, 4_000_000, "(tellen 2025JJ00)");
        // A quarter in 30 seconds: three quarters to go take 90 seconds.
        Laatste(uit).ShouldBe("tellen en beveiligen (tellen 2025JJ00) [#######.......................]  25% 1.000.000/4.000.000 (33.333/s), nog 1:30");

        // Within a tenth of a second nothing is redrawn: a fast loop does not spend its time drawing.
        var getekend = uit.ToString().Length;
        klok.Nu += TimeSpan.FromMilliseconds(50);
        balk.Report("tellen en beveiligen", 1_004_096, 4_000_000, "(tellen 2025JJ00)");
        uit.ToString().Length.ShouldBe(getekend);
        // Except when the work moves on to another part: that is shown at once.
        balk.Report("tellen en beveiligen", 2_000_000, 4_000_000, "(beveiligen 2025JJ00)");
        Laatste(uit).ShouldStartWith("tellen en beveiligen (beveiligen 2025JJ00) [###############...............]  50%");
        Laatste(uit).ShouldEndWith("nog 31 s", Case.Sensitive); // 30.05 s so far, rounded up

        klok.Nu += TimeSpan.FromHours(2);
        balk.Report("tellen en beveiligen", 2_000_001, 4_000_000, "(beveiligen 2025JJ00)");
        Laatste(uit).ShouldEndWith("nog 2:00:30");

        balk.Done("tellen en beveiligen", "2 perioden, 1.234 regio's");
        uit.ToString().ShouldEndWith("\n");
        Laatste(uit).ShouldBe("tellen en beveiligen     2 perioden, 1.234 regio's in 2:00:30");
    }

    [Fact]
    public void Without_a_total_it_counts_with_the_speed_and_nothing_is_drawn_when_it_is_off()
    {
        var (uit, klok) = (new StringWriter(), new Klok());
        var balk = new ProgressBar(uit, enabled: true, klok);
        balk.Report("lezen wmo", 0);
        klok.Nu += TimeSpan.FromSeconds(4);
        balk.Report("lezen wmo", 40_960);
        Laatste(uit).ShouldBe("lezen wmo                40.960 (10.240/s), 4 s");

        var stil = new StringWriter();
        var uitgezet = new ProgressBar(stil, enabled: false, klok);
        uitgezet.Report("tellen", 5, 10);
        uitgezet.Report("lezen", 0.5);
        uitgezet.Done("tellen", "klaar");
        stil.ToString().ShouldBeEmpty();
    }

    /// <summary>What the terminal shows now: the text after the last carriage return, without the padding.</summary>
    private static string Laatste(StringWriter uit)
    {
        var tekst = uit.ToString().TrimEnd('\n');
        return tekst[(tekst.LastIndexOf('\r') + 1)..].TrimEnd();
    }
}
