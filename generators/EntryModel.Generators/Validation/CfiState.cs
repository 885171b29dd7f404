using System;

namespace EntryModel.Generators.Validation;

/// <summary>A value relative to a base: the CFA as register+offset, or where a register was saved.</summary>
internal readonly record struct CfiReg(int Base, int Offset)
{
    public static readonly CfiReg Undefined = new(CfiRegisters.Undefined, 0);

    public override string ToString() => $"{Base}{Offset:+0;-0;+0}";
}

/// <summary>
/// What the validator knows at one instruction: where the CFA is, where each callee-saved register
/// and the return address were saved, which registers hold a value relative to the CFA, how deep
/// the stack is, the hint type in force (call, regs, partial regs), and the DRAP (dynamically
/// realigned stack) bookkeeping objtool keeps. Mutable while one path is followed; copied at each
/// branch, and frozen copies are what each instruction keeps.
/// </summary>
internal sealed class CfiState : IEquatable<CfiState>
{
    public CfiState()
    {
        for (int i = 0; i < CfiRegisters.Count; i++)
        {
            Regs[i] = CfiReg.Undefined;
            Vals[i] = CfiReg.Undefined;
        }
    }

    public CfiReg[] Regs { get; } = new CfiReg[CfiRegisters.Count];

    public CfiReg[] Vals { get; } = new CfiReg[CfiRegisters.Count];

    public CfiReg Cfa { get; set; } = CfiReg.Undefined;

    public int StackSize { get; set; }

    public int DrapReg { get; set; } = CfiRegisters.Undefined;

    public int DrapOffset { get; set; } = -1;

    public int Type { get; set; }

    public bool BpScratch { get; set; }

    public bool Drap { get; set; }

    public bool End { get; set; }

    /// <summary>The state at a function's first instruction: the CFA 8 above %rsp, the return address at CFA-8.</summary>
    public static CfiState FunctionEntry()
    {
        var state = new CfiState { Cfa = new CfiReg(CfiRegisters.Sp, 8), StackSize = 8 };
        state.Regs[CfiRegisters.Ra] = new CfiReg(CfiRegisters.Cfa, -8);
        return state;
    }

    public CfiState Clone()
    {
        var copy = new CfiState
        {
            Cfa = Cfa,
            StackSize = StackSize,
            DrapReg = DrapReg,
            DrapOffset = DrapOffset,
            Type = Type,
            BpScratch = BpScratch,
            Drap = Drap,
            End = End,
        };
        Array.Copy(Regs, copy.Regs, CfiRegisters.Count);
        Array.Copy(Vals, copy.Vals, CfiRegisters.Count);
        return copy;
    }

    public bool Equals(CfiState? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (Cfa != other.Cfa || StackSize != other.StackSize || DrapReg != other.DrapReg || DrapOffset != other.DrapOffset
            || Type != other.Type || BpScratch != other.BpScratch || Drap != other.Drap || End != other.End)
        {
            return false;
        }

        for (int i = 0; i < CfiRegisters.Count; i++)
        {
            if (Regs[i] != other.Regs[i] || Vals[i] != other.Vals[i])
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as CfiState);

    public override int GetHashCode() => (Cfa.GetHashCode() * 31) + StackSize;
}
