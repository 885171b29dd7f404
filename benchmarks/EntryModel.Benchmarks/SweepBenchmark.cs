using BenchmarkDotNet.Attributes;
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
/// sweep does to prove the point transparent. Mean is per point.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10, id: "Sweep")]
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
