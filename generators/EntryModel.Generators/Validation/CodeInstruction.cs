using System.Collections.Generic;

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

    /// <summary>What it does for validation (a jump to the return thunk becomes a return, as objtool makes it).</summary>
    public InstructionType Type { get; set; }

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

    /// <summary>For an instruction of an alternative's replacement: the end of its replacement (a jump there goes back after the original).</summary>
    public ulong ReplacementEnd { get; set; }

    /// <summary>For an instruction of a replacement: the instruction after its original, where the replacement carries on (-1: none).</summary>
    public int AfterOriginal { get; set; } = -1;

    /// <summary>Whether it belongs to an alternative's replacement (reached only through the alternative).</summary>
    public bool InReplacement => ReplacementEnd != 0;

    /// <summary>
    /// The paths an alternative opens at this (original) instruction: where each replacement starts,
    /// or the instruction after the original for an empty one. Null when there are none.
    /// </summary>
    public List<int>? Alternatives { get; set; }

    /// <summary>
    /// At the first instruction of an alternative's original code: its length, and where each of its
    /// replacements starts (instruction index and address). ORC describes the original's bytes by
    /// offset with what any of them knows there (objtool's alt_group CFI array).
    /// </summary>
    public int GroupLength { get; set; }

    /// <summary>
    /// The replacement whose states ORC takes for the original's bytes: the last record's (objtool
    /// gives the original a fresh group per record, so an earlier record's replacement keeps its
    /// states to itself). Its first instruction (-1: empty), address and length.
    /// </summary>
    public (int Start, ulong Address, int Length) Replacement { get; set; } = (-1, 0, 0);

    /// <summary>
    /// For a replacement's last instruction: the state a path leaves it with when it falls through
    /// (objtool's fake NOP after a replacement shorter than its original records it there).
    /// </summary>
    public CfiState? EndCfi { get; set; }

    public bool IsStaticJump => Type is InstructionType.JumpConditional or InstructionType.JumpUnconditional;
}
