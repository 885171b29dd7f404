using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Support;

/// <summary>
/// Machine states only ORC can walk: code interrupted before its frame pointer is set up, a
/// frameless caller, an NMI in entry code that has only the iret frame, a kernel thread whose
/// stack ends at an end-of-stack hint, and a new task asleep at ret_from_fork. Each starts like
/// the syscall scenes (user pt_regs at the task's top, syscall_entry → handler → middle).
/// </summary>
internal static class OrcScenes
{
    /// <summary>
    /// inner page-faults in its prologue: at its first byte (<paramref name="pushedBp"/> false: the
    /// return address is at the stack pointer) or right after push %rbp (the CFA is sp+16, the
    /// caller's %rbp below the return address), with %rbp still middle's. handler dumps.
    /// </summary>
    public static Scene PageFaultInPrologue(bool pushedBp)
    {
        var scene = new Scene();
        var w = MiddleChain(scene);
        if (pushedBp)
        {
            w.Push(w.Bp);
        }

        ulong interrupted = w.Sp;
        scene.KernelRegs = w.PushPtRegs(pushedBp ? Inner + 1 : Inner, KernelCs, rsp: interrupted, rbp: w.Bp);
        scene.EntrySlot = w.Call(PageFaultEntryRet);
        w.Enter();
        scene.Start = UnwindStart.FromRegisters(HandlerDump, w.Sp, w.Bp, scene.Memory, TestStacks.All, TestStacks.TaskStruct);
        return scene;
    }

    /// <summary>
    /// middle calls tail_caller indirectly; tail_caller, frameless, calls leaf, which runs: the
    /// return address into middle lies right at tail_caller's CFA-8, found from the stack pointer.
    /// <see cref="Scene.InnerSlot"/> is leaf's return address (after_tail), <see cref="Scene.MiddleIndirectSlot"/> tail_caller's.
    /// </summary>
    public static Scene FramelessCaller()
    {
        var scene = new Scene();
        var w = Scenes.HandlerChain(scene);
        scene.MiddleIndirectSlot = w.Call(MiddleIndirectRet);
        scene.InnerSlot = w.Call(TailCallerRet);
        w.Enter();
        scene.Start = UnwindStart.FromRegisters(LeafRunning, w.Sp, w.Bp, scene.Memory, TestStacks.All, TestStacks.TaskStruct);
        return scene;
    }

    /// <summary>
    /// inner page-faults; the CPU has pushed only the iret frame when an NMI (on the IST stack)
    /// interrupts page_fault_entry's first instruction. The NMI's pt_regs hold inner's %rbp, which
    /// entry code has not saved yet. <see cref="Scene.EntrySlot"/> is the NMI stub's return address,
    /// <see cref="Scene.KernelRegs"/> the NMI's pt_regs, <see cref="Scene.IrqLinkSlot"/> the iret frame (its RIP).
    /// </summary>
    public static Scene NmiInEntry()
    {
        var scene = new Scene();
        var w = InnerChain(scene);
        w.Push(KernelSs);
        w.Push(scene.InnerBp);
        w.Push(Eflags);
        w.Push(KernelCs);
        scene.IrqLinkSlot = w.Push(InnerFault);
        var ist = new StackWriter(scene.Memory, TestStacks.Ist.High) { Bp = scene.InnerBp };
        scene.KernelRegs = ist.PushPtRegs(PageFaultEntry, KernelCs, rsp: w.Sp, rbp: scene.InnerBp);
        scene.EntrySlot = ist.Call(PageFaultEntryRet);
        ist.Enter();
        scene.Start = UnwindStart.FromRegisters(HandlerDump, ist.Sp, ist.Bp, scene.Memory, TestStacks.All, TestStacks.TaskStruct);
        return scene;
    }

    /// <summary>
    /// A kernel thread: the function ret_from_fork called (handler, through unrecorded_entry, whose
    /// row is the end-of-stack hint) → middle, running at middle+0x10. Its top pt_regs are kernel-mode.
    /// </summary>
    public static Scene KernelThreadAtEndHint()
    {
        var scene = new Scene();
        var w = new StackWriter(scene.Memory, TestStacks.Task.High);
        scene.UserRegs = w.PushPtRegs(0, KernelCs, TestStacks.Task.High, 0);
        scene.EntrySlot = w.Call(UnrecordedEntryRet);
        w.Enter();
        scene.HandlerSlot = w.Call(HandlerRet);
        w.Enter();
        scene.Start = UnwindStart.FromRegisters(Middle + 0x10, w.Sp, w.Bp, scene.Memory, TestStacks.All, TestStacks.TaskStruct);
        return scene;
    }

    /// <summary>A new task that never ran: its switch frame returns to ret_from_fork. <see cref="Scene.ScheduleSlot"/> is that return address's slot.</summary>
    public static Scene NewTask()
    {
        var scene = new Scene();
        var w = new StackWriter(scene.Memory, TestStacks.Task.High);
        scene.UserRegs = w.PushPtRegs(UserRip, UserCs, UserSp, UserBp, UserSs);
        scene.ScheduleSlot = w.Call(OrcKernel.RetFromFork);
        ulong savedRsp = w.PushSwitchFrame();
        scene.Start = UnwindStart.FromSleepingTask(savedRsp, scene.Memory, TestStacks.All, TestStacks.TaskStruct);
        return scene;
    }

    /// <summary><see cref="Scenes.HandlerChain"/>, then middle's call of inner: the stack pointer is at the return address into middle.</summary>
    private static StackWriter MiddleChain(Scene scene)
    {
        var w = Scenes.HandlerChain(scene);
        scene.MiddleSlot = w.Call(MiddleRet);
        return w;
    }

    /// <summary><see cref="MiddleChain"/>, then inner's frame record: %rbp and the stack pointer are inner's frame.</summary>
    private static StackWriter InnerChain(Scene scene)
    {
        var w = MiddleChain(scene);
        scene.InnerBp = w.Enter();
        return w;
    }
}
