namespace EntryModel.Unwinding.Reliable;

/// <summary>Why reliable mode would not vouch for a trace (livepatch's reasons to try a task again later).</summary>
public enum ReliableRefusal
{
    None = 0,

    /// <summary>The unwinder cannot see pt_regs at all (a scan, a plain %rbp chain).</summary>
    UnwinderCannotVouch,

    /// <summary>An exception or interrupt pt_regs saved in kernel mode lies on the stack.</summary>
    InKernelRegs,

    /// <summary>A return address is not kernel text.</summary>
    NotKernelText,

    /// <summary>A return address does not follow a call instruction.</summary>
    NotAfterCall,

    /// <summary>A return address follows a direct call to another function than the one the inner frame is in.</summary>
    CallTargetMismatch,

    /// <summary>The unwinder stopped with an error.</summary>
    UnwinderError,

    /// <summary>The walk did not end at the end of the task's stack.</summary>
    WrongEnd,

    /// <summary>The unwinder knows of a boundary it cannot place (task flag, unmarked context, a stack left without regs).</summary>
    Caveat,
}
