using EntryModel.Kernel;
using EntryModel.Machine.Execution;
using EntryModel.Machine.GroundTruth;
using EntryModel.Machine.Loading;

namespace EntryModel.Machine.Tests.Scenarios;

/// <summary>
/// The default kernel model's images, booted on the machine: the user program's read() faults in
/// copy_page_to_iter, the fault handler calls dump_stack, the read completes and the program exits 0.
/// The ground truth at DUMP_STACK is the seed's trace (shared/seed-scenario.md), frame by frame.
/// </summary>
public class DefaultKernelReadScenarioTests
{
    private static readonly string[] SharedTail =
    [
        "copy_page_to_iter+0x70/0x440",
        "generic_file_read_iter+0x26b/0x770",
        "__vfs_read+0xe2/0x140",
        "vfs_read+0x98/0x140",
        "SyS_read+0x58/0xc0",
    ];

    private static (StopReason Stop, List<IReadOnlyList<TrueFrame>> Dumps, KernelImage Image) Run(string strategy)
    {
        var image = DefaultKernel.Images.Single(i => i.Strategy == strategy);
        var machine = new X86Machine();
        var kernel = KernelImageLoader.Load(machine, image, KernelLoadOptions.DefaultKernel);
        var dumps = new List<IReadOnlyList<TrueFrame>>();
        machine.Hypercalls = new StandardHypercalls { DumpStack = m => dumps.Add(m.GroundTruth.CurrentChain()) };
        kernel.EnterUser(kernel.Symbol("_start"));
        machine.StartGroundTruth();
        return (machine.Run(), dumps, image);
    }

    [TestCase("none", "async_page_fault+0x28/0x30", "entry_SYSCALL_64_fastpath+0x1f/0xbd")]
    [TestCase("pt-regs-frame", "async_page_fault+0x32/0x40", "entry_SYSCALL_64_fastpath+0x29/0xdb")]
    public void Read_faults_dumps_the_seed_trace_and_exits_cleanly(string strategy, string entry, string fastpath)
    {
        var (stop, dumps, image) = Run(strategy);

        Assert.That((stop.Kind, stop.Code), Is.EqualTo((StopKind.PowerOff, 0UL)), stop.ToString());
        Assert.That(dumps, Has.Count.EqualTo(1));
        var kernelFrames = dumps[0].TakeWhile(f => f.Kind != TrueFrameKind.StackSwitch).Select(f => image.Symbols.Format(f.ReturnAddress)).ToArray();
        Assert.That(kernelFrames, Is.EqualTo(new[]
        {
            "dump_stack+0x85/0xc2",
            "__do_page_fault+0x576/0x5a0",
            "trace_do_page_fault+0x5c/0x2e0",
            "do_async_page_fault+0x2c/0xa0",
            entry,
        }.Concat(SharedTail).Append(fastpath)));
        Assert.That(dumps[0].Single(f => f.IsBoundary && f.Kind == TrueFrameKind.Exception).Vector, Is.EqualTo(EntryModel.Machine.Delivery.ExceptionVector.PageFault));
        Assert.That(dumps[0][^1].Kind, Is.EqualTo(TrueFrameKind.Call), "the user's _start -> main call is the outermost frame");
    }

    [Test]
    public void Every_strategy_runs_the_scenario_to_a_clean_exit()
    {
        foreach (var image in DefaultKernel.Images)
        {
            var (stop, dumps, _) = Run(image.Strategy);
            Assert.That((stop.Kind, stop.Code, dumps.Count), Is.EqualTo((StopKind.PowerOff, 0UL, 1)), $"{image}: {stop}");
        }
    }
}
