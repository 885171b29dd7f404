using EntryModel.Machine.Cpu;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Tasks;

namespace EntryModel.Scenarios.Running;

/// <summary>
/// Lays out a new kernel thread's stack the way the 2016 kernel's copy_thread did, so the model's own
/// switch code starts it: a pt_regs at the top (kernel CS/SS, the thread function in bx and its
/// argument in bp), below it the return address <c>ret_from_fork</c> and six zeroed callee-saved
/// registers for <c>__switch_to_asm</c> to pop; the task struct's saved RSP points at them.
/// The offsets are the default model's pt_regs and switch-frame layout (its PtRegsOffsets and KernelAbi).
/// </summary>
public static class KernelThreadLaunch
{
    private const int PtRegsRbp = 4 * 8;
    private const int PtRegsRbx = 5 * 8;
    private const int PtRegsCs = 17 * 8;
    private const int PtRegsFlags = 18 * 8;
    private const int PtRegsRsp = 19 * 8;
    private const int PtRegsSs = 20 * 8;
    private const int PtRegsSize = 21 * 8;
    private const int SwitchFrameRegisters = 6;

    /// <summary>Prepares <paramref name="task"/> to start in <paramref name="function"/>(<paramref name="argument"/>) through <paramref name="retFromFork"/> when first switched to.</summary>
    public static void Prepare(GuestMemory memory, KernelTask task, ulong retFromFork, ulong function, ulong argument, TaskStructLayout? layout = null)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(task);
        layout ??= TaskStructLayout.Default;

        ulong regs = task.Stack.Top - PtRegsSize;
        memory.Write(regs, new byte[PtRegsSize]);
        memory.WriteUInt64(regs + PtRegsRbx, function);
        memory.WriteUInt64(regs + PtRegsRbp, argument);
        memory.WriteUInt64(regs + PtRegsCs, Selectors.KernelCs);
        memory.WriteUInt64(regs + PtRegsFlags, RFlags.Reserved1);
        memory.WriteUInt64(regs + PtRegsRsp, task.Stack.Top);
        memory.WriteUInt64(regs + PtRegsSs, Selectors.KernelSs);

        ulong sp = regs - 8;
        memory.WriteUInt64(sp, retFromFork);
        for (int i = 0; i < SwitchFrameRegisters; i++)
        {
            sp -= 8;
            memory.WriteUInt64(sp, 0);
        }

        memory.WriteUInt64(task.StructAddress + (ulong)layout.SavedRsp, sp);
    }
}
