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
/// may read, and the task struct when it is a task's walk (for task flags). The factories also
/// find, once, the stack the walk begins on and the page the memory shows walks: a start is
/// walked by several unwinders (and a benchmark walks one many times), and each would otherwise
/// ask the provider and the memory again.
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
    /// <summary>Where the walk starts: the stack pointer of a register set, else <see cref="Address"/>.</summary>
    public ulong At => Kind == UnwindStartKind.Registers ? Sp : Address;

    // What Stack and Window were found against: a copy made with another start, stacks or memory
    // (a `with` expression) no longer matches them, and its walks ask again.
    private readonly IStackInfoProvider? resolvedStacks;
    private readonly IMemoryReader? resolvedMemory;
    private readonly ulong resolvedAt;

    private readonly StackInfo? stack;
    private readonly PageWindow? window;

    /// <summary>The stack that holds <see cref="At"/> (a pointer at a stack's very top counts as that stack), found when the start was made; null when none does, or when this copy's start, stacks or memory differ from the ones it was found for.</summary>
    public StackInfo? Stack => Resolved ? stack : null;

    /// <summary>The memory's <see cref="IMemoryReader.Window"/>, taken when the start was made; null unless <see cref="Resolved"/>.</summary>
    public PageWindow? Window => Resolved ? window : null;

    /// <summary>Whether <see cref="Stack"/> and <see cref="Window"/> were found for this start's own <see cref="At"/>, <see cref="Stacks"/> and <see cref="Memory"/>.</summary>
    public bool Resolved => resolvedStacks is not null && resolvedAt == At && ReferenceEquals(resolvedStacks, Stacks) && ReferenceEquals(resolvedMemory, Memory);

    /// <summary>
    /// <see cref="Stack"/> and <see cref="Window"/> with <see cref="Resolved"/> decided once: what a
    /// walk's start reads (the properties would each decide it again).
    /// </summary>
    internal bool TryGetResolved(out StackInfo? resolvedStack, out PageWindow? resolvedWindow)
    {
        bool resolved = Resolved;
        resolvedStack = resolved ? stack : null;
        resolvedWindow = resolved ? window : null;
        return resolved;
    }

    public static UnwindStart FromRegisters(ulong ip, ulong sp, ulong bp, IMemoryReader memory, IStackInfoProvider stacks, ulong taskStruct = 0) =>
        Resolve(new(UnwindStartKind.Registers, ip, sp, bp, 0, taskStruct, memory, stacks));

    /// <summary>A sleeping task whose task struct saved <paramref name="savedRsp"/>.</summary>
    public static UnwindStart FromSleepingTask(ulong savedRsp, IMemoryReader memory, IStackInfoProvider stacks, ulong taskStruct = 0) =>
        Resolve(new(UnwindStartKind.SleepingTask, 0, savedRsp, 0, savedRsp, taskStruct, memory, stacks));

    public static UnwindStart FromPtRegs(ulong regs, IMemoryReader memory, IStackInfoProvider stacks, ulong taskStruct = 0) =>
        Resolve(new(UnwindStartKind.PtRegs, 0, 0, 0, regs, taskStruct, memory, stacks));

    /// <summary>The same start over other memory and stacks (a live copy of a frozen capture, say), its stack found again.</summary>
    public UnwindStart Over(IMemoryReader memory, IStackInfoProvider stacks) => Resolve(this with { Memory = memory, Stacks = stacks });

    /// <summary>Equal when the eight members are: what was found when the start was made is not part of it.</summary>
    public bool Equals(UnwindStart other) =>
        Kind == other.Kind && Ip == other.Ip && Sp == other.Sp && Bp == other.Bp && Address == other.Address && TaskStruct == other.TaskStruct
        && Equals(Memory, other.Memory) && Equals(Stacks, other.Stacks);

    public override int GetHashCode() => HashCode.Combine(Kind, Ip, Sp, Bp, Address, TaskStruct, Memory, Stacks);

    private static UnwindStart Resolve(UnwindStart start)
    {
        ArgumentNullException.ThrowIfNull(start.Memory);
        ArgumentNullException.ThrowIfNull(start.Stacks);
        ulong at = start.At;
        var found = start.Stacks.TryGet(at, out var on) || start.Stacks.TryGet(at - 1, out on) ? on : null;
        return new UnwindStart(start, found, start.Memory.Window);
    }

    private UnwindStart(UnwindStart start, StackInfo? stack, PageWindow? window)
        : this(start.Kind, start.Ip, start.Sp, start.Bp, start.Address, start.TaskStruct, start.Memory, start.Stacks)
    {
        this.stack = stack;
        this.window = window;
        resolvedStacks = start.Stacks;
        resolvedMemory = start.Memory;
        resolvedAt = At;
    }
}
