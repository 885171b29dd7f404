using EntryModel.Machine.Cpu;
using EntryModel.Machine.GroundTruth;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Tasks;

namespace EntryModel.Scenarios.Running;

/// <summary>
/// Lays out a new kernel thread's stack the way the 2016 kernel's copy_thread did, so the model's own
/// switch code starts it: a pt_regs at the top (kernel CS/SS, the thread function in bx and its
/// argument in bp), below it the switch frame <c>__switch_to_asm</c> pops (zeroed callee-saved
/// registers, then the return address <c>ret_from_fork</c>); the task struct's saved RSP points at it.
/// Every offset is the image's own (its pt_regs offsets and SWITCH_FRAME_* constants).
/// </summary>
public static class KernelThreadLaunch
{
    /// <summary>
    /// Prepares <paramref name="task"/> to start in <paramref name="function"/>(<paramref name="argument"/>)
    /// through <paramref name="retFromFork"/> when first switched to. Given <paramref name="truth"/>,
    /// ground truth learns the switch frame's return address as a live frame (the first switch returns
    /// through it); leave it out for a task that is entered directly instead.
    /// </summary>
    public static void Prepare(KernelImage image, GuestMemory memory, KernelTask task, ulong retFromFork, ulong function, ulong argument, TaskStructLayout? layout = null, GroundTruthRecorder? truth = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(task);
        layout ??= TaskStructLayout.FromConstants(image.Constants) ?? TaskStructLayout.Default;

        ulong size = (ulong)image.Constant("SIZEOF_PTREGS");
        ulong regs = task.Stack.Top - size;
        memory.Write(regs, new byte[size]);
        memory.WriteUInt64(regs + (ulong)image.Constant("RBX"), function);
        memory.WriteUInt64(regs + (ulong)image.Constant("RBP"), argument);
        memory.WriteUInt64(regs + (ulong)image.Constant("CS"), Selectors.KernelCs);
        memory.WriteUInt64(regs + (ulong)image.Constant("EFLAGS"), RFlags.Reserved1);
        memory.WriteUInt64(regs + (ulong)image.Constant("RSP"), task.Stack.Top);
        memory.WriteUInt64(regs + (ulong)image.Constant("SS"), Selectors.KernelSs);

        ulong frame = regs - (ulong)image.Constant("SWITCH_FRAME_SIZE");
        memory.Write(frame, new byte[regs - frame]);
        memory.WriteUInt64(frame + (ulong)image.Constant("SWITCH_FRAME_RET"), retFromFork);
        memory.WriteUInt64(task.StructAddress + (ulong)layout.SavedRsp, frame);
        truth?.SeedReturn(task.Stack, frame + (ulong)image.Constant("SWITCH_FRAME_RET"), retFromFork);
    }
}
