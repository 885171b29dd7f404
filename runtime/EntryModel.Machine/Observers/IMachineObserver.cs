using EntryModel.Machine.GroundTruth;

namespace EntryModel.Machine.Observers;

/// <summary>
/// Something that watches the machine run (ground truth, the sweep, cost counters), attached with
/// <see cref="Execution.X86Machine.Attach"/>. The machine reports control transfers and stack moves,
/// never single instructions: with no observer attached each report costs one null check. Each
/// method is called after the instruction or delivery took effect (registers already updated).
/// Observers must not change the machine from these methods.
/// </summary>
public interface IMachineObserver
{
    /// <summary>A near CALL pushed <paramref name="returnAddress"/> at <paramref name="slot"/> (the new RSP) and jumped to <paramref name="target"/>; RSP was <paramref name="callerRsp"/>.</summary>
    void OnCall(ulong slot, ulong returnAddress, ulong target, ulong callerRsp);

    /// <summary>A near RET popped its return address from <paramref name="rsp"/>.</summary>
    void OnReturn(ulong rsp);

    /// <summary>
    /// An exception or interrupt entered <paramref name="handler"/> through the IDT: <paramref name="kind"/> is
    /// <see cref="TrueFrameKind.Exception"/>, <see cref="TrueFrameKind.Interrupt"/> (external, NMI included) or
    /// <see cref="TrueFrameKind.SoftwareInterrupt"/>; the hardware frame's RIP (<paramref name="interruptedRip"/>)
    /// sits at <paramref name="slot"/>; RSP was <paramref name="interruptedRsp"/>; <paramref name="fromUser"/> when CPL was 3.
    /// </summary>
    void OnEventEntry(TrueFrameKind kind, int vector, ulong slot, ulong interruptedRip, ulong interruptedRsp, ulong handler, bool fromUser);

    /// <summary>IRETQ popped the frame at <paramref name="rsp"/> and loaded RSP <paramref name="newRsp"/>; <paramref name="toUser"/> when it returned to CPL 3.</summary>
    void OnIret(ulong rsp, ulong newRsp, bool toUser);

    /// <summary>SYSCALL from <paramref name="userRip"/> (saved in RCX) with RSP <paramref name="userRsp"/> entered <paramref name="entry"/> (LSTAR).</summary>
    void OnSyscall(ulong userRip, ulong userRsp, ulong entry);

    /// <summary>SYSRETQ returned to user mode with RSP <paramref name="newRsp"/>.</summary>
    void OnSysret(ulong newRsp);

    /// <summary>An instruction with RSP as an explicit destination (MOV, ADD/SUB, LEA, XCHG, POP RSP; not the implicit RSP of PUSH/POP/CALL/RET) moved it from <paramref name="oldRsp"/> to <paramref name="newRsp"/>: a stack switch, or a frame set up or torn down.</summary>
    void OnStackPointerWrite(ulong oldRsp, ulong newRsp);
}
