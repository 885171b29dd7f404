using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Loading;
using EntryModel.Machine.Tasks;
using EntryModel.Unwinding.Printing;

namespace EntryModel.Scenarios.Running;

/// <summary>
/// A kernel image booted on a fresh machine, with the host side of the hypercall interface:
/// MAP_PAGE, LOG and POWER_OFF as the project defines them, and DUMP_STACK answered by printing the
/// current task's stack with the 2016 printer from the guest's own %rsp and %rbp. The printer sees
/// guest memory and the image's symbols only; ground truth is recorded beside each trace, never fed to it.
/// </summary>
public sealed class ScenarioSession
{
    /// <summary>Enough for every scenario of the default model many times over; a runaway guest stops with <see cref="StopKind.Budget"/>.</summary>
    public const long DefaultInstructionBudget = 10_000_000;

    private readonly StandardHypercalls hypercalls = new();
    private readonly List<CapturedTrace> traces = [];
    private readonly ClassicStackPrinter printer;

    private ScenarioSession(X86Machine machine, LoadedKernel kernel)
    {
        Machine = machine;
        Kernel = kernel;
        printer = new ClassicStackPrinter(kernel.Image.Symbols, KernelTextRange.FromImage(kernel.Image));
        hypercalls.DumpStack = m => traces.Add(CaptureCurrent(m));
        machine.Hypercalls = hypercalls;
        machine.InstructionBudget = DefaultInstructionBudget;
    }

    public X86Machine Machine { get; }

    public LoadedKernel Kernel { get; }

    public KernelImage Image => Kernel.Image;

    /// <summary>Traces captured so far (one per DUMP_STACK, plus any the scenario took itself).</summary>
    public IReadOnlyList<CapturedTrace> Traces => traces;

    /// <summary>Values the guest passed to the LOG hypercall.</summary>
    public IReadOnlyList<ulong> Logged => hypercalls.Logged;

    /// <summary>Loads <paramref name="image"/> into a new machine (the default kernel's loader options unless given).</summary>
    public static ScenarioSession Boot(KernelImage image, KernelLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var machine = new X86Machine();
        var kernel = KernelImageLoader.Load(machine, image, options ?? KernelLoadOptions.DefaultKernel);
        return new ScenarioSession(machine, kernel);
    }

    /// <summary>Records ground truth from here on and runs until the guest stops (power off, an unhandled event, the budget).</summary>
    public StopReason Run()
    {
        Machine.StartGroundTruth();
        return Machine.Run();
    }

    /// <summary>
    /// Prints a stack from <paramref name="sp"/> with the frame-pointer walk starting at <paramref name="bp"/>,
    /// as show_stack(task, sp) does for a task other than the current one; adds it to <see cref="Traces"/>.
    /// </summary>
    public CapturedTrace CaptureTrace(string title, ulong rip, ulong sp, ulong bp, StackInfo stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var trace = Capture(title, rip, sp, bp, stack);
        traces.Add(trace);
        return trace;
    }

    /// <summary>Each task's saved RSP and live frames, as the machine recorded them.</summary>
    public IReadOnlyList<TaskGroundTruth> TaskGroundTruth()
    {
        var current = Kernel.Tasks.Current();
        return [.. Kernel.Tasks.All.Select(t => new TaskGroundTruth(t, t == current, Kernel.Tasks.SavedRsp(t), Machine.GroundTruth.ChainOfTask(t.Stack)))];
    }

    private CapturedTrace CaptureCurrent(X86Machine machine)
    {
        ulong sp = machine.Cpu.Gpr[(int)Gpr.Rsp];
        ulong bp = machine.Cpu.Gpr[(int)Gpr.Rbp];

        // The current task's stack, unless the dump was asked for on another stack (IRQ or IST).
        var task = Kernel.Tasks.Current();
        var stack = task is not null && task.Stack.HoldsPointer(sp) ? task.Stack : machine.Stacks.FindByPointer(sp);
        string title = $"DUMP_STACK from {BacktraceSymbolizer.Format(Image.Symbols, machine.Cpu.Rip)} on {stack?.Name ?? "no known stack"}";
        return stack is null
            ? new CapturedTrace(title, machine.Cpu.Rip, sp, bp, default, [], [])
            : Capture(title, machine.Cpu.Rip, sp, bp, stack);
    }

    private CapturedTrace Capture(string title, ulong rip, ulong sp, ulong bp, StackInfo stack)
    {
        var lines = printer.Trace(Machine.Memory, stack.Bounds, sp, bp);
        return new CapturedTrace(title, rip, sp, bp, stack.Bounds, lines, Machine.GroundTruth.LiveFrames(stack));
    }
}
