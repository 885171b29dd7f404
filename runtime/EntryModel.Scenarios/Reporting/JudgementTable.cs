using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Judging;
using EntryModel.Scenarios.Running;
using EntryModel.Unwinding;

namespace EntryModel.Scenarios.Reporting;

/// <summary>One row of the judgement table: a captured stack of a scenario under a strategy, walked by one unwinder.</summary>
public sealed record JudgementRow(string Scenario, string Strategy, string Stack, string Unwinder, bool Own, StackJudgement Judgement);

/// <summary>
/// Every scenario of the default model, under every strategy, walked by every unwinder the strategy
/// supports: each captured stack's verdict against ground truth in normal and in reliable mode.
/// </summary>
public static class JudgementTable
{
    public static IReadOnlyList<JudgementRow> Build(IEnumerable<IScenario>? scenarios = null, IEnumerable<KernelImage>? images = null)
    {
        var rows = new List<JudgementRow>();
        foreach (var scenario in scenarios ?? ScenarioCatalog.All)
        {
            foreach (var image in images ?? StrategyCatalog.Images)
            {
                var result = scenario.Run(image);
                var judge = new StackJudge(image);
                string? own = UnwinderCatalog.Own(image, out _);
                foreach (string unwinder in UnwinderCatalog.For(image))
                {
                    foreach (var stack in result.Stacks)
                    {
                        rows.Add(new JudgementRow(scenario.Name, image.Strategy, stack.Title, unwinder, unwinder == own, judge.Judge(stack, unwinder)));
                    }
                }
            }
        }

        return rows;
    }

    /// <summary>The rows as a Markdown table.</summary>
    public static IEnumerable<string> Markdown(IReadOnlyList<JudgementRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        yield return "| scenario | strategy | stack | unwinder | normal mode | frames matching | reliable mode |";
        yield return "|---|---|---|---|---|---|---|";
        foreach (var r in rows)
        {
            var j = r.Judgement;
            string reliable = j.ReliableVerdict switch
            {
                ReliableVerdict.Vouched => "vouched (exact)",
                ReliableVerdict.Refused => $"refused: {j.Reliable.Refusal}",
                _ => "**WRONG while reliable**",
            };
            string stopped = j.Trace.Error == UnwindError.None ? string.Empty : $" (stopped: {j.Trace.Error})";
            yield return $"| {r.Scenario} | {r.Strategy} | {r.Stack} | {r.Unwinder}{(r.Own ? " (own)" : string.Empty)} | {j.Verdict.ToString().ToLowerInvariant()}{stopped} | {j.MatchingRows}/{j.Rows.Count} | {reliable} |";
        }
    }
}
