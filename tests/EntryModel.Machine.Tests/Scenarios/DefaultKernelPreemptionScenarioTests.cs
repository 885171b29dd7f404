using EntryModel.Kernel;
using EntryModel.Machine.Execution;
using EntryModel.Machine.GroundTruth;
using EntryModel.Machine.Loading;

namespace EntryModel.Machine.Tests.Scenarios;

/// <summary>
/// The default kernel with its two kernel threads: timer interrupts (vector 0xef) preempt the user
/// program inside its read() syscall and then thread A while it spins; thread B powers off. The
/// sleeping tasks' ground-truth chains end in __schedule, through the interrupt that preempted them.
/// </summary>
public class DefaultKernelPreemptionScenarioTests
{
    private const int PtRegsSize = 21 * 8;   // the model's SIZEOF_PTREGS
    private const int PtRegsRbp = 4 * 8;
    private const int PtRegsRbx = 5 * 8;
    private const int PtRegsCs = 17 * 8;
    private const int TaskNext = 0x28;        // the model's TASK_NEXT
    private const int TimerVector = 0xef;

    [TestCase("none")]
    [TestCase("pt-regs-frame")]
    [TestCase("orc")]
    public void Timer_preempts_the_user_task_and_a_kernel_thread(string strategy)
    {
        var image = DefaultKernel.Images.Single(i => i.Strategy == strategy);
        var machine = new X86Machine { Hypercalls = new StandardHypercalls() };
        var kernel = KernelImageLoader.Load(machine, image, KernelLoadOptions.DefaultKernel);
        var a = kernel.Tasks.Adopt("a", kernel.Symbol("task_a"));
        var b = kernel.Tasks.Adopt("b", kernel.Symbol("task_b"));
        foreach (var (task, function, argument) in new[] { (a, "kthread_spin", 0UL), (b, "kthread_poweroff", 7UL) })
        {
            // A new kernel thread: __switch_to_asm's frame returning into ret_from_fork, which finds
            // the thread function in pt_regs->bx and its argument in pt_regs->bp.
            ulong regs = kernel.Tasks.SeedSwitchFrame(task, kernel.Symbol("ret_from_fork"), 6, PtRegsSize);
            machine.Memory.WriteUInt64(regs + PtRegsRbx, kernel.Symbol(function));
            machine.Memory.WriteUInt64(regs + PtRegsRbp, argument);
            machine.Memory.WriteUInt64(regs + PtRegsCs, Cpu.Selectors.KernelCs);
        }

        // The ring user -> a -> b (the model's own ring goes a -> c -> b; c is not started here).
        machine.Memory.WriteUInt64(kernel.Symbol("task_user") + TaskNext, kernel.Symbol("task_a"));
        machine.Memory.WriteUInt64(kernel.Symbol("task_a") + TaskNext, kernel.Symbol("task_b"));
        kernel.EnterUser(kernel.Symbol("_start"));
        machine.StartGroundTruth();
        machine.InjectInterrupt(TimerVector, afterInstructions: 10);
        machine.InjectInterrupt(TimerVector, afterInstructions: 3000);

        var stop = machine.RunUntil("kthread_poweroff");

        Assert.That(stop.Kind, Is.EqualTo(StopKind.Breakpoint), stop.ToString());
        Assert.That(kernel.Tasks.Current(), Is.EqualTo(b));
        string[] Names(IReadOnlyList<TrueFrame> chain) => [.. chain.Select(f => image.Symbols.TryLookup(f.ReturnAddress, out var s, out _) ? s.Name : "?")];
        var user = machine.GroundTruth.ChainOfTask(kernel.InitTask.Stack);
        var spinner = machine.GroundTruth.ChainOfTask(a.Stack);
        Assert.That(Names(user).Take(4), Is.EqualTo(new[] { "__schedule", "preempt_schedule_irq", "retint_kernel", "entry_SYSCALL_64_fastpath" }));
        Assert.That(user.Select(f => f.Kind), Does.Contain(TrueFrameKind.Interrupt).And.Contain(TrueFrameKind.Syscall));
        Assert.That(Names(user)[^1], Is.EqualTo("_start"));
        Assert.That(Names(spinner), Is.EqualTo(new[] { "__schedule", "preempt_schedule_irq", "retint_kernel", "kthread_spin", "ret_from_fork" }));
        Assert.That(spinner[3].Vector, Is.EqualTo(TimerVector));
        Assert.That(kernel.Tasks.SavedRsp(a), Is.EqualTo(spinner[0].Slot - (6 * 8)), "a sleeps below its switch frame");

        Assert.That(machine.Run(), Has.Property(nameof(StopReason.Kind)).EqualTo(StopKind.PowerOff).And.Property(nameof(StopReason.Code)).EqualTo(7UL));
    }
}
