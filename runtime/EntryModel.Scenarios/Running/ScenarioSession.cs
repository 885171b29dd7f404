using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;
using EntryModel.Machine.GroundTruth;
using EntryModel.Machine.Loading;
using EntryModel.Machine.Tasks;
using EntryModel.Unwinding.Printing;

namespace EntryModel.Scenarios.Running;

/// <summary>
/// A kernel image booted on a fresh machine, with the host side of the hypercall interface:
/// MAP_PAGE, LOG and POWER_OFF as the project defines them, and DUMP_STACK answered by capturing
/// the current context's stack (registers, frozen memory, the task's stacks) with its ground truth.
/// Unwinders and printers run on captures later; they never see ground truth.
/// </summary>
public sealed class ScenarioSession
{
    /// <summary>Enough for every scenario of the default model many times over; a runaway guest stops with <see cref="StopKind.Budget"/>.</summary>
    public const long DefaultInstructionBudget = 10_000_000;

    private readonly StandardHypercalls hypercalls = new();
    private readonly List<StackCapture> stacks = [];

    private ScenarioSession(X86Machine machine, LoadedKernel kernel)
    {
        Machine = machine;
        Kernel = kernel;
        hypercalls.DumpStack = m => stacks.Add(CaptureCurrent(m));
        machine.Hypercalls = hypercalls;
        machine.InstructionBudget = DefaultInstructionBudget;
    }

    public X86Machine Machine { get; }

    public LoadedKernel Kernel { get; }

    public KernelImage Image => Kernel.Image;

    /// <summary>Stacks captured so far (one per DUMP_STACK, plus any the scenario took itself).</summary>
    public IReadOnlyList<StackCapture> Stacks => stacks;

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

    /// <summary>Runs until the guest stops (power off, an unhandled event, the budget), recording ground truth from the first run on.</summary>
    public StopReason Run()
    {
        StartRecording();
        return Machine.Run();
    }

    /// <summary>Runs until RIP reaches <paramref name="symbol"/> (or another stop), recording ground truth from the first run on; <see cref="Run"/> resumes.</summary>
    public StopReason RunUntil(string symbol)
    {
        StartRecording();
        return Machine.RunUntil(symbol);
    }

    private void StartRecording()
    {
        if (!Machine.GroundTruth.Enabled)
        {
            Machine.StartGroundTruth();
        }
    }

    /// <summary>Captures a sleeping task's stack from the RSP its task struct saved, as show_stack(task) walks it; adds it to <see cref="Stacks"/>.</summary>
    public StackCapture CaptureSleeping(KernelTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        ulong saved = Kernel.Tasks.SavedRsp(task);
        var start = UnwindStart.FromSleepingTask(saved, Machine.Memory.Freeze(), Machine.Stacks.For(task.Stack), task.StructAddress);
        var stack = new StackCapture($"sleeping task {task.Name}", start, task.Stack, UpToUserMode(Machine.GroundTruth.ChainOfTask(task.Stack)));
        stacks.Add(stack);
        return stack;
    }

    /// <summary>Each task's saved RSP and live frames, as the machine recorded them.</summary>
    public IReadOnlyList<TaskGroundTruth> TaskGroundTruth()
    {
        var current = Kernel.Tasks.Current();
        return [.. Kernel.Tasks.All.Select(t => new TaskGroundTruth(t, t == current, Kernel.Tasks.SavedRsp(t), Machine.GroundTruth.ChainOfTask(t.Stack)))];
    }

    private StackCapture CaptureCurrent(X86Machine machine)
    {
        ulong sp = machine.Cpu.Gpr[(int)Gpr.Rsp];
        ulong bp = machine.Cpu.Gpr[(int)Gpr.Rbp];

        // The current task's walk, from whichever of its stacks the dump was asked for on.
        var task = Kernel.Tasks.Current() ?? Kernel.InitTask;
        var provider = machine.Stacks.For(task.Stack);
        var stack = provider.TryGet(sp, out var found) || provider.TryGet(sp - 1, out found) ? found : task.Stack;
        var start = UnwindStart.FromRegisters(machine.Cpu.Rip, sp, bp, machine.Memory.Freeze(), provider, task.StructAddress);
        string title = $"DUMP_STACK from {BacktraceSymbolizer.FormatAddress(Image.Symbols, machine.Cpu.Rip)} on {stack.Name}";
        return new StackCapture(title, start, stack, UpToUserMode(machine.GroundTruth.CurrentChain()));
    }

    /// <summary>The live frames a kernel unwinder can reach: innermost first, through the first return to user mode.</summary>
    private static TrueFrame[] UpToUserMode(IReadOnlyList<TrueFrame> chain)
    {
        var frames = new List<TrueFrame>();
        foreach (var frame in chain)
        {
            if (frame.Kind == TrueFrameKind.StackSwitch)
            {
                continue;
            }

            frames.Add(frame);
            if (!IsKernelAddress(frame.ReturnAddress))
            {
                break;
            }
        }

        return [.. frames];
    }

    private static bool IsKernelAddress(ulong address) => (long)address < 0;
}
