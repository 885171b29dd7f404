using System.Runtime.InteropServices;
using EntryModel.Oracles.HostCpu;
using EntryModel.Oracles.Workloads;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Running;
using EntryModel.Unwinding;
using EntryModel.Unwinding.Image;

namespace EntryModel.Oracles.Tests.HostCpu;

/// <summary>
/// The native %rbp walk the unwinder benchmark measures beside the managed one. Oracle: the host
/// CPU runs it over a copy of each task stack every scenario of the default model captured under
/// the none strategy (and a copy with one return address corrupted), and it must write exactly the
/// frame records the managed frame unwinder walks there, in the managed frames' own layout.
/// </summary>
public sealed unsafe class NativeFrameWalkWorkloadTests
{
    private const int MaxFrames = 64;

    [Test]
    public void The_native_walk_writes_the_frame_records_the_frame_unwinder_walks_on_every_captured_task_stack()
    {
        Assert.That(StrategyCatalog.TryGet("none", out var kernel), Is.True);
        var image = UnwindImage.For(kernel!);
        var unwinder = UnwinderCatalog.Create("frame", image);
        int compared = 0, corrupted = 0;
        foreach (var scenario in ScenarioCatalog.All)
        {
            var result = scenario.Run(kernel!);
            foreach (var capture in result.Stacks)
            {
                var start = capture.Start;
                if (start.Kind != UnwindStartKind.Registers || !start.Stacks.TryGet(start.Sp, out var stack) || stack.Kind != StackKind.Task)
                {
                    continue;
                }

                byte[] bytes = new byte[stack.Size];
                Assert.That(start.Memory.TryRead(stack.Low, bytes), Is.True, $"{scenario.Name}: {stack}");
                var managed = Records(UnwindTrace.Collect(unwinder, start).Frames);
                Assert.That(Walk(bytes, stack, start, image), Is.EqualTo(managed), $"{scenario.Name} at 0x{start.Ip:x}");
                Assert.That(managed, Has.Length.GreaterThan(3), $"{scenario.Name}: a walk of several records");
                compared++;

                // A return address halfway up no longer in kernel text: both stop at that record.
                var half = managed[managed.Length / 2];
                BitConverter.TryWriteBytes(bytes.AsSpan((int)(half.Slot - stack.Low)), 0x1234UL);
                var cut = managed[..(managed.Length / 2)];
                Assert.That(Walk(bytes, stack, start, image), Is.EqualTo(cut), $"{scenario.Name}, corrupted");
                corrupted++;
            }
        }

        Assert.That(compared, Is.GreaterThanOrEqualTo(2), "captured task stacks");
        TestContext.Out.WriteLine($"{compared} task stacks, {corrupted} corrupted, walked alike");
    }

    /// <summary>The frame records of a managed walk: its call frames on the task stack after the running frame, up to the first frame of any other kind.</summary>
    private static UnwindFrame[] Records(IReadOnlyList<UnwindFrame> frames) =>
        [.. frames.Skip(1).TakeWhile(f => f.Kind == UnwindFrameKind.Call && f.Stack == StackKind.Task)];

    /// <summary>The native walk over a host copy of <paramref name="bytes"/>, from the start's %rbp and stack pointer.</summary>
    private static UnwindFrame[] Walk(byte[] bytes, StackInfo stack, in UnwindStart start, UnwindImage image)
    {
        void* copy = NativeMemory.AlignedAlloc((nuint)bytes.Length, 4096);
        void* output = NativeMemory.AlignedAlloc(MaxFrames * NativeFrameWalkWorkload.FrameBytes, 64);
        try
        {
            bytes.CopyTo(new Span<byte>(copy, bytes.Length));
            var walk = new NativeFrameWalkWorkload.Walk(
                unchecked((ulong)copy - stack.Low), start.Bp, start.Sp, stack.High - 16, image.Text.Start, image.Text.End - image.Text.Start,
                (ulong)output, MaxFrames, (int)UnwindFrameKind.Call, (int)StackKind.Task);
            const ulong Address = 0x5110_0000;
            using var code = new NativeCode(Address, NativeFrameWalkWorkload.Build(walk, Address));
            long walked = code.Run(3);
            Assert.That(walked, Is.InRange(0, MaxFrames));
            return new ReadOnlySpan<UnwindFrame>(output, (int)walked).ToArray();
        }
        finally
        {
            NativeMemory.AlignedFree(copy);
            NativeMemory.AlignedFree(output);
        }
    }
}
