namespace EntryModel.Machine.Execution;

/// <summary>Where an event being delivered through the IDT came from; decides RIP, the DPL check and the EXT bit.</summary>
internal enum EventSource
{
    /// <summary>A fault: RIP is the faulting instruction.</summary>
    Fault,

    /// <summary>A trap exception (#DB single step): RIP is the next instruction.</summary>
    Trap,

    /// <summary>INT n / INT3: RIP is the next instruction; the gate's DPL must allow CPL.</summary>
    Software,

    /// <summary>An external interrupt: RIP is the next instruction; EXT set in error codes.</summary>
    External,
}
