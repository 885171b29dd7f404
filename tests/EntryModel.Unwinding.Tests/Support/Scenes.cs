using static EntryModel.Unwinding.Tests.Support.Frames;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Support;

/// <summary>How the synthetic entry code marks the pt_regs it saved before calling its handler.</summary>
public enum Marks
{
    /// <summary>Nothing: %rbp is left alone (none, section's direct rows, task-flag).</summary>
    None,

    /// <summary>The seed's fake frame: regs pointer, <c>pt_regs+1</c>, %rbp, with %rbp pointing at it.</summary>
    FakeFrame,

    /// <summary>Linux's ENCODE_FRAME_POINTER: %rbp = pt_regs + 1.</summary>
    EncodedBp,

    /// <summary>A pointer to the pt_regs pushed right above the return address (section's indirect row).</summary>
    RegsPointer,
}

/// <summary>
/// One synthetic machine state: memory, the start of a walk, and the addresses of what was pushed.
/// Every scene has the same task part, a syscall from user mode: user pt_regs at the top of the task
/// stack, then syscall_entry → handler → middle → inner, each with a frame record.
/// </summary>
internal sealed class Scene
{
    public FakeMemory Memory { get; } = new();

    public UnwindStart Start { get; set; }

    public ulong UserRegs { get; set; }

    public ulong SyscallSlot { get; set; }

    public ulong HandlerSlot { get; set; }

    public ulong MiddleSlot { get; set; }

    /// <summary>inner's frame record (its %rbp).</summary>
    public ulong InnerBp { get; set; }

    /// <summary>The slot of leaf's return address into inner (the registers start in leaf).</summary>
    public ulong InnerSlot { get; set; }

    /// <summary>The in-kernel pt_regs an event saved (page fault, IRQ, IST).</summary>
    public ulong KernelRegs { get; set; }

    /// <summary>The slot of the return address into the entry stub that called handler.</summary>
    public ulong EntrySlot { get; set; }

    /// <summary>The word at the top of the IRQ stack (the interrupted stack pointer).</summary>
    public ulong IrqLinkSlot { get; set; }

    public ulong ScheduleSlot { get; set; }

    public ulong MiddleIndirectSlot { get; set; }

    /// <summary>The frames below inner's: middle's return address down to the user-mode pt_regs.</summary>
    public UnwindFrame[] TaskTail =>
        [Call(MiddleRet, MiddleSlot), Call(HandlerRet, HandlerSlot), Call(SyscallEntryRet, SyscallSlot), Regs(UserRip, UserRegs, user: true)];

    public UnwindTrace Walk(string unwinder) => UnwindTrace.Collect(Unwinder(unwinder), Start);
}

/// <summary>The synthetic machine states the unit tests walk.</summary>
internal static class Scenes
{
    /// <summary>The syscall's chain with leaf running (called by inner): a registers start in leaf.</summary>
    public static Scene Syscall()
    {
        var scene = new Scene();
        var w = TaskChain(scene);
        scene.InnerSlot = w.Call(InnerRet);
        w.Enter();
        scene.Start = UnwindStart.FromRegisters(LeafRunning, w.Sp, w.Bp, scene.Memory, TestStacks.All, TestStacks.TaskStruct);
        return scene;
    }

    /// <summary>inner page-faults at <see cref="InnerFault"/>; page_fault_entry saves pt_regs on the task stack, marks them, and calls handler, which dumps.</summary>
    public static Scene PageFault(Marks marks)
    {
        var scene = new Scene();
        var w = TaskChain(scene);
        scene.KernelRegs = w.PushPtRegs(InnerFault, KernelCs, rsp: scene.InnerBp, rbp: scene.InnerBp);
        Mark(w, marks, scene.KernelRegs);
        scene.EntrySlot = w.Call(PageFaultEntryRet);
        w.Enter();
        scene.Start = UnwindStart.FromRegisters(HandlerDump, w.Sp, w.Bp, scene.Memory, TestStacks.All, TestStacks.TaskStruct);
        return scene;
    }

    /// <summary>
    /// An interrupt in inner: irq_entry saves pt_regs on the task stack, switches to the IRQ stack
    /// leaving the interrupted stack pointer (the pt_regs' address) in its top word, marks the regs
    /// and calls handler there, which dumps.
    /// </summary>
    public static Scene Irq(Marks marks)
    {
        var scene = new Scene();
        var w = TaskChain(scene);
        scene.KernelRegs = w.PushPtRegs(InnerFault, KernelCs, rsp: scene.InnerBp, rbp: scene.InnerBp);
        var irq = new StackWriter(scene.Memory, TestStacks.Irq.High) { Bp = w.Bp };
        scene.IrqLinkSlot = irq.Push(scene.KernelRegs);
        Mark(irq, marks, scene.KernelRegs);
        scene.EntrySlot = irq.Call(IrqEntryRet);
        irq.Enter();
        scene.Start = UnwindStart.FromRegisters(HandlerDump, irq.Sp, irq.Bp, scene.Memory, TestStacks.All, TestStacks.TaskStruct);
        return scene;
    }

    /// <summary>
    /// An IST event in inner: the CPU switches to the IST stack and pushes its hardware frame at the
    /// top (the interrupted RSP at High-16), entry code completes the pt_regs there, marks them and
    /// calls handler, which dumps.
    /// </summary>
    public static Scene Ist(Marks marks)
    {
        var scene = new Scene();
        var w = TaskChain(scene);
        var ist = new StackWriter(scene.Memory, TestStacks.Ist.High) { Bp = w.Bp };
        scene.KernelRegs = ist.PushPtRegs(InnerFault, KernelCs, rsp: w.Sp, rbp: scene.InnerBp);
        Mark(ist, marks, scene.KernelRegs);
        scene.EntrySlot = ist.Call(PageFaultEntryRet);
        ist.Enter();
        scene.Start = UnwindStart.FromRegisters(HandlerDump, ist.Sp, ist.Bp, scene.Memory, TestStacks.All, TestStacks.TaskStruct);
        return scene;
    }

    /// <summary>
    /// A task asleep in the syscall: handler → middle, which called schedule indirectly, which
    /// called switch_to; the switch frame is at the saved RSP. The task struct's flags are
    /// <paramref name="taskFlags"/>.
    /// </summary>
    public static Scene Sleeping(ulong taskFlags = 0)
    {
        var scene = new Scene();
        var w = new StackWriter(scene.Memory, TestStacks.Task.High) { Bp = UserBp };
        scene.UserRegs = w.PushPtRegs(UserRip, UserCs, UserSp, UserBp, UserSs);
        scene.SyscallSlot = w.Call(SyscallEntryRet);
        w.Enter();
        scene.HandlerSlot = w.Call(HandlerRet);
        w.Enter();
        scene.MiddleIndirectSlot = w.Call(MiddleIndirectRet);
        w.Enter();
        scene.ScheduleSlot = w.Call(ScheduleRet);
        ulong savedRsp = w.PushSwitchFrame();
        scene.Memory[TestStacks.TaskStruct + TaskFlagsOffset] = taskFlags;
        scene.Start = UnwindStart.FromSleepingTask(savedRsp, scene.Memory, TestStacks.All, TestStacks.TaskStruct);
        return scene;
    }

    /// <summary>The frames a sleeping scene's walk must report.</summary>
    public static UnwindFrame[] SleepingFrames(Scene scene) =>
    [
        Call(ScheduleRet, scene.ScheduleSlot), Call(MiddleIndirectRet, scene.MiddleIndirectSlot), Call(HandlerRet, scene.HandlerSlot),
        Call(SyscallEntryRet, scene.SyscallSlot), Regs(UserRip, scene.UserRegs, user: true),
    ];

    /// <summary>
    /// A kernel thread: its top pt_regs are kernel-mode (as copy_thread leaves them); its first
    /// frame returns into entry text, then handler → middle, running at middle+0x10.
    /// </summary>
    public static Scene KernelThread()
    {
        var scene = new Scene();
        var w = new StackWriter(scene.Memory, TestStacks.Task.High);
        scene.UserRegs = w.PushPtRegs(0, KernelCs, TestStacks.Task.High, 0);
        scene.SyscallSlot = w.Call(SyscallEntryRet);
        w.Enter();
        scene.HandlerSlot = w.Call(HandlerRet);
        w.Enter();
        scene.Start = UnwindStart.FromRegisters(Middle + 0x10, w.Sp, w.Bp, scene.Memory, TestStacks.All, TestStacks.TaskStruct);
        return scene;
    }

    /// <summary>User pt_regs, syscall_entry → handler, with handler's frame record: %rbp is handler's frame.</summary>
    public static StackWriter HandlerChain(Scene scene)
    {
        var w = new StackWriter(scene.Memory, TestStacks.Task.High) { Bp = UserBp };
        scene.UserRegs = w.PushPtRegs(UserRip, UserCs, UserSp, UserBp, UserSs);
        scene.SyscallSlot = w.Call(SyscallEntryRet);
        w.Enter();
        scene.HandlerSlot = w.Call(HandlerRet);
        w.Enter();
        return w;
    }

    /// <summary>The syscall's task part: <see cref="HandlerChain"/> → middle → inner; %rbp is inner's frame.</summary>
    private static StackWriter TaskChain(Scene scene)
    {
        var w = HandlerChain(scene);
        scene.MiddleSlot = w.Call(MiddleRet);
        scene.InnerBp = w.Enter();
        return w;
    }

    /// <summary>Leaves a strategy's mark of the pt_regs at <paramref name="regs"/> where entry code would, before it calls the handler.</summary>
    internal static void Mark(StackWriter w, Marks marks, ulong regs)
    {
        switch (marks)
        {
            case Marks.FakeFrame:
                w.Push(regs);
                w.Push(PtRegsMarkerRet);
                w.Enter();
                break;
            case Marks.EncodedBp:
                w.Bp = regs + 1;
                break;
            case Marks.RegsPointer:
                w.Push(regs);
                break;
            default:
                break;
        }
    }
}
