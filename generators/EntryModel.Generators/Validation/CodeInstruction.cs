namespace EntryModel.Generators.Validation;

/// <summary>
/// One decoded instruction of a section and what validation learns about it: its type and stack
/// operations, where it branches or calls, the function it belongs to, its hint, and the CFI state
/// the first path to reach it had. Mutable: one validation run owns it.
/// </summary>
internal sealed class CodeInstruction
{
    public CodeInstruction(ulong address, int length, InstructionType type, StackOp[] ops, ulong? target)
    {
        Address = address;
        Length = length;
        Type = type;
        Ops = ops;
        Target = target;
    }

    public ulong Address { get; }

    public int Length { get; }

    public InstructionType Type { get; }

    /// <summary>Its stack operations (a call's are dropped once its destination is known).</summary>
    public StackOp[] Ops { get; set; }

    /// <summary>Where a direct jump or call goes.</summary>
    public ulong? Target { get; }

    /// <summary>Index of the function containing it, or -1 (entry code, padding).</summary>
    public int Function { get; set; } = -1;

    /// <summary>Index of the instruction a jump within the section continues at, or -1.</summary>
    public int JumpDestination { get; set; } = -1;

    /// <summary>The called (or tail-called) symbol.</summary>
    public string? CallDestination { get; set; }

    /// <summary>A jump from a function to another function's start, or an indirect jump from a function: a tail call.</summary>
    public bool SiblingCall { get; set; }

    /// <summary>No path continues after it: <c>ud2</c>, a call to a function that never returns.</summary>
    public bool DeadEnd { get; set; }

    public bool Hint { get; set; }

    public bool Save { get; set; }

    public bool Restore { get; set; }

    public CfiState? Cfi { get; set; }

    public bool Visited { get; set; }

    public bool IsStaticJump => Type is InstructionType.JumpConditional or InstructionType.JumpUnconditional;
}
