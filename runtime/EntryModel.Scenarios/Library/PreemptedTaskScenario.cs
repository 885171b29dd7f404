using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;
using EntryModel.Machine.GroundTruth;
using EntryModel.Machine.Loading;
using EntryModel.Scenarios.Running;

namespace EntryModel.Scenarios.Library;

/// <summary>
/// A timer interrupt preempts kernel thread A while it spins: the interrupt exit finds a reschedule
/// pending and calls preempt_schedule_irq, __schedule switches to thread C, which yields at once
/// (schedule(), a voluntary sleep with no pt_regs on its stack but its first), and thread B runs
/// and powers off with exit code 0. Thread A is left asleep with the interrupt's frame
/// (pt_regs) on its stack; both sleepers' stacks are then captured from their saved RSPs, as show_stack(task) walks them. All threads
/// start as new threads do, through ret_from_fork.
/// </summary>
public sealed class PreemptedTaskScenario : IScenario
{
    /// <summary>The local APIC timer's vector in the default model's IDT.</summary>
    public const int TimerVector = 0xef;

    /// <summary>Instructions thread A runs before the timer fires.</summary>
    public const long TimerAfterInstructions = 200;

    /// <summary>
    /// The tick after that: the timer is periodic (each tick's handler arms the next), so a thread
    /// that an extra event preempts still gets the CPU back and the run still ends; the whole
    /// scenario ends before a second tick would fire.
    /// </summary>
    public const long TickInstructions = 1000;

    public string Name => "preempted-task";

    public string Description => "A timer preempts a spinning kernel thread (it sleeps with an interrupt frame on its stack); a second thread sleeps voluntarily in schedule(); a third powers off.";

    public ScenarioSession Prepare(KernelImage image)
    {
        var options = KernelLoadOptions.DefaultKernel with { InitTaskSymbol = "task_a", InitTaskName = "a", UserStackPages = 0 };
        var session = ScenarioSession.Boot(image, options);
        var kernel = session.Kernel;
        var a = kernel.InitTask;
        var c = kernel.Tasks.Adopt("c", kernel.Symbol("task_c"));
        var b = kernel.Tasks.Adopt("b", kernel.Symbol("task_b"));
        ulong retFromFork = kernel.Symbol("ret_from_fork");
        KernelThreadLaunch.Prepare(image, session.Machine.Memory, a, retFromFork, kernel.Symbol("kthread_spin"), argument: 0);
        KernelThreadLaunch.Prepare(image, session.Machine.Memory, c, retFromFork, kernel.Symbol("kthread_yield"), argument: 0, truth: session.Machine.GroundTruth);
        KernelThreadLaunch.Prepare(image, session.Machine.Memory, b, retFromFork, kernel.Symbol("kthread_poweroff"), argument: 0, truth: session.Machine.GroundTruth);

        // Thread A starts as a new thread does: in ret_from_fork with %rsp at its pt_regs and no previous task.
        kernel.EnterKernel(retFromFork, a.Stack.Top - (ulong)image.Constant("SIZEOF_PTREGS"));
        session.Machine.Cpu.Gpr[(int)Gpr.Rax] = 0;
        session.Machine.InjectInterrupt(TimerVector, TimerAfterInstructions);
        session.Every("smp_apic_timer_interrupt", ArmNextTick);
        return session;
    }

    /// <summary>One timer device: a tick already pending (an extra event took this one's place) is the next.</summary>
    private static void ArmNextTick(ScenarioSession session)
    {
        if (!session.Machine.PendingInterrupts.Any(p => p.Vector == TimerVector))
        {
            session.Machine.InjectInterrupt(TimerVector, TickInstructions);
        }
    }

    public ScenarioResult Conclude(ScenarioSession session, StopReason finish)
    {
        var stop = finish;
        ArgumentNullException.ThrowIfNull(session);
        var image = session.Image;
        var a = session.Kernel.InitTask;
        var c = session.Kernel.Tasks.All.Single(t => t.Name == "c");
        var b = session.Kernel.Tasks.All.Single(t => t.Name == "b");
        session.CaptureSleeping(a);
        session.CaptureSleeping(c);

        var tasks = session.TaskGroundTruth();
        var sleeper = tasks.Single(t => t.Task == a);
        var yielder = tasks.Single(t => t.Task == c);
        bool interruptFrame = !sleeper.Running && sleeper.Frames.Any(f => f.Kind == TrueFrameKind.Interrupt && f.Vector == TimerVector && a.Stack.Contains(f.Slot));
        ulong? exitCode = stop.Kind == StopKind.PowerOff ? stop.Code : null;
        string outcome = $"thread {b.Name} {(exitCode is { } code ? $"powered off with {code}" : $"did not finish ({stop})")}; thread {a.Name} is "
            + (sleeper.Running ? "still running" : interruptFrame ? "asleep with the timer's interrupt frame on its stack" : "asleep without an interrupt frame on its stack")
            + $"; thread {c.Name} is {(yielder.Running ? "still running" : "asleep in schedule()")}";
        return new ScenarioResult(Name, image.Strategy, stop, exitCode, outcome, exitCode == 0 && interruptFrame && !yielder.Running, session.Stacks, tasks, session.Logged, session);
    }
}
