namespace EntryModel.Oracles.Workloads;

/// <summary>What a strategy's entry code adds around the handler call (the default model's CREATE_PT_REGS_FRAME and REMOVE_PT_REGS_FRAME).</summary>
public enum EntryFrameKind
{
    /// <summary>Nothing: none, section, task-flag and orc enter the same way.</summary>
    None,

    /// <summary>The seed's fake frame: the regs pointer, pt_regs+1 and %rbp pushed, %rbp pointed at them; popped again after the call.</summary>
    PtRegsFrame,

    /// <summary>%rbp = pt_regs + 1, as Linux merged.</summary>
    EncodedRbp,
}
