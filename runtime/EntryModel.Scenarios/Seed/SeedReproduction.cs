using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Running;

namespace EntryModel.Scenarios.Seed;

/// <summary>
/// The main job: runs the seed scenario under the Before and After strategies on the images the
/// generator built at compile time, and sets each captured trace beside the seed's.
/// </summary>
public static class SeedReproduction
{
    public static IReadOnlyList<(ScenarioResult Result, TraceComparison Comparison)> Run()
    {
        if (!ScenarioCatalog.TryGet(SeedTraces.Scenario, out var scenario))
        {
            throw new InvalidOperationException($"the catalog has no scenario '{SeedTraces.Scenario}'");
        }

        return
        [
            Compare(scenario, SeedTraces.BeforeStrategy, "Before", SeedTraces.Before),
            Compare(scenario, SeedTraces.AfterStrategy, "After", SeedTraces.After),
        ];
    }

    /// <summary>Both comparisons as text, with a closing verdict line.</summary>
    public static IEnumerable<string> Format(IReadOnlyList<(ScenarioResult Result, TraceComparison Comparison)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        foreach (var (result, comparison) in runs)
        {
            foreach (string line in comparison.Format($"model ({result.Strategy})", "seed"))
            {
                yield return line;
            }

            yield return $"  user program: {result.Outcome}";
            yield return string.Empty;
        }

        bool all = runs.All(r => r.Comparison.AllMatch && r.Result.OutcomeAsExpected);
        yield return all
            ? "Both traces equal the seed's, line for line, from the model's execution."
            : "The model's traces differ from the seed's (lines marked !).";
    }

    private static (ScenarioResult, TraceComparison) Compare(IScenario scenario, string strategy, string label, IReadOnlyList<string> seed)
    {
        if (!StrategyCatalog.TryGet(strategy, out var image))
        {
            throw new InvalidOperationException($"the default model has no strategy '{strategy}'");
        }

        var result = scenario.Run(image);
        var actual = result.Traces.Count > 0 ? result.Traces[0].Text : [];
        return (result, new TraceComparison($"{label} (strategy {strategy})", actual, seed));
    }
}
