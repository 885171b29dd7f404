using System.Diagnostics;
using EntryModel.Analysis.Cost;
using EntryModel.Analysis.Sweep;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Judging;
using EntryModel.Scenarios.Running;
using EntryModel.Unwinding;

namespace EntryModel.Analysis.Compare;

/// <summary>
/// Builds the comparison: for every strategy of the default model, its costs (image and machine),
/// the whole default sweep (every scenario and event), and per unwinder its walk cost and verdicts.
/// </summary>
public static class StrategyComparison
{
    public static IReadOnlyList<CompareRow> Build(Action<string>? progress = null)
    {
        var rows = new List<CompareRow>();
        foreach (var image in StrategyCatalog.Images)
        {
            progress?.Invoke($"{image.Strategy}: costs");
            var cost = StrategyCosts.Measure(image);
            var sweeps = new List<SweepResult>();
            foreach (var scenario in ScenarioCatalog.All)
            {
                foreach (var e in new[] { SweepEvent.Timer, SweepEvent.Preempt, SweepEvent.Nmi })
                {
                    progress?.Invoke($"{image.Strategy}: sweep {scenario.Name} {e.Name()}");
                    sweeps.Add(InterruptSweep.Run(new SweepRequest(scenario, image, e)));
                }
            }

            var seed = ScenarioCatalog.All.First(s => s.Name == "read-page-fault").Run(image);
            var judge = new StackJudge(image);
            string? own = UnwinderCatalog.Own(image, out _);
            long notTransparent = sweeps.Sum(r => r.Failures().Where(f => f.Key != SweepFailure.NoSample).Sum(f => f.Value));
            foreach (string name in UnwinderCatalog.For(image))
            {
                var unwinder = UnwinderCatalog.Create(name, judge.Image);
                var tally = sweeps.Select(r => r.Tallies().Single(t => t.Unwinder == name)).Aggregate((a, b) => a.Add(b));
                long profile = 0, wrong = 0;
                foreach (var r in sweeps.Where(r => r.Folded.Count > 0))
                {
                    long samples = r.Folded[SweepResult.Truth].Values.Sum();
                    profile += samples;
                    wrong += (long)Math.Round(r.MisattributedPercent(name) * samples / 100.0);
                }

                bool ideal = seed.Stacks.Count > 0 && judge.Judge(seed.Stacks[0], unwinder).Verdict == TraceVerdict.Exact;
                rows.Add(new CompareRow(cost, name, name == own, NsPerFrame(unwinder, seed.Stacks[0]), tally, notTransparent, profile, wrong, ideal));
            }
        }

        return rows;
    }

    /// <summary>A quick in-process timing of the walk over the seed's stack (BenchmarkDotNet's figures are in benchmarks/RESULTS.md).</summary>
    private static double NsPerFrame(IUnwinder unwinder, StackCapture stack)
    {
        const int Walks = 20_000;
        var state = default(UnwindState);
        int frames = 0;
        for (int i = 0; i < 2000; i++)
        {
            frames = UnwindTrace.Count(unwinder, stack.Start, ref state);
        }

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Walks; i++)
        {
            UnwindTrace.Count(unwinder, stack.Start, ref state);
        }

        return frames == 0 ? double.NaN : clock.Elapsed.TotalNanoseconds / Walks / frames;
    }
}
