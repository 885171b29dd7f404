using System.Globalization;

namespace EntryModel.Analysis.Sweep;

/// <summary>A sweep's result as text: what was swept, the transparency failures, and one Markdown row per unwinder.</summary>
public static class SweepReport
{
    public static IEnumerable<string> Lines(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = CultureInfo.InvariantCulture;
        yield return string.Create(c, $"sweep of {result.Scenario} under {result.Strategy}: {result.Event.Name()}{(result.Nested ? " (nested)" : string.Empty)} at {result.Points.Count} of {result.ReferenceInstructions} boundaries (shard {result.Shard}); {result.Samples} samples");
        var failures = result.Failures();
        long broken = failures.Where(f => f.Key != SweepFailure.NoSample).Sum(f => f.Value);
        yield return broken == 0
            ? string.Create(c, $"every injection point transparent{(failures.TryGetValue(SweepFailure.NoSample, out long none) ? $"; {none} point(s) without a sample (event not taken there, or merged)" : string.Empty)}")
            : "NOT transparent: " + string.Join(", ", failures.Select(f => string.Create(c, $"{f.Key} {f.Value}")));
        yield return string.Empty;
        bool perf = result.Folded.Count > 0;
        yield return "| unwinder | exact | incomplete (unreliable) | wrong (not reliable) | wrong while reliable | vouched |" + (perf ? " misattributed |" : string.Empty);
        yield return "|---|---:|---:|---:|---:|---:|" + (perf ? "---:|" : string.Empty);
        foreach (var t in result.Tallies())
        {
            string row = string.Create(c, $"| {t.Unwinder} | {t.Exact} | {t.Incomplete} | {t.Wrong} | {t.WrongWhileReliable} | {t.Vouched} |");
            yield return perf ? row + string.Create(c, $" {result.MisattributedPercent(t.Unwinder):0.0}% |") : row;
        }
    }

    /// <summary>Many sweeps in one table: a row per scenario, strategy, event and unwinder, with the points that were not transparent.</summary>
    public static IEnumerable<string> Summary(IReadOnlyList<SweepResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var c = CultureInfo.InvariantCulture;
        yield return "| scenario | strategy | event | unwinder | samples | exact | incomplete (unreliable) | wrong (not reliable) | wrong while reliable | vouched | misattributed | not transparent |";
        yield return "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|";
        foreach (var r in results)
        {
            long broken = r.Failures().Where(f => f.Key != SweepFailure.NoSample).Sum(f => f.Value);
            foreach (var t in r.Tallies())
            {
                double mis = r.MisattributedPercent(t.Unwinder);
                string misText = double.IsNaN(mis) ? "-" : string.Create(c, $"{mis:0.0}%");
                yield return string.Create(c, $"| {r.Scenario} | {r.Strategy} | {r.Event.Name()}{(r.Nested ? " nested" : string.Empty)} | {t.Unwinder} | {t.Samples} | {t.Exact} | {t.Incomplete} | {t.Wrong} | {t.WrongWhileReliable} | {t.Vouched} | {misText} | {broken} |");
            }
        }
    }
}
