namespace EntryModel.Scenarios.Seed;

/// <summary>One row of a trace set beside the expected one: either side may be missing when the lengths differ.</summary>
public readonly record struct TraceComparisonRow(string? Actual, string? Expected)
{
    public bool Matches => Actual is not null && Actual == Expected;
}

/// <summary>A trace compared line by line with the trace it should equal.</summary>
public sealed class TraceComparison
{
    public TraceComparison(string title, IReadOnlyList<string> actual, IReadOnlyList<string> expected, string expectedSource = "seed")
    {
        ExpectedSource = expectedSource;
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        Title = title;
        int n = Math.Max(actual.Count, expected.Count);
        Rows = [.. Enumerable.Range(0, n).Select(i => new TraceComparisonRow(i < actual.Count ? actual[i] : null, i < expected.Count ? expected[i] : null))];
    }

    public string Title { get; }

    /// <summary>What the expected lines are: the seed's traces, or ground truth.</summary>
    public string ExpectedSource { get; }

    public IReadOnlyList<TraceComparisonRow> Rows { get; }

    public int MatchingLines => Rows.Count(r => r.Matches);

    public bool AllMatch => Rows.All(r => r.Matches);

    /// <summary>
    /// The comparison as text: a header, then per row a mark (<c>=</c> same as the seed, <c>!</c>
    /// different), the model's line and the seed's line side by side.
    /// </summary>
    public IEnumerable<string> Format(string actualHeading, string expectedHeading)
    {
        int width = Math.Max(actualHeading.Length, Rows.Select(r => r.Actual?.Length ?? 0).DefaultIfEmpty(0).Max());
        yield return $"{Title}: {MatchingLines} of {Rows.Count} lines match";
        yield return $"    {actualHeading.PadRight(width)}   {expectedHeading}";
        foreach (var row in Rows)
        {
            yield return $"  {(row.Matches ? '=' : '!')} {(row.Actual ?? "(missing)").PadRight(width)}   {row.Expected ?? "(none)"}";
        }
    }
}
