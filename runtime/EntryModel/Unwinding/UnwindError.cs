namespace EntryModel;

/// <summary>Why a walk stopped before reaching the end of the task's stack; set by the unwinder, read by reliable mode.</summary>
public enum UnwindError
{
    None = 0,

    /// <summary>The start's stack pointer lies on none of the stacks the walk may use.</summary>
    UnknownStack,

    /// <summary>A frame would be read outside the current stack and outside the stack its link leads to.</summary>
    OutOfBounds,

    /// <summary>The next frame lies below the previous one on the same stack: stacks only unwind upward.</summary>
    WrongDirection,

    /// <summary>The walk would enter a stack it already left (a cycle across stacks).</summary>
    StackRevisited,

    /// <summary>A word of the stack could not be read (unmapped page).</summary>
    UnreadableMemory,

    /// <summary>A return address (or saved RIP in kernel mode) is not kernel text.</summary>
    NotKernelText,

    /// <summary>A pt_regs frame was expected but none can be read where the image says it is, or what it holds cannot have been saved there (a kernel-mode RIP outside kernel text, user mode below the top of a stack).</summary>
    BadRegs,

    /// <summary>A return address into entry code that the image records no pt_regs offset for.</summary>
    NoEntryRecord,

    /// <summary>The stack ended (or left for no known stack) before the walk reached the end of the task's stack.</summary>
    EndOfStack,

    /// <summary>No ORC row covers the frame's address (the ORC unwinder).</summary>
    MissingOrcRow,

    /// <summary>
    /// The frame's ORC row cannot be followed: it is undefined without marking the end of the stack,
    /// or its stack pointer is based on a register that no pt_regs just crossed holds, or it names a
    /// base register or type the unwinder does not know.
    /// </summary>
    UnusableOrcRow,
}
