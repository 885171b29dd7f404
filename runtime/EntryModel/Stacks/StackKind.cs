namespace EntryModel;

/// <summary>Which kind of stack a range of memory is, as the kernel's <c>stack_type</c> says.</summary>
public enum StackKind
{
    Unknown = 0,

    /// <summary>A task's kernel stack: where a walk is expected to end (at the task's top pt_regs).</summary>
    Task = 1,

    /// <summary>The per-CPU IRQ stack: entry code leaves the interrupted stack pointer in its top word.</summary>
    Irq = 2,

    /// <summary>An IST stack (<see cref="StackInfo.IstIndex"/> 1..7): the CPU's hardware frame sits at its top.</summary>
    Ist = 3,

    /// <summary>A user stack: never walked by kernel unwinders; a walk that reaches user mode is done.</summary>
    User = 4,
}
