namespace EntryModel;

/// <summary>Where a walk begins, as the three ways the kernel's <c>unwind_start</c> is called.</summary>
public enum UnwindStartKind
{
    /// <summary>A running context's registers: RIP, RSP, RBP (e.g. where dump_stack was called).</summary>
    Registers,

    /// <summary>A sleeping task: its saved RSP points at the switch frame (callee-saved registers, then the return address).</summary>
    SleepingTask,

    /// <summary>A register set saved in memory: the pt_regs at <see cref="UnwindStart.Address"/>.</summary>
    PtRegs,
}

/// <summary>
/// The start of a walk: how, the registers or the address it starts from, the memory and stacks it
/// may read, and the task struct when it is a task's walk (for task flags).
/// </summary>
public readonly record struct UnwindStart(
    UnwindStartKind Kind,
    ulong Ip,
    ulong Sp,
    ulong Bp,
    ulong Address,
    ulong TaskStruct,
    IMemoryReader Memory,
    IStackInfoProvider Stacks)
{
    public static UnwindStart FromRegisters(ulong ip, ulong sp, ulong bp, IMemoryReader memory, IStackInfoProvider stacks, ulong taskStruct = 0) =>
        new(UnwindStartKind.Registers, ip, sp, bp, 0, taskStruct, memory, stacks);

    /// <summary>A sleeping task whose task struct saved <paramref name="savedRsp"/>.</summary>
    public static UnwindStart FromSleepingTask(ulong savedRsp, IMemoryReader memory, IStackInfoProvider stacks, ulong taskStruct = 0) =>
        new(UnwindStartKind.SleepingTask, 0, savedRsp, 0, savedRsp, taskStruct, memory, stacks);

    public static UnwindStart FromPtRegs(ulong regs, IMemoryReader memory, IStackInfoProvider stacks, ulong taskStruct = 0) =>
        new(UnwindStartKind.PtRegs, 0, 0, 0, regs, taskStruct, memory, stacks);
}
