namespace EntryModel.Machine.Cpu;

/// <summary>The last flag-writing operation whose status flags have not been computed yet (lazy flags).</summary>
internal enum FlagOp : byte
{
    /// <summary>The status flags are materialized in the stored RFLAGS.</summary>
    None = 0,
    Add,
    Adc,
    Sub,
    Sbb,
    Logic,

    /// <summary>INC: flags as ADD a,1 but CF kept (held in the aux bit).</summary>
    Inc,

    /// <summary>DEC: flags as SUB a,1 but CF kept (held in the aux bit).</summary>
    Dec,
}
