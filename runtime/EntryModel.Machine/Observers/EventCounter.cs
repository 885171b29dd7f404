using EntryModel.Machine.GroundTruth;

namespace EntryModel.Machine.Observers;

/// <summary>
/// Counts the control transfers the machine reports: a cost counter for runs and sweeps. It is not a
/// snapshot observer, so it stays attached across <see cref="Execution.X86Machine.Restore"/> and counts
/// the work of every run since it was attached (or last <see cref="Reset"/>).
/// </summary>
public sealed class EventCounter : IMachineObserver
{
    /// <summary>Near CALLs, direct and indirect.</summary>
    public long Calls { get; private set; }

    /// <summary>Near RETs.</summary>
    public long Returns { get; private set; }

    /// <summary>CPU exceptions (faults and traps) delivered through the IDT.</summary>
    public long Exceptions { get; private set; }

    /// <summary>External interrupts (NMIs included) delivered through the IDT.</summary>
    public long Interrupts { get; private set; }

    /// <summary>INT n / INT3 delivered through the IDT.</summary>
    public long SoftwareInterrupts { get; private set; }

    /// <summary>Every event delivered through the IDT, of any kind.</summary>
    public long EventEntries => Exceptions + Interrupts + SoftwareInterrupts;

    /// <summary>IRETQs.</summary>
    public long Irets { get; private set; }

    /// <summary>SYSCALLs.</summary>
    public long Syscalls { get; private set; }

    /// <summary>SYSRETQs.</summary>
    public long Sysrets { get; private set; }

    /// <summary>Instructions that moved RSP as an explicit destination (see <see cref="IMachineObserver.OnStackPointerWrite"/>).</summary>
    public long StackPointerWrites { get; private set; }

    /// <summary>Sets every count back to zero.</summary>
    public void Reset()
    {
        Calls = Returns = Exceptions = Interrupts = SoftwareInterrupts = Irets = Syscalls = Sysrets = StackPointerWrites = 0;
    }

    public override string ToString() =>
        $"{Calls} calls, {Returns} returns, {Exceptions} exceptions, {Interrupts} interrupts, {SoftwareInterrupts} software interrupts, "
        + $"{Irets} irets, {Syscalls} syscalls, {Sysrets} sysrets, {StackPointerWrites} stack pointer writes";

    void IMachineObserver.OnCall(ulong slot, ulong returnAddress, ulong target, ulong callerRsp) => Calls++;

    void IMachineObserver.OnReturn(ulong rsp) => Returns++;

    void IMachineObserver.OnEventEntry(TrueFrameKind kind, int vector, ulong slot, ulong interruptedRip, ulong interruptedRsp, ulong handler, bool fromUser)
    {
        switch (kind)
        {
            case TrueFrameKind.Interrupt:
                Interrupts++;
                break;
            case TrueFrameKind.SoftwareInterrupt:
                SoftwareInterrupts++;
                break;
            default:
                Exceptions++;
                break;
        }
    }

    void IMachineObserver.OnIret(ulong rsp, ulong newRsp, bool toUser) => Irets++;

    void IMachineObserver.OnSyscall(ulong userRip, ulong userRsp, ulong entry) => Syscalls++;

    void IMachineObserver.OnSysret(ulong newRsp) => Sysrets++;

    void IMachineObserver.OnStackPointerWrite(ulong oldRsp, ulong newRsp) => StackPointerWrites++;
}
