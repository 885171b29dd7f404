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
    private readonly List<Trigger> triggers = [];
    private long arrivedAt = -1;

    private ScenarioSession(X86Machine machine, LoadedKernel kernel)
    {
        Machine = machine;
        Kernel = kernel;
        hypercalls.DumpStack = OnDump;
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

    /// <summary>
    /// Runs until the guest stops (power off, an unhandled event, the budget) or
    /// <paramref name="maxInstructions"/> retire, firing the scenario's triggers on the way and
    /// recording ground truth from the first run on.
    /// </summary>
    public StopReason Run(long maxInstructions = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxInstructions);
        return RunCore(maxInstructions, stopAt: null);
    }

    /// <summary>The one run loop: triggers fired on the way, one budget however many stops, and a stop at <paramref name="stopAt"/> when given (its triggers fire first).</summary>
    private StopReason RunCore(long maxInstructions, ulong? stopAt)
    {
        StartRecording();
        long start = Machine.Retired;

        Arrive();

        // One budget for the whole run, however many trigger stops it takes (a periodic trigger would renew the machine's own).
        long budget = Machine.InstructionBudget;
        while (true)
        {
            long done = Machine.Retired - start;
            if (done >= budget && done < maxInstructions)
            {
                return new StopReason(StopKind.Budget, Machine.Cpu.Rip, done);
            }

            var stop = Machine.Run(Math.Min(maxInstructions, budget) - done);
            if (stop.Kind == StopKind.Breakpoint && stop.Rip == stopAt)
            {
                Arrive();
            }
            else if (stop.Kind == StopKind.Breakpoint && TryFire(stop.Rip))
            {
                arrivedAt = Machine.Retired;
                continue;
            }

            if (stop.Kind == StopKind.InstructionCount && Machine.Retired - start >= budget && maxInstructions > budget)
            {
                stop = stop with { Kind = StopKind.Budget };
            }

            return stop with { Instructions = Machine.Retired - start };
        }
    }

    /// <summary>Runs until RIP reaches <paramref name="symbol"/> (at once when it is already there) or another stop, firing triggers on the way; <see cref="Run"/> resumes.</summary>
    public StopReason RunUntil(string symbol)
    {
        ulong address = Kernel.Symbol(symbol);
        if (Machine.Cpu.Rip == address)
        {
            return new StopReason(StopKind.Breakpoint, address, 0);
        }

        bool added = !Machine.Breakpoints.Contains(address);
        if (added)
        {
            Machine.AddBreakpoint(address);
        }

        try
        {
            return RunCore(long.MaxValue, address);
        }
        finally
        {
            if (added && !triggers.Any(t => t.Address == address && !t.Fired))
            {
                Machine.RemoveBreakpoint(address);
            }
        }
    }

    /// <summary>
    /// Arms a trigger: the first time RIP reaches <paramref name="symbol"/> during <see cref="Run"/>,
    /// <paramref name="action"/> runs (typically to inject an event) and the run goes on. Triggers
    /// are part of <see cref="Save"/>, so a scenario restored to an earlier point fires them again.
    /// </summary>
    public void When(string symbol, Action<ScenarioSession> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var trigger = new Trigger(Kernel.Symbol(symbol), action, repeat: false);
        triggers.Add(trigger);
        Machine.AddBreakpoint(trigger.Address);
    }

    /// <summary>Like <see cref="When"/>, but every time RIP reaches <paramref name="symbol"/>: a periodic device, re-armed by its own handler.</summary>
    public void Every(string symbol, Action<ScenarioSession> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var trigger = new Trigger(Kernel.Symbol(symbol), action, repeat: true);
        triggers.Add(trigger);
        Machine.AddBreakpoint(trigger.Address);
    }

    /// <summary>
    /// While set, a DUMP_STACK whose capture the function accepts goes to its caller instead of
    /// <see cref="Stacks"/>: the sweep claims its own event's dump this way, so the scenario's
    /// outcome sees only its own.
    /// </summary>
    public Func<StackCapture, bool>? ClaimDump { get; set; }

    /// <summary>
    /// When set, captures read the machine's live memory instead of a frozen copy: nothing is
    /// copied, but the capture is good only until the machine runs again (for a caller that judges
    /// it at once, as the sweep does).
    /// </summary>
    public bool CaptureLive { get; set; }

    /// <summary>When set, a claimed dump stops the run (<see cref="StopKind.HostRequest"/>) right after it: the caller has what it came for.</summary>
    public bool StopWhenClaimed { get; set; }

    /// <summary>
    /// Fires the triggers at the current RIP unless they were already handled at this boundary: a
    /// run stopped by count (or a restored snapshot) at a trigger's address is there without having
    /// arrived. Runs do this first; callers that act at a boundary (the sweep) do it before they act.
    /// </summary>
    public void Arrive()
    {
        if (arrivedAt != Machine.Retired)
        {
            arrivedAt = Machine.Retired;
            TryFire(Machine.Cpu.Rip);
        }
    }

    /// <summary>Everything a later <see cref="Restore"/> needs to put the session back at this instruction boundary.</summary>
    public SessionSnapshot Save() =>
        new(Machine.Snapshot(), [.. triggers.Select(t => t.Fired)], stacks.Count, hypercalls.Logged.Count, arrivedAt);

    /// <summary>Puts the machine, the triggers and the captured stacks back to <paramref name="snapshot"/>.</summary>
    public void Restore(SessionSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Machine.Restore(snapshot.Machine);
        for (int i = 0; i < triggers.Count; i++)
        {
            var t = triggers[i];
            t.Fired = snapshot.Fired[i];
            if (!t.Fired)
            {
                Machine.AddBreakpoint(t.Address);
            }
            else if (!AnyUnfiredAt(t.Address))
            {
                Machine.RemoveBreakpoint(t.Address);
            }
        }

        stacks.RemoveRange(snapshot.Stacks, stacks.Count - snapshot.Stacks);
        arrivedAt = snapshot.ArrivedAt;
        hypercalls.TruncateLog(snapshot.Logged);
    }

    /// <summary>Whether a trigger at <paramref name="address"/> is still to fire (so its breakpoint stays).</summary>
    private bool AnyUnfiredAt(ulong address)
    {
        foreach (var t in triggers)
        {
            if (t.Address == address && !t.Fired)
            {
                return true;
            }
        }

        return false;
    }

    private bool TryFire(ulong address)
    {
        bool fired = false;
        foreach (var t in triggers)
        {
            if (t.Address == address && !t.Fired)
            {
                t.Fired = !t.Repeat;
                fired = true;
                t.Action(this);
            }
        }

        if (fired && !AnyUnfiredAt(address))
        {
            Machine.RemoveBreakpoint(address);
        }

        return fired;
    }

    /// <summary>Starts recording ground truth now (runs start it too); a session saved before its first run needs it.</summary>
    public void StartRecording()
    {
        if (!Machine.GroundTruth.Enabled)
        {
            Machine.StartGroundTruth();
        }
    }

    private void OnDump(X86Machine machine)
    {
        var capture = CaptureCurrent(machine);
        if (ClaimDump is not { } claim || !claim(capture))
        {
            stacks.Add(capture);
        }
        else if (StopWhenClaimed)
        {
            hypercalls.StopAfterDump = true;
        }
    }

    /// <summary>
    /// Adds a kernel thread beside the scenario's: <paramref name="function"/> runs in the task whose
    /// struct is at symbol <paramref name="taskStruct"/>, started through ret_from_fork the first
    /// time the scheduler picks it; the task joins the run queue right after the current task.
    /// </summary>
    public KernelTask AddKernelThread(string name, string taskStruct, string function, ulong argument = 0)
    {
        var task = Kernel.Tasks.Adopt(name, Kernel.Symbol(taskStruct));
        KernelThreadLaunch.Prepare(Image, Machine.Memory, task, Kernel.Symbol("ret_from_fork"), Kernel.Symbol(function), argument, truth: Machine.GroundTruth);
        var current = Kernel.Tasks.Current() ?? Kernel.InitTask;
        ulong next = (ulong)Image.Constant("TASK_NEXT");
        Machine.Memory.WriteUInt64(task.StructAddress + next, Machine.Memory.ReadUInt64(current.StructAddress + next));
        Machine.Memory.WriteUInt64(current.StructAddress + next, task.StructAddress);
        return task;
    }

    /// <summary>Captures a sleeping task's stack from the RSP its task struct saved, as show_stack(task) walks it; adds it to <see cref="Stacks"/>.</summary>
    public StackCapture CaptureSleeping(KernelTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        ulong saved = Kernel.Tasks.SavedRsp(task);
        var start = UnwindStart.FromSleepingTask(saved, CaptureLive ? Machine.Memory : Machine.Memory.Freeze(), Machine.Stacks.For(task.Stack), task.StructAddress);
        var stack = new StackCapture($"sleeping task {task.Name}", start, task.Stack, UpToUserMode(Machine.GroundTruth.ChainOfTaskInPlace(task.Stack)));
        stacks.Add(stack);
        return stack;
    }

    /// <summary>The current context's stack as a DUMP_STACK here would capture it, not added to <see cref="Stacks"/>: for a caller that stopped the run itself.</summary>
    public StackCapture CaptureHere() => CaptureCurrent(Machine);

    /// <summary>Takes <paramref name="capture"/> out of <see cref="Stacks"/> (a caller that captured for itself).</summary>
    public bool ForgetCapture(StackCapture capture) => stacks.Remove(capture);

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
        var start = UnwindStart.FromRegisters(machine.Cpu.Rip, sp, bp, CaptureLive ? machine.Memory : machine.Memory.Freeze(), provider, task.StructAddress);
        ulong rip = machine.Cpu.Rip;
        var symbols = Image.Symbols;
        return new StackCapture(() => $"DUMP_STACK from {BacktraceSymbolizer.FormatAddress(symbols, rip)} on {stack.Name}", start, stack, UpToUserMode(machine.GroundTruth.CurrentChainInPlace()));
    }

    /// <summary>The live frames a kernel unwinder can reach, from the recorder's frames (outermost first): innermost first, through the first return to user mode.</summary>
    private static TrueFrame[] UpToUserMode(ReadOnlySpan<TrueFrame> outermostFirst)
    {
        // Counted first, then copied: a sweep captures at every point.
        int count = 0;
        for (int i = outermostFirst.Length - 1; i >= 0; i--)
        {
            var frame = outermostFirst[i];
            if (frame.Kind == TrueFrameKind.StackSwitch)
            {
                continue;
            }

            count++;
            if (!IsKernelAddress(frame.ReturnAddress))
            {
                break;
            }
        }

        var frames = new TrueFrame[count];
        for (int i = outermostFirst.Length - 1, n = 0; n < count; i--)
        {
            if (outermostFirst[i].Kind != TrueFrameKind.StackSwitch)
            {
                frames[n++] = outermostFirst[i];
            }
        }

        return frames;
    }

    private static bool IsKernelAddress(ulong address) => (long)address < 0;

    private sealed class Trigger(ulong address, Action<ScenarioSession> action, bool repeat)
    {
        public bool Repeat { get; } = repeat;

        public ulong Address { get; } = address;

        public Action<ScenarioSession> Action { get; } = action;

        public bool Fired { get; set; }
    }
}
