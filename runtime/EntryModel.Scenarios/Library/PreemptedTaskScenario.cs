using EntryModel.Machine.Execution;
using EntryModel.Machine.GroundTruth;
using EntryModel.Machine.Loading;
using EntryModel.Scenarios.Running;

namespace EntryModel.Scenarios.Library;

/// <summary>
/// A timer interrupt preempts kernel thread A while it spins: the interrupt exit finds a reschedule
/// pending and calls preempt_schedule_irq, __schedule switches to thread B, which starts through
/// ret_from_fork and powers off with exit code 0. Thread A is left asleep with the interrupt's frame
/// (pt_regs) on its stack; its stack is then printed from its saved RSP as show_stack(task) would.
/// </summary>
public sealed class PreemptedTaskScenario : IScenario
{
    /// <summary>The local APIC timer's vector in the default model's IDT.</summary>
    public const int TimerVector = 0xef;

    /// <summary>Instructions thread A runs before the timer fires.</summary>
    public const long TimerAfterInstructions = 200;

    public string Name => "preempted-task";

    public string Description => "A timer interrupt preempts a spinning kernel thread (preempt_schedule_irq -> __schedule -> switch); it sleeps with an interrupt frame on its stack.";

    public ScenarioResult Run(KernelImage image)
    {
        var options = KernelLoadOptions.DefaultKernel with { InitTaskSymbol = "task_a", InitTaskName = "a", UserStackPages = 0 };
        var session = ScenarioSession.Boot(image, options);
        var kernel = session.Kernel;
        var a = kernel.InitTask;
        var b = kernel.Tasks.Adopt("b", kernel.Symbol("task_b"));
        KernelThreadLaunch.Prepare(image, session.Machine.Memory, b, kernel.Symbol("ret_from_fork"), kernel.Symbol("kthread_poweroff"), argument: 0);

        kernel.EnterKernel(kernel.Symbol("kthread_spin"));
        session.Machine.InjectInterrupt(TimerVector, TimerAfterInstructions);
        var stop = session.Run();

        var memory = session.Machine.Memory;
        ulong savedRsp = kernel.Tasks.SavedRsp(a);
        // The sleeper's switch frame (the image's SWITCH_FRAME_* layout) holds its %rbp and where it resumes.
        if (memory.TryReadUInt64(savedRsp + (ulong)image.Constant("SWITCH_FRAME_RBP"), out ulong savedRbp)
            && memory.TryReadUInt64(savedRsp + (ulong)image.Constant("SWITCH_FRAME_RET"), out ulong resumeAt))
        {
            session.CaptureTrace($"sleeping task {a.Name}", resumeAt, savedRsp, savedRbp, a.Stack);
        }

        var tasks = session.TaskGroundTruth();
        var sleeper = tasks.Single(t => t.Task == a);
        bool interruptFrame = !sleeper.Running && sleeper.Frames.Any(f => f.Kind == TrueFrameKind.Interrupt && f.Vector == TimerVector && a.Stack.Contains(f.Slot));
        ulong? exitCode = stop.Kind == StopKind.PowerOff ? stop.Code : null;
        string outcome = $"thread {b.Name} {(exitCode is { } code ? $"powered off with {code}" : $"did not finish ({stop})")}; thread {a.Name} is "
            + (sleeper.Running ? "still running" : interruptFrame ? "asleep with the timer's interrupt frame on its stack" : "asleep without an interrupt frame on its stack");
        return new ScenarioResult(Name, image.Strategy, stop, exitCode, outcome, exitCode == 0 && interruptFrame, session.Traces, tasks, session.Logged, session);
    }
}
