using EntryModel.Machine.Execution;
using EntryModel.Machine.Observers;
using EntryModel.Machine.Tasks;

namespace EntryModel.Machine.GroundTruth;

/// <summary>
/// Records the true chain of live frames while the machine runs: calls and returns, exception and
/// interrupt entries and IRETQ, SYSCALL/SYSRETQ, and software stack switches. Each task's kernel
/// stack owns a chain (frames on the IRQ/IST/user stacks belong to the chain of the task that was
/// running); moving RSP from one task stack to another is a task switch and leaves the old chain
/// asleep, so sleeping tasks' stacks can be checked too. It is a snapshot observer of its machine:
/// <see cref="Start"/> attaches it, <see cref="Stop"/> detaches it, and snapshots carry its chains;
/// while attached the reports write into preallocated arrays.
/// </summary>
public sealed class GroundTruthRecorder : ISnapshotObserver
{
    private readonly X86Machine machine;
    private readonly StackRegistry stacks;
    private readonly FrameChain defaultChain = new();
    // Keyed by the stack itself, not its value (a record's hash would hash its name at every lookup).
    private readonly Dictionary<StackInfo, FrameChain> taskChains = new(ReferenceEqualityComparer.Instance);
    private readonly List<TrueFrame> seeds = [];
    private FrameChain chain;
    private StackInfo? owner;
    private StackInfo? currentStack;

    internal GroundTruthRecorder(X86Machine machine)
    {
        this.machine = machine;
        stacks = machine.Stacks;
        chain = defaultChain;
    }

    /// <summary>Whether the machine reports events to the recorder (it is attached).</summary>
    public bool Enabled => machine.IsAttached(this);

    /// <summary>The stack RSP is on, as the recorder tracks it.</summary>
    public StackInfo? CurrentStack => currentStack;

    /// <summary>Starts recording from an empty chain, at stack pointer <paramref name="rsp"/>: empties the chains and attaches the recorder.</summary>
    public void Start(ulong rsp)
    {
        defaultChain.Truncate(0);
        foreach (var c in taskChains.Values)
        {
            c.Truncate(0);
        }

        foreach (var seed in seeds)
        {
            ChainOf(seed.Stack).Push(seed);
        }

        currentStack = stacks.FindByPointer(rsp);
        owner = currentStack is { Kind: StackKind.Task } ? currentStack : null;
        chain = ChainOf(owner);
        machine.Attach(this);
    }

    /// <summary>
    /// A frame software placed instead of calling: the return address at <paramref name="slot"/> on
    /// <paramref name="taskStack"/> that the first switch to a new task returns through (fork's
    /// switch frame, returning to ret_from_fork). It is live until that return; recording keeps it.
    /// </summary>
    public void SeedReturn(StackInfo taskStack, ulong slot, ulong returnAddress)
    {
        ArgumentNullException.ThrowIfNull(taskStack);
        var frame = new TrueFrame(TrueFrameKind.Call, returnAddress, slot, 0, slot + 8, -1, taskStack, null);
        seeds.Add(frame);
        if (Enabled)
        {
            ChainOf(taskStack).Push(frame);
        }
    }

    /// <summary>Stops recording (detaches the recorder); the chains stay readable as they were.</summary>
    public void Stop() => machine.Detach(this);

    /// <summary>The live frames of the running context, innermost first.</summary>
    public IReadOnlyList<TrueFrame> CurrentChain() => Innermost(chain);

    /// <summary>
    /// The live frames of the running context, outermost first, without a copy: valid only until
    /// the machine runs again (for a caller that takes what it needs of them at once).
    /// </summary>
    public ReadOnlySpan<TrueFrame> CurrentChainInPlace() => chain.AsSpan();

    /// <summary>The live frames of the task whose kernel stack is <paramref name="taskStack"/>, outermost first, without a copy (as <see cref="CurrentChainInPlace"/>).</summary>
    public ReadOnlySpan<TrueFrame> ChainOfTaskInPlace(StackInfo taskStack) =>
        taskChains.TryGetValue(taskStack, out var c) ? c.AsSpan() : [];

    /// <summary>The live frames of the task whose kernel stack is <paramref name="taskStack"/> (running or asleep), innermost first.</summary>
    public IReadOnlyList<TrueFrame> ChainOfTask(StackInfo taskStack) =>
        taskChains.TryGetValue(taskStack, out var c) ? Innermost(c) : [];

    /// <summary>The live frames whose return address is stored on <paramref name="stack"/>, innermost first (syscall frames have no slot and are not included).</summary>
    public IReadOnlyList<TrueFrame> LiveFrames(StackInfo stack)
    {
        var result = new List<TrueFrame>();
        foreach (var c in AllChains())
        {
            for (int i = c.Count - 1; i >= 0; i--)
            {
                if (c[i].Kind != TrueFrameKind.StackSwitch && c[i].Kind != TrueFrameKind.Syscall && stack.Contains(c[i].Slot))
                {
                    result.Add(c[i]);
                }
            }
        }

        result.Sort((a, b) => a.Slot.CompareTo(b.Slot));
        return result;
    }

    /// <summary>The return addresses a perfect unwinder finds on <paramref name="stack"/>, innermost first.</summary>
    public IReadOnlyList<ulong> ReturnAddresses(StackInfo stack) => [.. LiveFrames(stack).Select(f => f.ReturnAddress)];

    void IMachineObserver.OnCall(ulong slot, ulong returnAddress, ulong target, ulong callerRsp)
    {
        DropOverwritten(slot);
        chain.Push(new TrueFrame(TrueFrameKind.Call, returnAddress, slot, target, callerRsp, -1, currentStack, currentStack));
    }

    void IMachineObserver.OnReturn(ulong rsp)
    {
        while (chain.Count > 0)
        {
            ref var top = ref chain.Top;
            if (top.Kind != TrueFrameKind.Call || top.Stack != currentStack || top.Slot > rsp)
            {
                return;
            }

            bool matched = top.Slot == rsp;
            chain.Pop();
            if (matched)
            {
                return;
            }
        }
    }

    void IMachineObserver.OnEventEntry(TrueFrameKind kind, int vector, ulong slot, ulong interruptedRip, ulong interruptedRsp, ulong handler, bool fromUser)
    {
        var to = stacks.FindByPointer(slot + 8);
        SwitchChainIfTaskChanged(to, fromUser);
        var from = currentStack;
        currentStack = to;
        DropOverwritten(slot);
        chain.Push(new TrueFrame(kind, interruptedRip, slot, handler, interruptedRsp, vector, to, from));
    }

    void IMachineObserver.OnIret(ulong rsp, ulong newRsp, bool toUser)
    {
        for (int i = chain.Count - 1; i >= 0; i--)
        {
            var f = chain[i];
            if (f.Kind is TrueFrameKind.Exception or TrueFrameKind.Interrupt or TrueFrameKind.SoftwareInterrupt && f.Slot == rsp)
            {
                chain.Truncate(i);
                break;
            }
        }

        var to = stacks.FindByPointer(newRsp);
        if (!toUser)
        {
            SwitchChainIfTaskChanged(to, false);
        }

        currentStack = to;
    }

    void IMachineObserver.OnSyscall(ulong userRip, ulong userRsp, ulong entry)
    {
        chain.Push(new TrueFrame(TrueFrameKind.Syscall, userRip, 0, entry, userRsp, -1, currentStack, currentStack));
    }

    void IMachineObserver.OnSysret(ulong newRsp)
    {
        for (int i = chain.Count - 1; i >= 0; i--)
        {
            if (chain[i].Kind == TrueFrameKind.Syscall)
            {
                chain.Truncate(i);
                break;
            }
        }

        currentStack = stacks.FindByPointer(newRsp);
    }

    void IMachineObserver.OnStackPointerWrite(ulong oldRsp, ulong newRsp)
    {
        if (currentStack != null && currentStack.HoldsPointer(newRsp))
        {
            return;
        }

        var to = stacks.FindByPointer(newRsp);
        if (to == currentStack)
        {
            return;
        }

        // Leaving a stack we switched onto: drop everything from that switch up.
        for (int i = chain.Count - 1; i >= 0; i--)
        {
            var f = chain[i];
            if (f.Kind == TrueFrameKind.StackSwitch && f.FromStack == to)
            {
                chain.Truncate(i);
                currentStack = to;
                return;
            }
        }

        if (currentStack is { Kind: StackKind.Task } && to is { Kind: StackKind.Task })
        {
            // __switch_to: the old task sleeps with its chain; the new one resumes its own.
            owner = to;
            chain = ChainOf(to);
            currentStack = to;
            return;
        }

        SwitchChainIfTaskChanged(to, currentStack is null or { Kind: StackKind.User });
        chain.Push(new TrueFrame(TrueFrameKind.StackSwitch, 0, newRsp, newRsp, oldRsp, -1, to, currentStack));
        currentStack = to;
    }

    object ISnapshotObserver.SaveState()
    {
        var tasks = new Dictionary<StackInfo, TrueFrame[]>(ReferenceEqualityComparer.Instance);
        foreach (var (k, v) in taskChains)
        {
            tasks[k] = v.ToArray();
        }

        return new GroundTruthState(currentStack, owner, defaultChain.ToArray(), tasks);
    }

    void ISnapshotObserver.RestoreState(object state) => Load((GroundTruthState)state);

    private void Load(GroundTruthState state)
    {
        currentStack = state.CurrentStack;
        owner = state.CurrentOwner;
        defaultChain.Load(state.Default);
        foreach (var c in taskChains.Values)
        {
            c.Truncate(0);
        }

        foreach (var (k, v) in state.Tasks)
        {
            ChainOf(k).Load(v);
        }

        chain = ChainOf(owner);
    }

    private void SwitchChainIfTaskChanged(StackInfo? to, bool fromUserOrUnknown)
    {
        if (to is { Kind: StackKind.Task } && to != owner && (fromUserOrUnknown || currentStack is { Kind: StackKind.Task }))
        {
            var old = chain;
            owner = to;
            chain = ChainOf(to);
            if (old == defaultChain && fromUserOrUnknown)
            {
                // Recording began before any task owned the context: what ran so far was this task's.
                var earlier = old.ToArray();
                var own = chain.ToArray();
                chain.Load([.. earlier, .. own]);
                old.Truncate(0);
            }
            else if (old.Count > 0 && old.Top.Kind == TrueFrameKind.Syscall && fromUserOrUnknown)
            {
                chain.Push(old.Top); // the syscall boundary belongs to the task that handles it
                old.Pop();
            }
        }
    }

    private void DropOverwritten(ulong slot)
    {
        while (chain.Count > 0)
        {
            ref var top = ref chain.Top;
            if (top.Stack != currentStack || top.Kind is TrueFrameKind.StackSwitch or TrueFrameKind.Syscall || top.Slot > slot)
            {
                return;
            }

            chain.Pop();
        }
    }

    private FrameChain ChainOf(StackInfo? task)
    {
        if (task == null)
        {
            return defaultChain;
        }

        if (!taskChains.TryGetValue(task, out var c))
        {
            c = new FrameChain();
            taskChains[task] = c;
        }

        return c;
    }

    private IEnumerable<FrameChain> AllChains()
    {
        yield return defaultChain;
        foreach (var c in taskChains.Values)
        {
            yield return c;
        }
    }

    private static TrueFrame[] Innermost(FrameChain c)
    {
        var a = c.ToArray();
        Array.Reverse(a);
        return a;
    }
}
