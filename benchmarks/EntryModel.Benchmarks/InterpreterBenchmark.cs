using BenchmarkDotNet.Attributes;
using EntryModel.Machine.Execution;

namespace EntryModel.Benchmarks;

/// <summary>
/// How fast does the machine interpret entry-and-handler code? Long runs report time per
/// instruction (OperationsPerInvoke = instructions); short runs restore a snapshot and run ~100
/// instructions, as the interrupt sweep does, and report time per start-run-stop.
/// </summary>
[MemoryDiagnoser]
public class InterpreterBenchmark
{
    private const int LongRun = 10_000_000;
    private const int ShortRun = 100;

    private X86Machine machine = null!;
    private MachineSnapshot start = null!;

    [GlobalSetup]
    public void Setup()
    {
        machine = InterpreterBenchmarkWorkload.Create();
        machine.Run(100_000); // warm the decoded-instruction cache
        start = machine.Snapshot();
    }

    /// <summary>Time per instruction over a 10 M instruction run.</summary>
    [Benchmark(OperationsPerInvoke = LongRun)]
    public StopReason LongRunPerInstruction() => machine.Run(LongRun);

    /// <summary>Time per instruction with ground truth recording on.</summary>
    [Benchmark(OperationsPerInvoke = LongRun)]
    public StopReason LongRunWithGroundTruthPerInstruction()
    {
        machine.StartGroundTruth();
        var stop = machine.Run(LongRun);
        machine.GroundTruth.Stop();
        return stop;
    }

    /// <summary>Restore a snapshot, run 100 instructions, stop: one op.</summary>
    [Benchmark]
    public StopReason ShortRunFromSnapshot()
    {
        machine.Restore(start);
        return machine.Run(ShortRun);
    }

    /// <summary>Taking a snapshot at an instruction boundary and running one step.</summary>
    [Benchmark]
    public StopReason SnapshotAndStep()
    {
        _ = machine.Snapshot();
        return machine.Step();
    }
}
