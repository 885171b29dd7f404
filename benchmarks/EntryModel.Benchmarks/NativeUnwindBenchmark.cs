using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using EntryModel.Oracles.HostCpu;
using EntryModel.Oracles.Workloads;
using EntryModel.Unwinding;

namespace EntryModel.Benchmarks;

/// <summary>
/// Question (issue 12, on a machine whose speed moves 2x between runs): how far is the managed
/// %rbp walk from the same walk run natively, side by side in one run? Both walk the frame
/// unwinder's 64-frame stack (<see cref="UnwindBenchmarkWorkload"/>, strategy none): the managed
/// walk is <c>Start</c> then <c>NextFrames</c> over the live guest memory, all 64 frames (its running
/// frame and the user-mode pt_regs at the top among them); the native one
/// (<see cref="NativeFrameWalkWorkload"/>) walks a host copy of the task stack from the same %rbp
/// with the same checks per record and writes the same 40-byte frames, and stops at the 62 frame
/// records. Both report ns per frame (Mean is per frame), and the Ratio column is managed over native.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20, id: "NativeUnwind")]
public unsafe class NativeUnwindBenchmark
{
    /// <summary>The frame records of the deep stack: all its frames but the running one and the user-mode pt_regs.</summary>
    public const int Records = UnwindBenchmarkWorkload.DeepFrames - 2;

    private const int NativeWalks = 100;

    private UnwindBenchmarkWorkload workload = null!;
    private IUnwinder unwinder = null!;
    private UnwindStart deep;
    private UnwindState state;
    private NativeCode native = null!;
    private void* stackCopy;
    private void* output;

    [GlobalSetup]
    public void Setup()
    {
        workload = UnwindBenchmarkWorkload.For("frame");
        unwinder = workload.Walker;
        deep = workload.Deep;
        if (!deep.Stacks.TryGet(deep.Sp, out var stack) || stack.Kind != StackKind.Task)
        {
            throw new InvalidOperationException("the deep walk does not start on a task stack");
        }

        // The task stack, copied to host memory; the frames' output.
        stackCopy = NativeMemory.AlignedAlloc((nuint)stack.Size, 4096);
        output = NativeMemory.AlignedAlloc((nuint)(Records * NativeFrameWalkWorkload.FrameBytes), 64);
        if (!workload.Memory.TryRead(stack.Low, new Span<byte>(stackCopy, (int)stack.Size)))
        {
            throw new InvalidOperationException($"cannot copy {stack}");
        }

        var text = workload.Image.Text;
        var walk = new NativeFrameWalkWorkload.Walk(
            HostMinusGuest: unchecked((ulong)stackCopy - stack.Low),
            Bp: deep.Bp,
            Floor: deep.Sp,
            Upper: stack.High - 16,
            TextStart: text.Start,
            TextSize: text.End - text.Start,
            Output: (ulong)output,
            MaxFrames: Records,
            FrameKind: (int)UnwindFrameKind.Call,
            StackKind: (int)StackKind.Task);
        const ulong Address = 0x5010_0000;
        native = new NativeCode(Address, NativeFrameWalkWorkload.Build(walk, Address));

        // The native walk must write exactly the managed walk's frame records.
        var managed = UnwindTrace.Collect(unwinder, deep).Frames.Where(f => f.Kind == UnwindFrameKind.Call).ToArray();
        long walked = native.Run(1);
        var written = new ReadOnlySpan<UnwindFrame>(output, (int)walked).ToArray();
        if (walked != Records || managed.Length != Records || !written.SequenceEqual(managed) || Managed() != UnwindBenchmarkWorkload.DeepFrames)
        {
            throw new InvalidOperationException($"native walk: {walked} frames, managed: {managed.Length} frame records; they must be the same {Records}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        native.Dispose();
        NativeMemory.AlignedFree(stackCopy);
        NativeMemory.AlignedFree(output);
    }

    /// <summary>The walk at the host CPU's own speed: 100 walks a call, per frame record.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = NativeWalks * Records)]
    public long Native() => native.Run(NativeWalks);

    /// <summary>The frame unwinder's walk, per frame.</summary>
    [Benchmark(OperationsPerInvoke = UnwindBenchmarkWorkload.DeepFrames)]
    public int Managed() => UnwindTrace.Count(unwinder, deep, ref state);
}
