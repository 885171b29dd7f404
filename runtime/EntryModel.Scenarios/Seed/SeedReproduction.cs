using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Judging;
using EntryModel.Scenarios.Reporting;
using EntryModel.Scenarios.Running;
using EntryModel.Unwinding;
using EntryModel.Unwinding.Image;

namespace EntryModel.Scenarios.Seed;

/// <summary>
/// The main job: runs the seed scenario under the Before and After strategies on the images the
/// generator built at compile time and prints each DUMP_STACK with the 2016 printer over the
/// <c>frame</c> unwinder, beside the seed's; then the same event as the thread wished it ("ideal
/// world"): the smart printer over the <c>frame-ptregs</c> unwinder, beside ground truth.
/// </summary>
public static class SeedReproduction
{
    public static IReadOnlyList<(ScenarioResult Result, TraceComparison Comparison)> Run()
    {
        if (!ScenarioCatalog.TryGet(SeedTraces.Scenario, out var scenario))
        {
            throw new InvalidOperationException($"the catalog has no scenario '{SeedTraces.Scenario}'");
        }

        var before = scenario.Run(Image(SeedTraces.BeforeStrategy));
        var after = scenario.Run(Image(SeedTraces.AfterStrategy));
        return
        [
            (before, new TraceComparison($"Before (strategy {SeedTraces.BeforeStrategy}, 2016 printer)", Printed(before, "frame", PrinterKind.Classic), SeedTraces.Before)),
            (after, new TraceComparison($"After (strategy {SeedTraces.AfterStrategy}, 2016 printer)", Printed(after, "frame", PrinterKind.Classic), SeedTraces.After)),
            (after, new TraceComparison($"Ideal (strategy {SeedTraces.AfterStrategy}, unwinder {SeedTraces.IdealUnwinder}, smart printer)", Printed(after, SeedTraces.IdealUnwinder, PrinterKind.Smart), Truth(after), "ground truth")),
        ];
    }

    /// <summary>The comparisons as text, with a closing verdict line.</summary>
    public static IEnumerable<string> Format(IReadOnlyList<(ScenarioResult Result, TraceComparison Comparison)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        foreach (var (result, comparison) in runs)
        {
            foreach (string line in comparison.Format($"model ({result.Strategy})", comparison.ExpectedSource))
            {
                yield return line;
            }

            yield return $"  user program: {result.Outcome}";
            yield return string.Empty;
        }

        bool all = runs.All(r => r.Comparison.AllMatch && r.Result.OutcomeAsExpected);
        yield return all
            ? "Both traces equal the seed's, line for line, and the smart unwinder's equals ground truth: all from the model's execution."
            : "The model's traces differ from what they should be (lines marked !).";
    }

    private static KernelImage Image(string strategy) =>
        StrategyCatalog.TryGet(strategy, out var image) ? image : throw new InvalidOperationException($"the default model has no strategy '{strategy}'");

    private static IReadOnlyList<string> Printed(ScenarioResult result, string unwinderName, PrinterKind printer)
    {
        if (result.Stacks.Count == 0)
        {
            return [];
        }

        var image = UnwindImage.For(result.Session.Image);
        var unwinder = UnwinderCatalog.Create(unwinderName, image);
        return ScenarioReport.Print(image, result.Stacks[0], unwinder, printer, registers: false);
    }

    private static IReadOnlyList<string> Truth(ScenarioResult result) =>
        result.Stacks.Count == 0 ? [] : TruthPrinter.Print(result.Session.Image, result.Stacks[0].GroundTruth);
}
