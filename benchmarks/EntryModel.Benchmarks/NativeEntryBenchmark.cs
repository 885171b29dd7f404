using BenchmarkDotNet.Attributes;
using EntryModel.Oracles.HostCpu;
using EntryModel.Oracles.Workloads;

namespace EntryModel.Benchmarks;

/// <summary>
/// Question (issue 14): what does each strategy's frame cost per entry on real hardware? The host
/// CPU runs <see cref="NativeEntryWorkload"/> (hardware frame simulated by pushes, pt_regs saved,
/// the strategy's frame, the handler call, restore) in a loop; Mean is per entry and exit, and the
/// Ratio column is against none. section, task-flag and orc enter exactly as none does.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20, id: "NativeEntry")]
public class NativeEntryBenchmark
{
    private const int Iterations = 100_000;
    private NativeCode none = null!;
    private NativeCode ptRegsFrame = null!;
    private NativeCode encodedRbp = null!;

    [GlobalSetup]
    public void Setup()
    {
        none = Place(EntryFrameKind.None, 0x5000_0000);
        ptRegsFrame = Place(EntryFrameKind.PtRegsFrame, 0x5001_0000);
        encodedRbp = Place(EntryFrameKind.EncodedRbp, 0x5002_0000);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        none.Dispose();
        ptRegsFrame.Dispose();
        encodedRbp.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Iterations)]
    public void None() => none.Call(Iterations);

    [Benchmark(OperationsPerInvoke = Iterations)]
    public void PtRegsFrame() => ptRegsFrame.Call(Iterations);

    [Benchmark(OperationsPerInvoke = Iterations)]
    public void EncodedRbp() => encodedRbp.Call(Iterations);

    private static NativeCode Place(EntryFrameKind kind, ulong address) => new(address, NativeEntryWorkload.Build(kind, address));
}
