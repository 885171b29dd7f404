namespace EntryModel;

/// <summary>What the stack holds at an ORC row's CFA, with the kernel's numbering (<c>UNWIND_HINT_TYPE_*</c>, 6.1).</summary>
public enum OrcType : byte
{
    /// <summary>A return address just below the CFA (a normal call frame).</summary>
    Call = 0,

    /// <summary>A full pt_regs at the CFA (sp points at it).</summary>
    Regs = 1,

    /// <summary>The hardware (iret) frame only, at the CFA.</summary>
    RegsPartial = 2,
}
