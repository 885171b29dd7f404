using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using EntryModel.Analysis.Sweep;
using EntryModel.Scenarios.Catalog;
using EntryModel.Unwinding;

namespace EntryModel.Benchmarks;

/// <summary>
/// Question (issue 14): what does one injection point of the sweep cost, on one core? 2,048 points
/// spread evenly over the seed scenario's run (read-page-fault: about 3,000 boundaries, so nearly
/// every one, in the order a sweep's worker takes them), each: restore the nearest base snapshot
/// (one every 64 instructions, as the sweep keeps them), run to the boundary, inject, run to the
/// sample, walk every unwinder of the strategy once and judge the walk in normal and reliable mode,
/// classify (NMI samples also fold their stacks for the profile). <c>ToTheSample</c> stops there
/// (the chain); <c>ToTheEnd</c> also runs the scenario to its end and concludes it, as the
/// sweep does to prove the point transparent. Mean is per point; the <c>Unwinds/s</c> columns give
/// what a core does per second, counted per point and per unwinder judged (2 or 3 a point), from the
/// Mean and from the quickest iteration.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Configuration))]
public class SweepBenchmark
{
    private const int Points = 2048;
    private SweepWorker worker = null!;
    private long[] boundaries = [];

    [Params("none", "pt-regs-frame", "encoded-rbp", "orc")]
    public string Strategy { get; set; } = "none";

    [Params(SweepEvent.Timer, SweepEvent.Nmi)]
    public SweepEvent Event { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ScenarioCatalog.TryGet("read-page-fault", out var scenario);
        StrategyCatalog.TryGet(Strategy, out var image);
        var request = new SweepRequest(scenario, image, Event, Threads: 1);
        long total = InterruptSweep.Reference(request).Stop.Instructions;
        worker = new SweepWorker(request, UnwinderCatalog.For(image), (2 * total) + 100_000);
        boundaries = [.. Enumerable.Range(0, Points).Select(i => i * total / Points)];
        if (boundaries.Count(b => worker.JudgeOnly(b).Classes.Length == 0) > Points / 10)
        {
            throw new InvalidOperationException("most benchmark points must give a sample");
        }
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public int ToTheSample()
    {
        int exact = 0;
        foreach (long b in boundaries)
        {
            exact += worker.JudgeOnly(b).Classes.Count(c => c == SweepClass.Exact);
        }

        return exact;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public int ToTheEnd()
    {
        int exact = 0;
        foreach (long b in boundaries)
        {
            exact += worker.Run(b, null).Classes.Count(c => c == SweepClass.Exact);
        }

        return exact;
    }

    /// <summary>One launch, 3 warmups, 10 iterations; Min and the throughput columns.</summary>
    private sealed class Configuration : ManualConfig
    {
        public Configuration()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("Sweep"));
            AddColumn(StatisticColumn.Min, new ThroughputColumn(perUnwinder: false), new ThroughputColumn(perUnwinder: true));
        }
    }

    /// <summary>Points, or unwinders judged, per second on one core: from the Mean, and (in brackets) from the quickest iteration.</summary>
    private sealed class ThroughputColumn(bool perUnwinder) : IColumn
    {
        public string Id => perUnwinder ? "SweepUnwindsPerSecond" : "SweepPointsPerSecond";

        public string ColumnName => perUnwinder ? "Unwinds/s (Min)" : "Points/s (Min)";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => perUnwinder ? 1 : 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => perUnwinder
            ? "Unwinders judged per second on one core (each point walks and judges every unwinder of its strategy): from the Mean (from the Min)"
            : "Injection points per second on one core: from the Mean (from the Min)";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var statistics = summary[benchmarkCase]?.ResultStatistics;
            if (statistics is null || benchmarkCase.Parameters["Strategy"] is not string strategy || !StrategyCatalog.TryGet(strategy, out var image))
            {
                return "-";
            }

            int each = perUnwinder ? UnwinderCatalog.For(image).Count : 1;
            return string.Create(CultureInfo.InvariantCulture, $"{each * 1e9 / statistics.Mean:N0} ({each * 1e9 / statistics.Min:N0})");
        }
    }
}

/// <summary>
/// Question (issue 14): how long do the whole sweeps take on this machine, with every core? The
/// default sweep is every scenario x strategy x event (targets: under 10 s); the nested sweep is the
/// seed scenario's timer sweep with an NMI at every boundary of each handler (target: under 2 minutes).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3, id: "WholeSweep")]
public class WholeSweepBenchmark
{
    [Benchmark]
    public long DefaultSweep()
    {
        long samples = 0;
        foreach (var scenario in ScenarioCatalog.All)
        {
            foreach (var image in StrategyCatalog.Images)
            {
                foreach (var e in new[] { SweepEvent.Timer, SweepEvent.Preempt, SweepEvent.Nmi })
                {
                    samples += InterruptSweep.Run(new SweepRequest(scenario, image, e)).Samples;
                }
            }
        }

        return samples;
    }

    [Benchmark]
    public long NestedSeedSweep()
    {
        ScenarioCatalog.TryGet("read-page-fault", out var scenario);
        StrategyCatalog.TryGet("pt-regs-frame", out var image);
        return InterruptSweep.Run(new SweepRequest(scenario, image, SweepEvent.Timer, Nested: true)).Samples;
    }
}
