namespace EntryModel.Machine.GroundTruth;

/// <summary>What created a live frame.</summary>
public enum TrueFrameKind
{
    /// <summary>A near CALL: <see cref="TrueFrame.ReturnAddress"/> sits at <see cref="TrueFrame.Slot"/>.</summary>
    Call,

    /// <summary>A CPU exception (fault or trap); the hardware frame's RIP sits at the slot.</summary>
    Exception,

    /// <summary>An external (injected) interrupt.</summary>
    Interrupt,

    /// <summary>INT n / INT3.</summary>
    SoftwareInterrupt,

    /// <summary>SYSCALL: no stack frame by hardware; the return address is in RCX.</summary>
    Syscall,

    /// <summary>Software moved RSP to another stack (entry code switching to the task or IRQ stack).</summary>
    StackSwitch,
}
