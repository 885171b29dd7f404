namespace EntryModel.Generators.Validation;

/// <summary>What an instruction does to control flow, as far as validation cares.</summary>
internal enum InstructionType
{
    Other,
    JumpConditional,
    JumpUnconditional,
    JumpDynamic,
    Call,
    CallDynamic,
    Return,

    /// <summary>Leaves the kernel's stack discipline: sysret, sysenter, iret outside a function, far jumps and returns.</summary>
    ContextSwitch,

    /// <summary><c>ud2</c>: a dead end.</summary>
    Bug,
    Nop,

    /// <summary><c>int3</c>.</summary>
    Trap,
    Clac,
    Stac,
    Std,
    Cld,
    Endbr,
}
