using EntryModel.Machine.Execution;
using EntryModel.Scenarios.Running;

namespace EntryModel.Scenarios.Library;

/// <summary>
/// Three stacks at once: the user program's read() is copying (copy_page_to_iter, interrupts on)
/// when the local APIC timer fires; its handler runs on the IRQ stack, and there an NMI arrives,
/// whose handler prints a backtrace from the NMI's IST stack (as nmi_cpu_backtrace does). That walk
/// must cross the IST stack's hardware frame to the IRQ stack, the IRQ stack's link to the task stack,
/// and end at the syscall's user-mode pt_regs. Both events arrive after their functions have set
/// up their frames (an event at a function's first instruction is where frame-pointer walks lose the
/// caller: that is the sweep's business). Then everything returns: the copy faults, the fault
/// handler dumps the stack again, and the program checks its bytes and exits with 0.
/// </summary>
public sealed class NmiInIrqScenario : IScenario
{
    /// <summary>Instructions copy_page_to_iter runs (its frame and locals set up) before the timer fires.</summary>
    public const long TimerAfterInstructions = 3;

    /// <summary>Instructions the timer's handler runs (its frame set up) before the NMI arrives.</summary>
    public const long NmiAfterInstructions = 2;

    public string Name => "nmi-in-irq";

    public string Description => "During read(), a timer interrupt runs on the IRQ stack; an NMI there dumps the stack from its IST stack (IST -> IRQ -> task -> user).";

    public ScenarioSession Prepare(KernelImage image)
    {
        var session = ScenarioSession.Boot(image);
        session.Kernel.EnterUser(session.Kernel.Symbol("_start"));
        session.When("copy_page_to_iter", s => s.Machine.InjectInterrupt(PreemptedTaskScenario.TimerVector, TimerAfterInstructions));
        session.When("smp_apic_timer_interrupt", s => s.Machine.InjectNmi(NmiAfterInstructions));
        return session;
    }

    public ScenarioResult Conclude(ScenarioSession session, StopReason finish)
    {
        var stop = finish;
        ArgumentNullException.ThrowIfNull(session);
        var image = session.Image;
        ulong? exitCode = stop.Kind == StopKind.PowerOff ? stop.Code : null;
        bool nmiOnIst = session.Stacks.Count > 0 && session.Stacks[0].Stack.Kind == StackKind.Ist;
        string outcome = $"{session.Stacks.Count} stack dump(s), the first {(nmiOnIst ? "from the NMI's IST stack" : "NOT from an IST stack")}; the program {(exitCode is { } code ? $"exited with {code}" : $"did not finish ({stop})")}";
        return new ScenarioResult(Name, image.Strategy, stop, exitCode, outcome, exitCode == 0 && nmiOnIst && session.Stacks.Count == 2, session.Stacks, session.TaskGroundTruth(), session.Logged, session);
    }
}
