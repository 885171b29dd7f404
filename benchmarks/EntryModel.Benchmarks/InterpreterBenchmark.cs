using BenchmarkDotNet.Attributes;
using EntryModel.Kernel;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Loading;

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
    private X86Machine kernelMachine = null!;
    private MachineSnapshot insideRead = null!;

    [GlobalSetup]
    public void Setup()
    {
        machine = InterpreterBenchmarkWorkload.Create();
        machine.Run(100_000); // warm the decoded-instruction cache
        start = machine.Snapshot();

        // The default kernel's read() scenario, stopped inside copy_page_to_iter with ground truth on.
        kernelMachine = new X86Machine { Hypercalls = new StandardHypercalls() };
        var kernel = KernelImageLoader.Load(kernelMachine, DefaultKernel.None, KernelLoadOptions.DefaultKernel);
        kernel.EnterUser(kernel.Symbol("_start"));
        kernelMachine.StartGroundTruth();
        kernelMachine.RunUntil("copy_page_to_iter");
        insideRead = kernelMachine.Snapshot();
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

    /// <summary>The interrupt sweep's step on the real kernel: restore inside read(), raise the timer, run 100 instructions.</summary>
    [Benchmark]
    public StopReason KernelTimerShortRunFromSnapshot()
    {
        kernelMachine.Restore(insideRead);
        kernelMachine.InjectInterrupt(0xef);
        return kernelMachine.Run(ShortRun);
    }

    /// <summary>Taking a snapshot at an instruction boundary and running one step.</summary>
    [Benchmark]
    public StopReason SnapshotAndStep()
    {
        _ = machine.Snapshot();
        return machine.Step();
    }
}
