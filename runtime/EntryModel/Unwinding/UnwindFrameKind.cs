namespace EntryModel;

/// <summary>What the frame an unwind state stands on is.</summary>
public enum UnwindFrameKind
{
    /// <summary>No frame: the walk has not started, is done, or failed.</summary>
    None = 0,

    /// <summary>The function running where the walk started (from registers): <see cref="UnwindState.Ip"/> is not a return address.</summary>
    Current,

    /// <summary>A return address read from the stack at <see cref="UnwindState.Slot"/>.</summary>
    Call,

    /// <summary>An exception, interrupt or syscall boundary: <see cref="UnwindState.Ip"/> is the RIP saved in the pt_regs at <see cref="UnwindState.Regs"/>.</summary>
    Regs,

    /// <summary>A text address a stack scan found at <see cref="UnwindState.Slot"/> (the guess unwinder): maybe a return address, maybe stale.</summary>
    Guess,
}
