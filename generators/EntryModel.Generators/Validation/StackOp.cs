namespace EntryModel.Generators.Validation;

/// <summary>Where a stack operation takes its value from.</summary>
internal enum StackOpSource
{
    None,
    Register,
    RegisterIndirect,
    Constant,
    Pop,
    PopFlags,
    Add,
    And,
}

/// <summary>Where a stack operation puts its value.</summary>
internal enum StackOpDestination
{
    None,
    Register,
    RegisterIndirect,
    Push,
    PushFlags,
    Memory,
}

/// <summary>
/// One effect an instruction has on the stack or frame registers, in objtool's terms: a source
/// (register, memory at register+offset, constant, pop, register+offset, register AND mask) and a
/// destination (register, memory at register+offset, push, memory). Registers use
/// <see cref="CfiRegisters"/> numbers. Most instructions have none; <c>leave</c> has two.
/// </summary>
internal readonly record struct StackOp(StackOpSource Source, int SourceReg, int SourceOffset, StackOpDestination Destination, int DestinationReg, int DestinationOffset);
