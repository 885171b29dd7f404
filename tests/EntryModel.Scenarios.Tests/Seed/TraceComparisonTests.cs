using EntryModel.Scenarios.Seed;

namespace EntryModel.Scenarios.Tests.Seed;

public class TraceComparisonTests
{
    [Test]
    public void Differing_and_missing_lines_are_marked()
    {
        var comparison = new TraceComparison("t", ["a", "x"], ["a", "b", "c"]);
        var text = comparison.Format("model", "seed").ToList();

        Assert.That(comparison.MatchingLines, Is.EqualTo(1));
        Assert.That(comparison.AllMatch, Is.False);
        Assert.That(text[0], Is.EqualTo("t: 1 of 3 lines match"));
        Assert.That(text[2], Does.StartWith("  = a"));
        Assert.That(text[3], Does.StartWith("  ! x").And.EndWith("b"));
        Assert.That(text[4], Does.StartWith("  ! (missing)").And.EndWith("c"));
    }

    [Test]
    public void Equal_traces_match_on_every_line()
    {
        var comparison = new TraceComparison("t", SeedTraces.After, SeedTraces.After);

        Assert.That(comparison.AllMatch, Is.True);
        Assert.That(comparison.Rows, Has.Count.EqualTo(14));
    }
}
