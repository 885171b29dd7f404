namespace EntryModel.Machine.Execution;

/// <summary>Why <see cref="X86Machine.Run(long)"/> returned.</summary>
public enum StopKind
{
    /// <summary>RIP reached a breakpoint (address or symbol); the instruction there has not executed.</summary>
    Breakpoint,

    /// <summary>The requested number of instructions retired.</summary>
    InstructionCount,

    /// <summary>HLT with no interrupt to wake it (RIP is past the HLT).</summary>
    Halted,

    /// <summary>VMCALL at CPL 0 that no host handler took (RIP is past the VMCALL).</summary>
    Hypercall,

    /// <summary>The POWER_OFF hypercall: the run is over; <see cref="StopReason.Code"/> holds the exit code.</summary>
    PowerOff,

    /// <summary>A hypercall handler asked to stop (for example DUMP_STACK for the host to inspect).</summary>
    HostRequest,

    /// <summary>An exception with no IDT to deliver it through (IDTR limit 0).</summary>
    UnhandledException,

    /// <summary>A fault while delivering #DF: the processor shuts down.</summary>
    TripleFault,

    /// <summary>The instruction budget ran out: runaway code.</summary>
    Budget,

    /// <summary>The same instruction kept faulting without any instruction retiring.</summary>
    FaultLoop,
}
