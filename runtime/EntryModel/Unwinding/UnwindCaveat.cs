namespace EntryModel;

/// <summary>What an unwinder knows it cannot vouch for, even when every frame it reports looks sound; reliable mode refuses a walk with any.</summary>
[Flags]
public enum UnwindCaveat
{
    None = 0,

    /// <summary>The task is marked as preempted from an interrupt: an in-kernel pt_regs is on its stack somewhere (the task-flag strategy).</summary>
    PreemptedFromInterrupt = 1,

    /// <summary>The unwinder cannot see pt_regs on this kind of start (e.g. task-flag on a running context, whose in-kernel boundaries carry no mark).</summary>
    BoundariesUnmarked = 2,

    /// <summary>The walk left an IRQ or IST stack without a pt_regs frame: an event boundary was crossed unseen.</summary>
    CrossedStackWithoutRegs = 4,
}
