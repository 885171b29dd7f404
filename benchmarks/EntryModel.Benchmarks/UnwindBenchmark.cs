using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using EntryModel.Unwinding;
using EntryModel.Unwinding.Reliable;

namespace EntryModel.Benchmarks;

/// <summary>
/// Question (issue 12): how many nanoseconds does each unwinder spend per frame, on the seed's stack
/// (the read-page-fault DUMP_STACK capture, under the strategy the unwinder belongs to) and on a
/// 64-frame stack (<see cref="UnwindBenchmarkWorkload"/>), reading the live <c>GuestMemory</c>? A
/// walk is <c>Start</c> then <c>NextFrames</c> in batches of 64 until the walk ends, over a reused
/// state (<see cref="UnwindTrace.Count"/>: how traces are collected, the sweep's among them); it
/// must allocate nothing. <c>DeepStep</c> walks the same stack a frame at a time through
/// <c>NextFrame</c>, the kernel-shaped API, for comparison. The guess unwinder's unit is the stack
/// word scanned. <see cref="UnwindTrace.Collect"/>
/// and <see cref="ReliableWalker.Walk"/> allocate (their frame lists, the refusal's text) and are
/// measured on the seed stack for comparison. Mean is per walk; the <c>Per unit</c> column divides
/// it by the walk's frames (words for guess), which the workload counts once in setup, and
/// <c>Per unit (Min)</c> divides the quickest iteration's time the same way.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Configuration))]
public class UnwindBenchmark
{
    private UnwindBenchmarkWorkload workload = null!;
    private IUnwinder unwinder = null!;
    private ReliableWalker reliable = null!;
    private UnwindStart seed;
    private UnwindStart deep;
    private UnwindState state;

    [Params("guess", "frame", "frame-ptregs", "frame-encoded", "section", "task-flag", "orc")]
    public string Unwinder { get; set; } = "frame";

    [GlobalSetup]
    public void Setup()
    {
        workload = UnwindBenchmarkWorkload.For(Unwinder);
        unwinder = workload.Walker;
        reliable = new ReliableWalker(workload.Image);
        seed = workload.Seed;
        deep = workload.Deep;
        if (Walk(seed) != workload.SeedFrames || Walk(deep) != workload.DeepWalkFrames || Step(deep) != workload.DeepWalkFrames)
        {
            throw new InvalidOperationException("the walks do not produce the frames the workload counted");
        }
    }

    /// <summary>Start + NextFrames over the seed's stack (12 or 13 frames; guess: the words up to the task stack's top).</summary>
    [Benchmark]
    public int SeedWalk() => Walk(seed);

    /// <summary>Start alone on the seed's stack: what every walk pays before its first step (the seed walks' per-frame figures include it, spread over 12 or 13 frames).</summary>
    [Benchmark]
    public bool SeedStart() => unwinder.Start(ref state, seed);

    /// <summary>Start + NextFrames over the 64-frame stack.</summary>
    [Benchmark]
    public int DeepWalk() => Walk(deep);

    /// <summary>Start + NextFrame, frame by frame, over the 64-frame stack.</summary>
    [Benchmark]
    public int DeepStep() => Step(deep);

    /// <summary>The walk collected into an <see cref="UnwindTrace"/> (allocates the frame list).</summary>
    [Benchmark]
    public UnwindTrace SeedCollect() => UnwindTrace.Collect(unwinder, seed);

    /// <summary>Reliable mode over the seed's stack (allocates its frame list and, when it refuses, the reason's text).</summary>
    [Benchmark]
    public ReliableTrace SeedReliable() => reliable.Walk(unwinder, seed);

    private int Walk(in UnwindStart start) => UnwindTrace.Count(unwinder, start, ref state);

    private int Step(in UnwindStart start)
    {
        var u = unwinder;
        if (!u.Start(ref state, start))
        {
            return 0;
        }

        int frames = 1;
        while (u.NextFrame(ref state))
        {
            frames++;
        }

        return frames;
    }

    /// <summary>
    /// One launch, 5 warmups, 15 iterations (ns-scale operations settle fast; 42 cases); Min and the
    /// per-unit columns (Min too: on a shared machine the quietest iteration is closest to the code's cost).
    /// </summary>
    private sealed class Configuration : ManualConfig
    {
        public Configuration()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(15).WithId("Unwind"));
            AddColumn(StatisticColumn.Min, new UnitColumn(UnitColumn.What.Units), new UnitColumn(UnitColumn.What.PerUnitMean), new UnitColumn(UnitColumn.What.PerUnitMin));
        }
    }

    /// <summary>What a walk counts (frames, or words scanned for guess), and Mean or Min divided by it.</summary>
    private sealed class UnitColumn(UnitColumn.What what) : IColumn
    {
        public enum What
        {
            Units,
            PerUnitMean,
            PerUnitMin,
        }

        public string Id => $"Unwind{what}";

        public string ColumnName => what switch
        {
            What.Units => "Units",
            What.PerUnitMean => "Per unit",
            _ => "Per unit (Min)",
        };

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => (int)what;

        public bool IsNumeric => false;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => what switch
        {
            What.Units => "Frames the walk produced, frame 0 included (guess walks: stack words scanned, from the start's RSP to the task stack's top; SeedReliable: frames it checked, and its verdict)",
            What.PerUnitMean => "Mean divided by Units: ns per frame walked (per stack word scanned for guess walks)",
            _ => "Min divided by Units",
        };

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            if (benchmarkCase.Parameters["Unwinder"] is not string name)
            {
                return "?";
            }

            var w = UnwindBenchmarkWorkload.For(name);
            bool words = w.CountsWords;
            (int count, string unit) = benchmarkCase.Descriptor.WorkloadMethod.Name switch
            {
                nameof(SeedWalk) => words ? (w.SeedWords, "words") : (w.SeedFrames, "frames"),
                nameof(DeepWalk) or nameof(DeepStep) => words ? (w.DeepWords, "words") : (w.DeepWalkFrames, "frames"),
                nameof(SeedCollect) => (w.SeedFrames, "frames"),
                nameof(SeedStart) => (1, "frames"),
                _ => (w.ReliableFrames, $"frames, {w.ReliableOutcome}"),
            };

            if (what == What.Units)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{count} {unit}");
            }

            var statistics = summary[benchmarkCase]?.ResultStatistics;
            double? ns = what == What.PerUnitMean ? statistics?.Mean : statistics?.Min;
            return ns is { } total && count > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{total / count:F2} ns/{(unit == "words" ? "word" : "frame")}")
                : "-";
        }
    }
}
